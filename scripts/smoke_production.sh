#!/usr/bin/env bash
# The README's production steps, end to end on loopback: migrate, collectstatic into a folder of
# its own, a first administrator, gunicorn with the production settings, then sign in with curl
# (CSRF cookie and token, as a browser would) and fetch pages and the stylesheet.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_smoke scripts/smoke_production.sh
#
# Use a throwaway PostgreSQL database: the script migrates it and adds an administrator. TLS
# ends at a proxy in production; here curl sends the proxy's X-Forwarded-Proto header itself,
# so plain HTTP on 127.0.0.1 is treated as HTTPS (SECURE_SSL_REDIRECT stays on).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to a throwaway PostgreSQL database}"
PORT="${SMOKE_PORT:-8765}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
PY=.venv/bin/python
GUNICORN_PID=""

cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=recovery.settings.production
export SECRET_KEY="smoke-$(head -c 60 /dev/urandom | base64 | tr -d '\n/+=')"
export ALLOWED_HOSTS=127.0.0.1
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"

fail() { echo "smoke test FAILED: $*" >&2; [ -f "$WORK/gunicorn.log" ] && tail -40 "$WORK/gunicorn.log" >&2; exit 1; }

$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
test -f "$STATIC_ROOT/staticfiles.json" || fail "collectstatic wrote no manifest"

EMAIL="smoke-$(date +%s)-$$@example.org"
PASSWORD="smoke-$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')"
ADMIN_PASSWORD="$PASSWORD" $PY manage.py create_administrator "$EMAIL" \
  --first-name Smoke --last-name Test >/dev/null

.venv/bin/gunicorn recovery.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile - --error-logfile - >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

# As the TLS proxy would: the request arrived over HTTPS.
fetch() {  # fetch PATH [curl args...] -> prints the status; the body is in $WORK/body
  local path="$1"; shift
  curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' \
    -H "X-Forwarded-Proto: https" -b "$WORK/cookies" -c "$WORK/cookies" "$@" "$BASE$path"
}

for _ in $(seq 1 50); do
  [ "$(fetch /healthz 2>/dev/null || true)" = 200 ] && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn did not start"
  sleep 0.2
done
[ "$(fetch /healthz)" = 200 ] || fail "/healthz did not answer 200"

[ "$(fetch /sign-in/)" = 200 ] || fail "the sign-in page did not answer 200"
TOKEN="$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$WORK/body" | head -1)"
[ -n "$TOKEN" ] || fail "no CSRF token on the sign-in page"

status="$(fetch /sign-in/ -H "Referer: https://127.0.0.1:$PORT/sign-in/" \
  --data-urlencode "csrfmiddlewaretoken=$TOKEN" --data-urlencode "username=$EMAIL" \
  --data-urlencode "password=$PASSWORD")"
[ "$status" = 302 ] || fail "signing in answered $status, not a redirect"

for page in / /people/ /audit/ /estate/; do
  status="$(fetch "$page")"
  [ "$status" = 200 ] || fail "$page answered $status"
  grep -qi '^cache-control:.*no-store' "$WORK/headers" || fail "$page may be cached"
  echo "200 $page"
done

STYLESHEET="$(grep -o '/assets/govuk/govuk-frontend\.min\.[0-9a-f]*\.css' "$WORK/body" | head -1)"
[ -n "$STYLESHEET" ] || fail "the page links no hashed GOV.UK stylesheet"
[ "$(fetch "$STYLESHEET")" = 200 ] || fail "$STYLESHEET did not answer 200"
grep -qi '^content-type: text/css' "$WORK/headers" || fail "$STYLESHEET is not CSS"
echo "200 $STYLESHEET"

[ "$(fetch /no-such-page/)" = 404 ] || fail "an unknown page did not answer 404"
grep -q "Page not found" "$WORK/body" || fail "the 404 page is not the service's"
echo "404 /no-such-page/ (the service's page)"

echo "Production smoke test passed."

"""Load: the public status pages, cached and uncached, under gunicorn with the production
settings and PostgreSQL on loopback, loaded from a second process.

Usage:
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_public"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_public
    .venv/bin/python bench/public_load.py                 # cached and uncached; markdown table
    .venv/bin/python bench/public_load.py --seconds 30 --connections 16

The first run migrates the database, loads the national demo estate (`seed_demo`, about 120
establishments) and gives every open establishment without one a stage history (two entries,
through `do_record_stage`, as the system). Then, for each side:

- cached: gunicorn with PUBLIC_STATUS_CACHE on and the cache in Redis (REDIS_URL, default
  redis://127.0.0.1:6379/14, emptied first) as in production; or in each worker's memory when
  no Redis answers (the table says which);
- uncached: the same with PUBLIC_STATUS_CACHE=false: every request reads the database and
  renders the page.

This process (the load generator) keeps --connections connections busy for --seconds, each
request a public page drawn at random: the list (/status/) one time in five, otherwise one
prison's page (/status/<code>/) of the ~120. Every answer must be 200 (anything else, or no
answer in 30 s, is an error). Reports requests a second, median and 95th percentile
milliseconds as the client saw them, errors, and gunicorn's processor time a request (from
/proc; PostgreSQL's and Redis's not counted). Figures go to docs/performance.md.
"""

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.load import (  # noqa: E402 - the same server set-up as the signed-in load test
    PROXY_HEADERS,
    percentile,
    server_cpu_seconds,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def prepare_database() -> list[str]:
    """Migrate, seed the demo estate the first time, give each open establishment a stage;
    the codes of the open establishments."""
    import datetime

    from django.core.management import call_command

    from recovery.core.scope import COMMAND_LINE
    from recovery.frameworks.models import Stage
    from recovery.progression.actions import do_record_stage
    from recovery.progression.models import StageChange
    from recovery.public.queries import open_establishments

    call_command("migrate", verbosity=0)
    call_command("seed_demo", if_empty=True, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(2026)
    stages = {s.number: s for s in Stage.objects.all()}
    staged = set(StageChange.objects.values_list("establishment_id", flat=True))
    for establishment in open_establishments().exclude(pk__in=staged):
        start = rng.choice([4, 5])
        do_record_stage(
            establishment,
            stages[start],
            reason="Stage at the start of the benchmark's history",
            effective_from=datetime.date(2025, 6, 1),
            acting_user=COMMAND_LINE,
        )
        do_record_stage(
            establishment,
            stages[start - rng.choice([0, 1])],
            reason="Stage after the benchmark's panel",
            effective_from=datetime.date(2025, 6, 1)
            + datetime.timedelta(days=rng.randint(30, 300)),
            acting_user=COMMAND_LINE,
        )
    return list(open_establishments().order_by("code").values_list("code", flat=True))


def redis_answers(url: str) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.flushdb()
        return True
    except Exception:  # noqa: BLE001 - any failure: no Redis
        return False


def run_side(base: str, codes: list[str], args, server) -> dict:
    paths = ["/status/"] + [f"/status/{code}/" for code in codes]
    for path in paths:  # every page answers before the load (and the cache is warm)
        answer = requests.get(base + path, headers=PROXY_HEADERS, timeout=30)
        if answer.status_code != 200:
            sys.exit(f"{path} answered {answer.status_code}")
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def connection(seed: int) -> None:
        rng = random.Random(seed)
        http = requests.Session()
        http.headers.update(PROXY_HEADERS)
        mine = []
        while time.monotonic() < stop:
            path = "/status/" if rng.random() < 0.2 else rng.choice(paths[1:])
            started = time.monotonic()
            try:
                ok = http.get(base + path, timeout=30, allow_redirects=False).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append(((time.monotonic() - started) * 1000, ok))
        with lock:
            results.extend(mine)

    cpu_before, load_before = server_cpu_seconds(server.pid), os.getloadavg()[0]
    threads = [threading.Thread(target=connection, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = server_cpu_seconds(server.pid) - cpu_before
    ms = [m for m, _ in results]
    return {
        "requests": len(results),
        "rate": len(results) / args.seconds,
        "median": statistics.median(ms),
        "p95": percentile(ms, 0.95),
        "errors": sum(not ok for _, ok in results),
        "cpu_ms": cpu * 1000 / max(1, len(results)),
        "load": f"{load_before:.1f} to {os.getloadavg()[0]:.1f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20, help="seconds of load per side")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="recovery-public-load-"))
    setup_django(work / "static", "load-" + secrets.token_urlsafe(48))
    codes = prepare_database()
    use_redis = redis_answers(args.redis)
    sides = {
        "cached" + (" (Redis)" if use_redis else " (each worker's memory)"): {
            "PUBLIC_STATUS_CACHE": "true",
            "REDIS_URL": args.redis if use_redis else "",
        },
        "uncached": {"PUBLIC_STATUS_CACHE": "false", "REDIS_URL": ""},
    }
    print(
        f"{len(codes)} open establishments; {args.workers} gunicorn workers of {args.threads} "
        f"threads; {args.connections} connections for {args.seconds} s a side; one request in "
        "five the list, the rest a prison's page\n"
    )
    print(
        "| side | requests | requests a second | median ms | 95th percentile ms | errors "
        "| gunicorn CPU ms a request | load average (1 min) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    base = f"http://127.0.0.1:{args.port}"
    try:
        for name, env in sides.items():
            os.environ.update(env)
            server = start_gunicorn(args.port, args.workers, args.threads, work / "gunicorn.log")
            try:
                r = run_side(base, codes, args, server)
            finally:
                stop_gunicorn(server)
            print(
                f"| {name} | {r['requests']} | {r['rate']:.0f} | {r['median']:.1f} | "
                f"{r['p95']:.1f} | {r['errors']} | {r['cpu_ms']:.1f} | {r['load']} |",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Load: many signed-in people at once, under gunicorn with the production settings and
PostgreSQL on loopback, as in production behind the TLS proxy.

Usage:
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_load"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_load
    .venv/bin/python bench/load.py                      # both parts; prints markdown tables
    .venv/bin/python bench/load.py --only mixed         # 300 users with think time, 2 minutes
    .venv/bin/python bench/load.py --only saturation    # each main page as fast as it goes

The first run migrates the database and loads the national demo data (`seed_demo`). Then the
script collects the static files into a temporary folder, starts gunicorn with
`recovery.settings.production` on 127.0.0.1 (SECURE_SSL_REDIRECT stays on: every request carries
the proxy's `X-Forwarded-Proto: https`), and signs each simulated person in by creating their
session in the database (a real sign-in costs a deliberate password hash; the sign-in form
itself is exercised by scripts/smoke_production.sh).

- mixed: --users simulated people (300), each one of the demo accounts in a realistic mix of
  roles, each on a thread of its own: open a page the role uses, read it for a think time
  drawn uniformly from --think (5 to 15 seconds), open another. They start spread over --ramp
  seconds (20); only requests started in the --duration seconds (120) after that are counted.
  Any answer but 200, or no answer within 30 seconds, is an error. Reports per page: requests,
  errors, median and 95th percentile milliseconds (as the client saw them: server time, network
  and the client's own scheduling on this machine).
- saturation: each main page alone, as one person, with --connections (8) open connections
  asking as fast as they can for --seconds (15), with wrk (Debian's `wrk`) if installed, or a
  Python loop otherwise. Reports requests per second, non-200 answers, and gunicorn's processor
  time per request (its master and workers, read from /proc; PostgreSQL's is not counted),
  which depends much less than the rates on what else the machine is doing.

Figures go to docs/performance.md (section "Load"), with the machine's load average, which
this script prints: the machine it was written on is shared.
"""

import argparse
import collections
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402  (after the path is set, like the other benchmarks)

# The demo accounts (seed_demo) and the share of the simulated people each one stands for.
MIX = {
    "editor@demo.example": 25,
    "governor@demo.example": 15,
    "tu-rep@demo.example": 5,
    "ycs-editor@demo.example": 5,
    "pgd@demo.example": 12,
    "centre@demo.example": 10,
    "viewer@demo.example": 8,
    "pdu-head@demo.example": 5,
    "region@demo.example": 5,
    "probation-centre@demo.example": 5,
    "admin@demo.example": 5,
}

# The main pages, by name; {plan} (HMP Rookmoor), {youth} (HMYOI Poltley), {group} (Rookmoor's
# prison group), {answer} (an answer in Rookmoor's plan), {pdu} and {region} (where the
# demo PDU head and probation region hold their roles) are filled from the demo data.
PAGES = {
    "Home": "/",
    "Plans list": "/plans/",
    "Plan (establishment)": "/plans/{plan}/",
    "Plan (youth custody)": "/plans/{youth}/",
    "Answer": "/plans/{plan}/answer/?response={answer}",
    "Group plans": "/plans/groups/{group}/",
    "National plans": "/plans/national/",
    "Estate (national)": "/estate/",
    "Establishments list": "/estate/establishments/",
    "Establishment": "/estate/establishments/{plan}/",
    "Probation estate": "/estate/probation/",
    "Probation region": "/estate/probation/regions/{region}/",
    "PDU": "/estate/probation/pdus/{pdu}/",
    "People": "/people/",
    "Audit trail": "/audit/",
}

# What each account opens, and how often (weights).
JOURNEYS = {
    "editor@demo.example": {"Home": 2, "Plan (establishment)": 4, "Answer": 4, "People": 1},
    "governor@demo.example": {"Home": 2, "Plan (establishment)": 4, "Answer": 2, "People": 1},
    "tu-rep@demo.example": {"Home": 1, "Plan (establishment)": 2, "Establishment": 1},
    "ycs-editor@demo.example": {"Home": 1, "Plans list": 1, "Plan (youth custody)": 2},
    "pgd@demo.example": {"Home": 1, "Group plans": 3, "Plan (establishment)": 2, "People": 1},
    "centre@demo.example": {
        "Home": 1,
        "National plans": 3,
        "Establishments list": 1,
        "Estate (national)": 1,
    },
    "viewer@demo.example": {"Home": 1, "National plans": 2, "Estate (national)": 1},
    "pdu-head@demo.example": {"Home": 2, "PDU": 1},
    "region@demo.example": {"Home": 2, "Probation region": 1},
    "probation-centre@demo.example": {"Home": 1, "Probation estate": 2},
    "admin@demo.example": {"Home": 1, "Audit trail": 2, "People": 2},
}

# Saturation: each page as the account that uses it most.
SATURATION = {
    "Home": "editor@demo.example",
    "Plan (establishment)": "editor@demo.example",
    "Answer": "editor@demo.example",
    "Group plans": "pgd@demo.example",
    "National plans": "centre@demo.example",
    "Establishments list": "centre@demo.example",
    "People": "editor@demo.example",
    "Audit trail": "admin@demo.example",
}

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
TIMEOUT = 30


def setup_django(static_root: Path, secret_key: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "recovery.settings.production"
    os.environ["SECRET_KEY"] = secret_key
    os.environ["STATIC_ROOT"] = str(static_root)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the load test (see the usage).")
    import django

    django.setup()


def prepare_database() -> dict[str, str]:
    """Migrate, seed the demo data the first time, and find the URLs' parts."""
    from django.core.management import call_command

    from recovery.estate.models import OrganisationUnit
    from recovery.plans.models import Response

    call_command("migrate", verbosity=0)
    call_command("seed_demo", if_empty=True, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rookmoor = OrganisationUnit.objects.get(name="HMP Rookmoor")
    poltley = OrganisationUnit.objects.get(name="HMYOI Poltley")
    answer = (
        Response.objects.filter(plan__establishment__code=rookmoor.code, archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "plan": rookmoor.code,
        "youth": poltley.code,
        "group": rookmoor.parent.code,
        "answer": str(answer),
        "pdu": _unit_of("pdu-head@demo.example"),
        "region": _unit_of("region@demo.example"),
    }


def _unit_of(email: str) -> str:
    from recovery.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user__email=email).values_list("unit__code", flat=True)[0]


def session_cookie(email: str) -> str:
    """A signed-in session for the demo account, made as `login()` makes one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from recovery.accounts.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def start_gunicorn(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Something already listens on port {port}: choose another with --port.")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "recovery.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(150):
        try:
            if requests.get(
                f"http://127.0.0.1:{port}/healthz", headers=PROXY_HEADERS, timeout=10
            ).ok:
                return server
        except requests.RequestException:
            pass  # not listening yet, or its workers still starting
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped; see {log}")
        time.sleep(0.2)
    stop_gunicorn(server)
    sys.exit(f"gunicorn did not answer; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def server_cpu_seconds(master_pid: int) -> float:
    """Processor time used so far by gunicorn's master and its live workers (not PostgreSQL's)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, ppid):
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    page: str
    started: float
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Recorder:
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


def fetch(http: requests.Session, base: str, page: str, url: str) -> Result:
    started = time.monotonic()
    try:
        answer = http.get(base + url, timeout=TIMEOUT, allow_redirects=False)
        ok = answer.status_code == 200
        detail = "" if ok else f"HTTP {answer.status_code}"
    except requests.RequestException as error:
        ok, detail = False, type(error).__name__
    return Result(page, started, (time.monotonic() - started) * 1000, ok, detail)


def new_client(session_key: str) -> requests.Session:
    http = requests.Session()
    http.headers.update(PROXY_HEADERS)
    http.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")
    return http


def preflight(base: str, urls: dict[str, str], cookies: dict[str, str]) -> None:
    """Every page each account opens answers it 200 before the load begins."""
    for email, pages in JOURNEYS.items():
        http = new_client(cookies[email])
        for page in pages:
            result = fetch(http, base, page, urls[page])
            if not result.ok:
                sys.exit(f"{email} cannot open {page} ({urls[page]}): {result.detail}")


def simulated_person(
    base, urls, session_key, journey, start_at, stop_at, think, recorder, seed
) -> None:
    rng = random.Random(seed)
    pages, weights = list(journey), list(journey.values())
    http = new_client(session_key)
    time.sleep(max(0.0, start_at - time.monotonic()))
    while time.monotonic() < stop_at:
        page = rng.choices(pages, weights)[0]
        recorder.add(fetch(http, base, page, urls[page]))
        time.sleep(rng.uniform(*think))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_mixed(base, urls, cookies_by_email, args, server) -> None:
    rng = random.Random(2026)
    accounts = rng.choices(list(MIX), list(MIX.values()), k=args.users)
    # One session per simulated person, as if each had signed in on their own computer.
    sessions = [session_cookie(email) for email in accounts]
    recorder = Recorder()
    begin = time.monotonic() + 1
    window_start = begin + args.ramp
    stop = window_start + args.duration
    threads = [
        threading.Thread(
            target=simulated_person,
            args=(
                base,
                urls,
                sessions[i],
                JOURNEYS[accounts[i]],
                begin + args.ramp * i / args.users,
                stop,
                tuple(args.think),
                recorder,
                i,
            ),
            daemon=True,
        )
        for i in range(args.users)
    ]
    loads, cpu = [], {}
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        now = time.monotonic()
        if "start" not in cpu and now >= window_start:
            cpu["start"] = (server_cpu_seconds(server.pid), time.process_time(), now)
        if "stop" not in cpu and now >= stop:
            cpu["stop"] = (server_cpu_seconds(server.pid), time.process_time(), now)
        loads.append(os.getloadavg()[0])
        time.sleep(1)
    counted = [r for r in recorder.results if window_start <= r.started < stop]
    errors = [r for r in recorder.results if not r.ok]
    by_page = collections.defaultdict(list)
    for result in counted:
        by_page[result.page].append(result)
    print(
        f"\n### Mixed load: {args.users} signed-in people, think time {args.think[0]:g} to "
        f"{args.think[1]:g} s, {args.duration} s counted after a {args.ramp} s ramp; "
        f"{args.workers} gunicorn workers of {args.threads} thread(s)\n"
    )
    print(
        f"{len(counted)} requests counted ({len(counted) / args.duration:.1f} a second); "
        f"{len(errors)} errors in the whole run (ramp included); load average (1 min) during "
        f"the run: {min(loads):.1f} to {max(loads):.1f}."
    )
    if "start" in cpu and "stop" in cpu and counted:
        (server_0, client_0, t_0), (server_1, client_1, t_1) = cpu["start"], cpu["stop"]
        print(
            f"Processor time in the counted window: gunicorn {server_1 - server_0:.0f} s "
            f"({(server_1 - server_0) * 1000 / len(counted):.0f} ms a request), the load "
            f"generator {client_1 - client_0:.0f} s, over {t_1 - t_0:.0f} s of 2 cores.\n"
        )
    print("| page | requests | errors | median ms | 95th percentile ms | worst ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for page in PAGES:
        results = by_page.get(page)
        if not results:
            continue
        ms = [r.ms for r in results]
        print(
            f"| {page} | {len(results)} | {sum(not r.ok for r in results)} | "
            f"{statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f} | {max(ms):.0f} |"
        )
    all_ms = [r.ms for r in counted]
    if all_ms:
        print(
            f"| **all pages** | {len(counted)} | {sum(not r.ok for r in counted)} | "
            f"{statistics.median(all_ms):.0f} | {percentile(all_ms, 0.95):.0f} | "
            f"{max(all_ms):.0f} |"
        )
    for detail, count in collections.Counter(r.detail for r in errors).most_common():
        print(f"\nerror: {detail} x {count}")


def saturate_with_wrk(url: str, session_key: str, args) -> tuple[float, int, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Cookie: sessionid={session_key}",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[median.group(2)]
    return rate, int(bad.group(1)) if bad else 0, float(median.group(1)) * scale


def saturate_with_python(url: str, session_key: str, args) -> tuple[float, int, float]:
    stop = time.monotonic() + args.seconds
    recorder = Recorder()

    def loop():
        http = new_client(session_key)
        while time.monotonic() < stop:
            recorder.add(fetch(http, "", "page", url))

    threads = [threading.Thread(target=loop) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = [r.ms for r in recorder.results]
    bad = sum(not r.ok for r in recorder.results)
    return len(recorder.results) / args.seconds, bad, statistics.median(ms)


def run_saturation(base, urls, cookies_by_email, args, server) -> None:
    tool = "wrk" if shutil.which("wrk") else "a Python loop"
    saturate = saturate_with_wrk if tool == "wrk" else saturate_with_python
    print(
        f"\n### Saturation: one page at a time, {args.connections} connections for "
        f"{args.seconds} s each ({tool}), {args.workers} gunicorn workers of "
        f"{args.threads} thread(s)\n"
    )
    print(
        "| page | as | requests a second | non-200 | median ms | gunicorn CPU ms a request "
        "| load average (1 min) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for page, email in SATURATION.items():
        cpu_before = server_cpu_seconds(server.pid)
        rate, bad, median = saturate(base + urls[page], cookies_by_email[email], args)
        cpu_ms = (server_cpu_seconds(server.pid) - cpu_before) * 1000 / (rate * args.seconds)
        print(
            f"| {page} | {email.split('@')[0]} | {rate:.1f} | {bad} | {median:.0f} | "
            f"{cpu_ms:.0f} | {os.getloadavg()[0]:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["mixed", "saturation"])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--duration", type=int, default=120, help="seconds counted")
    parser.add_argument("--ramp", type=int, default=20, help="seconds to start everyone")
    parser.add_argument("--think", type=float, nargs=2, default=[5.0, 15.0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (1: sync workers)"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=15, help="seconds per saturated page")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="recovery-load-"))
    setup_django(work / "static", "load-" + secrets.token_urlsafe(48))
    parts = prepare_database()
    urls = {name: template.format(**parts) for name, template in PAGES.items()}
    server = start_gunicorn(args.port, args.workers, args.threads, work / "gunicorn.log")
    base = f"http://127.0.0.1:{args.port}"
    try:
        cookies_by_email = {email: session_cookie(email) for email in MIX}
        preflight(base, urls, cookies_by_email)
        print(f"load average (1 min) before the run: {os.getloadavg()[0]:.1f}")
        if args.only in (None, "mixed"):
            run_mixed(base, urls, cookies_by_email, args, server)
        if args.only in (None, "saturation"):
            run_saturation(base, urls, cookies_by_email, args, server)
    finally:
        stop_gunicorn(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark: queries and server time of the prison roles' home pages at national scale.

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_home_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_home_bench \\
        .venv/bin/python bench/home.py

Migrates the database, loads the national demo data if it is empty (seed_demo), and, when no
establishment has a stage history yet, adds a deterministic year of it to every open
establishment: three or four stage changes, an open outbreak at about two in five, a readiness
assessment waiting at each step of the route at about one in three, proposed and to-be-ratified
moves and progress reviews. Then it requests the home page of each demo prison role (governor,
trade union representative, PGD, central panel, viewer) through Django's full stack, REPEATS
times after one warm-up request, and prints the median and worst server time, the CPU time of
this process and the number of queries. Figures go to docs/performance.md.

The query counts are also taken for the PGD's home after adding establishments to their group
(`--grow`): they must not change.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "20"))

ROLES = [
    ("Governor (establishment)", "governor@demo.example"),
    ("Trade union representative", "tu-rep@demo.example"),
    ("PGD (prison group)", "pgd@demo.example"),
    ("Central panel (nation)", "centre@demo.example"),
    ("Viewer (nation)", "viewer@demo.example"),
]


def measure(client: Client, url: str) -> tuple[float, float, float, int]:
    timings, cpu = [], []
    queries = 0
    for i in range(REPEATS + 1):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if i:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
        queries = len(captured)
    return statistics.median(timings), max(timings), statistics.median(cpu), queries


def seed_progression() -> None:
    """A year of stage history and the route's traffic, the same every run."""
    from recovery.core.scope import DEMO_DATA
    from recovery.covid.models import Outbreak
    from recovery.estate.constants import EstablishmentStatus
    from recovery.estate.models import Establishment
    from recovery.frameworks.models import Stage
    from recovery.plans.actions import do_start_plan
    from recovery.plans.models import Plan
    from recovery.progression.constants import AssessmentStatus as A
    from recovery.progression.constants import ChangeKind, ChangeStatus, ReviewStatus
    from recovery.progression.models import ProgressReview, ReadinessAssessment, StageChange

    if StageChange.objects.exists():
        return
    today = timezone.localdate()
    now = timezone.now()
    stages = {s.number: s for s in Stage.objects.all()}
    rng = random.Random("bench-home")
    steps = [A.AWAITING_UNION, A.AWAITING_PGD, A.AWAITING_PANEL, A.DEFERRED, A.RETURNED]
    establishments = Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code")
    for site in establishments:
        number, day = 5, today - datetime.timedelta(days=365)
        previous = None
        for _ in range(rng.randint(3, 4)):
            StageChange.objects.create(
                establishment=site,
                stage=stages[number],
                previous_stage=previous,
                effective_from=day,
                kind=ChangeKind.INITIAL if previous is None else ChangeKind.COMMENCEMENT,
                reason="Benchmark history",
                decided_by_name="Benchmark",
            )
            previous = stages[number]
            number = max(2, number - 1)
            day += datetime.timedelta(days=rng.randint(40, 110))
        if rng.random() < 0.4:
            declared = today - datetime.timedelta(days=rng.randint(1, 30))
            outbreak = Outbreak.objects.create(
                establishment=site, declared_on=declared, declared_by_name="Benchmark"
            )
            if previous.number < 5 and rng.random() < 0.5:
                StageChange.objects.create(
                    establishment=site,
                    stage=stages[previous.number + 1],
                    previous_stage=previous,
                    effective_from=declared,
                    kind=ChangeKind.EMERGENCY,
                    status=rng.choice([ChangeStatus.PROPOSED, ChangeStatus.TO_BE_RATIFIED]),
                    reason="Benchmark outbreak move",
                    decided_by_name="Benchmark",
                    outbreak=outbreak,
                )
        if rng.random() < 0.35 and previous.number > 1:
            plan = Plan.objects.filter(establishment=site).first() or do_start_plan(
                site, stages[3], acting_user=DEMO_DATA
            )
            waited = datetime.timedelta(days=rng.randint(1, 40))
            ReadinessAssessment.objects.create(
                establishment=site,
                plan=plan,
                from_stage=previous,
                to_stage=stages[previous.number - 1],
                status=rng.choice(steps),
                submitted_at=now - waited - datetime.timedelta(days=2),
                status_since=now - waited,
            )
        if rng.random() < 0.2:
            forwarded = rng.random() < 0.5
            ProgressReview.objects.create(
                establishment=site,
                stage=previous,
                status=ReviewStatus.FORWARDED if forwarded else ReviewStatus.REPORTED,
                report="Benchmark progress report",
                forwarded_at=now if forwarded else None,
            )


def grow_pgd_group(count: int) -> None:
    """Add `count` establishments with a stage, an outbreak and an assessment to the demo PGD's
    group (for the query-count check)."""
    from recovery.accounts.models import User
    from recovery.estate.factories import EstablishmentFactory

    pgd = User.objects.get(email="pgd@demo.example")
    group = pgd.role_assignments.first().unit
    from recovery.covid.models import Outbreak
    from recovery.frameworks.models import Stage
    from recovery.progression.constants import ChangeKind
    from recovery.progression.models import StageChange

    stage = Stage.objects.get(number=4)
    for n in range(count):
        site = EstablishmentFactory(parent=group, code=f"BENCH{n:03d}", name=f"HMP Bench {n}")
        StageChange.objects.create(
            establishment=site,
            stage=stage,
            effective_from=timezone.localdate(),
            kind=ChangeKind.INITIAL,
            reason="Benchmark",
            decided_by_name="Benchmark",
        )
        Outbreak.objects.create(
            establishment=site, declared_on=timezone.localdate(), declared_by_name="Benchmark"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--grow",
        type=int,
        default=10,
        help="establishments to add to the PGD's group for the query-count check (0: skip)",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--if-empty", verbosity=0, stdout=io.StringIO())
    seed_progression()
    if connection.vendor == "postgresql":
        # Fresh tables have no planner statistics until autovacuum gets to them; production's
        # have. Without them PostgreSQL picks nested loops sized for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from recovery.accounts.models import User
    from recovery.estate.models import Establishment
    from recovery.progression.models import ReadinessAssessment, StageChange

    print(
        f"database: {connection.vendor}; establishments: {Establishment.objects.count()}; "
        f"stage changes: {StageChange.objects.count()}; "
        f"assessments: {ReadinessAssessment.objects.count()}; repeats: {REPEATS}"
    )
    print("| home page | queries | median ms | max ms | CPU median ms |")
    print("|---|---:|---:|---:|---:|")
    clients = {}
    for label, email in ROLES:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=email))
        clients[email] = client
        median, worst, cpu, queries = measure(client, "/")
        print(f"| {label} | {queries} | {median:.1f} | {worst:.1f} | {cpu:.1f} |")
    if args.grow:
        client = clients["pgd@demo.example"]
        before = measure(client, "/")[3]
        with transaction.atomic():
            grow_pgd_group(args.grow)
            after = measure(client, "/")[3]
            transaction.set_rollback(True)
        print(f"PGD home: {before} queries; with {args.grow} more establishments: {after}")
        if before != after:
            raise SystemExit("the PGD's home page's query count grows with the group")


if __name__ == "__main__":
    main()

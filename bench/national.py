"""Benchmark: the national and group stage pages, and the national counts against one
hand-written SQL query.

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_national"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_national
    .venv/bin/python bench/national.py

Migrates the database, and the first time loads the demo estate (124 establishments in 21
prison groups, the demo accounts) and generates, deterministically, a year of stage history for
every open establishment (moves up a stage every one to three months, some moves back), the
outbreaks of that year (about 45% in outbreak today, as in the sources' minutes), the approved
assessments behind each move (a sign-off of the panel a week before it), and assessments
waiting at every step. Then it requests, as the demo administrator, the national page (today
and as at 90 days ago), the smallest and the largest group's page, REPEATS times after one
warm-up, and prints the median and worst server time and the queries. Last it times the
counting of the national picture (`stage_counts`) against ONE
hand-written SQL query computing the same figures (establishments at each stage of each group
and how many of them in outbreak, on a date), after checking that both give the same numbers.
The counting is the page's `stage_counts` (one grouped ORM query).
"""

import os
import random
import statistics
import sys
import time
import warnings
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "20"))
SEED = 9
PAST_DAYS = 90


def measure(client: Client, url: str) -> tuple[float, float, float, int]:
    """Median and worst wall-clock ms, median CPU ms of this process, and the queries."""
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


# --- The demo-sized estate --------------------------------------------------------------------


def load_estate() -> None:
    from recovery.core.scope import DEMO_DATA
    from recovery.estate.actions import do_load_estate
    from recovery.estate.demo import DEMO_SOURCE, build_demo_estate
    from recovery.estate.management.commands.seed_demo import Command
    from recovery.estate.models import OrganisationUnit

    if OrganisationUnit.objects.exists():
        return
    do_load_estate(build_demo_estate(), acting_user=DEMO_DATA, source=DEMO_SOURCE)
    Command()._accounts()


def _noon(day):
    return timezone.make_aware(datetime.combine(day, clock(12)))


def generate_history() -> None:
    """A year of stage history, outbreaks and assessments, the same every time (SEED)."""
    from recovery.covid.models import Outbreak
    from recovery.estate.constants import EstablishmentStatus
    from recovery.estate.models import Establishment
    from recovery.frameworks.models import Stage
    from recovery.plans.models import Plan
    from recovery.progression.constants import AssessmentStatus as A
    from recovery.progression.constants import ChangeKind, ChangeStatus, Step
    from recovery.progression.models import ReadinessAssessment, SignOff, StageChange

    if StageChange.objects.exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    stages = {s.number: s for s in Stage.objects.all()}
    lockdown, fullest = max(stages), min(stages)
    sites = list(Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code"))
    changes, outbreaks, decided = [], [], []  # decided: (site, from, to, day)
    for index, site in enumerate(sites):
        day = today - timedelta(days=365 - rng.randrange(0, 20))
        number = lockdown
        changes.append((site, number, None, day, ChangeKind.INITIAL, ChangeStatus.IN_EFFECT))
        while True:
            day += timedelta(days=rng.randrange(40, 150))
            if day > today:
                break
            if number < lockdown and rng.random() < 0.2:
                kind, target = ChangeKind.EMERGENCY, number + 1
            elif number > fullest + 1:
                kind, target = ChangeKind.COMMENCEMENT, number - 1
                decided.append((site, number, target, day - timedelta(days=7)))
            else:
                continue
            recent = (today - day).days < 14 and kind == ChangeKind.EMERGENCY
            status = ChangeStatus.TO_BE_RATIFIED if recent else ChangeStatus.IN_EFFECT
            changes.append((site, target, number, day, kind, status))
            number = target
        if index % 10 == 0 and number > fullest:
            # Approved this week, to commence next week (the minutes: 11 in one week).
            approved_on = today - timedelta(days=rng.randrange(0, 6))
            decided.append((site, number, number - 1, approved_on))
            start = today + timedelta(days=7)
            changes.append(
                (site, number - 1, number, start, ChangeKind.COMMENCEMENT, ChangeStatus.IN_EFFECT)
            )
        # Outbreaks of the year; about 45% still open today.
        start = today - timedelta(days=360)
        while True:
            start += timedelta(days=rng.randrange(40, 200))
            if start >= today - timedelta(days=30):
                break
            end = start + timedelta(days=rng.randrange(10, 40))
            outbreaks.append((site, start, min(end, today - timedelta(days=1))))
            start = end
        if rng.random() < 0.45:
            outbreaks.append((site, today - timedelta(days=rng.randrange(1, 29)), None))

    with transaction.atomic():
        StageChange.objects.bulk_create(
            StageChange(
                establishment=site,
                stage=stages[number],
                previous_stage=stages[previous] if previous else None,
                effective_from=day,
                kind=kind,
                status=status,
                reason="Benchmark history",
                decided_by_name="Benchmark",
            )
            for site, number, previous, day, kind, status in changes
        )
        Outbreak.objects.bulk_create(
            Outbreak(
                establishment=site, declared_on=start, ended_on=end, declared_by_name="Benchmark"
            )
            for site, start, end in outbreaks
        )
        plans = {(p.establishment_id, p.stage_id): p for p in Plan.objects.all()}
        wanted = {(site.pk, stages[to].pk) for site, _, to, _ in decided} | {
            (site.pk, stages[lockdown - 1].pk) for site in sites
        }
        Plan.objects.bulk_create(
            Plan(establishment_id=e, stage_id=s) for e, s in sorted(wanted - set(plans))
        )
        plans = {(p.establishment_id, p.stage_id): p for p in Plan.objects.all()}
        approved = ReadinessAssessment.objects.bulk_create(
            ReadinessAssessment(
                establishment=site,
                plan=plans[(site.pk, stages[to].pk)],
                from_stage=stages[source],
                to_stage=stages[to],
                status=A.APPROVED,
                status_since=_noon(day),
                decided_at=_noon(day),
            )
            for site, source, to, day in decided
        )
        SignOff.objects.bulk_create(
            SignOff(assessment=a, step=Step.APPROVED, by_name="Benchmark panel") for a in approved
        )
        for a, (_, _, _, day) in zip(approved, decided, strict=True):
            SignOff.objects.filter(assessment=a).update(at=_noon(day))
        waiting = [A.AWAITING_UNION, A.AWAITING_PGD, A.AWAITING_PANEL, A.DEFERRED]
        ReadinessAssessment.objects.bulk_create(
            ReadinessAssessment(
                establishment=site,
                plan=plans[(site.pk, stages[lockdown - 1].pk)],
                from_stage=stages[lockdown],
                to_stage=stages[lockdown - 1],
                status=waiting[i % len(waiting)],
                status_since=_noon(today - timedelta(days=rng.randrange(0, 60))),
            )
            for i, site in enumerate(sites[::3])
        )


# --- The hand-written query -------------------------------------------------------------------

HAND_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (c.establishment_id) c.establishment_id, c.stage_id
    FROM progression_stagechange c
    WHERE c.status IN ('in_effect', 'to_be_ratified') AND c.effective_from <= %(on)s
    ORDER BY c.establishment_id, c.effective_from DESC, c.id DESC
), sick AS (
    SELECT DISTINCT o.establishment_id
    FROM covid_outbreak o
    WHERE o.declared_on <= %(on)s AND (o.ended_on IS NULL OR o.ended_on > %(on)s)
)
SELECT g.code, s.number, count(*), count(sick.establishment_id)
FROM estate_establishment e
JOIN estate_organisationunit u ON u.id = e.organisationunit_ptr_id
JOIN estate_organisationunit g ON g.id = u.parent_id
LEFT JOIN latest ON latest.establishment_id = u.id
LEFT JOIN frameworks_stage s ON s.id = latest.stage_id
LEFT JOIN sick ON sick.establishment_id = u.id
WHERE e.status = 'open' AND u.kind = 'establishment'
GROUP BY g.code, s.number
"""


def hand_counts(on) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, {"on": on})
        return {(code, number): (n, sick) for code, number, n, sick in cursor.fetchall()}


def our_counts(nation, on, number_of: dict) -> dict:
    """The same figures from the page's own query (`stage_counts`)."""
    from recovery.progression.national import open_establishments, stage_counts

    return {
        (c["parent__code"], number_of.get(c["stage_on"])): (c["establishments"], c["in_outbreak"])
        for c in stage_counts(open_establishments(nation), on)
    }


def timed_side_by_side(ours, theirs) -> tuple[float, float]:
    """Median ms of each, run in turn (ours, theirs, ours...) so that a busy spell of the
    machine falls on both alike."""
    mine, hand = [], []
    for i in range(REPEATS * 5 + 1):
        for function, timings in ((ours, mine), (theirs, hand)):
            started = time.perf_counter()
            function()
            if i:
                timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(mine), statistics.median(hand)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    load_estate()
    generate_history()

    from recovery.accounts.models import User
    from recovery.covid.models import Outbreak
    from recovery.estate.models import Establishment, OrganisationUnit
    from recovery.frameworks.models import Stage
    from recovery.progression.models import ReadinessAssessment, StageChange
    from recovery.progression.national import stage_picture

    admin = User.objects.get(email="admin@demo.example")
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    nation = OrganisationUnit.objects.get(kind="nation")
    today = timezone.localdate()
    past = today - timedelta(days=PAST_DAYS)
    groups = (
        OrganisationUnit.objects.filter(kind="prison_group")
        .annotate(size=Count("children"))
        .order_by("size", "code")
    )
    smallest, largest = groups.first(), groups.last()
    picture = stage_picture(nation)
    print(
        f"database: {connection.vendor}; establishments: {Establishment.objects.count()} "
        f"({picture.establishments} open); groups: {groups.count()}; stage changes: "
        f"{StageChange.objects.count()}; outbreaks: {Outbreak.objects.count()} "
        f"({picture.in_outbreak} in outbreak today); assessments: "
        f"{ReadinessAssessment.objects.count()}; approved this week: {picture.approved}; "
        f"repeats: {REPEATS}"
    )
    pages = [
        ("National, today", "/progression/national/"),
        (f"National, as at {PAST_DAYS} days ago", f"/progression/national/?on={past}"),
        (
            "National, filtered (two groups, two types)",
            f"/progression/national/?group={smallest.code}&group={largest.code}"
            "&type=local&type=cat_c",
        ),
        (f"Group, smallest ({smallest.size})", f"/progression/group/{smallest.code}/"),
        (f"Group, largest ({largest.size})", f"/progression/group/{largest.code}/"),
        ("National spreadsheet", f"/progression/national/?on={past}&format=xlsx"),
    ]
    print("| page | queries | median ms | max ms | CPU median ms |")
    print("|---|---:|---:|---:|---:|")
    counts = {}
    for label, url in pages:
        median, worst, cpu, queries = measure(client, url)
        counts[label] = queries
        print(f"| {label} | {queries} | {median:.1f} | {worst:.1f} | {cpu:.1f} |")
    if counts[pages[3][0]] != counts[pages[4][0]]:
        raise SystemExit("query count grows with group size")

    print("\n| national counts on | page's query (ms) | hand-written SQL (ms) | ratio |")
    print("|---|---:|---:|---:|")
    number_of = dict(Stage.objects.values_list("pk", "number"))
    for label, on in (("today", today), (f"{PAST_DAYS} days ago", past)):
        ours, hand = our_counts(nation, on, number_of), hand_counts(on)
        if ours != hand:
            raise SystemExit(f"the counts differ on {on}: {ours} != {hand}")
        mine, theirs = timed_side_by_side(
            lambda on=on: our_counts(nation, on, number_of), lambda on=on: hand_counts(on)
        )
        print(f"| {label} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f} |")


if __name__ == "__main__":
    main()

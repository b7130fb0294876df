"""Benchmark: national backlog figures over 120 establishments x 60 metrics x 104 weeks (about
750,000 current values) against ONE hand-written SQL aggregate computing the same totals, and
the backlog dashboards through Django's full stack.

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_backlogs"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_backlogs
    .venv/bin/python bench/backlog_national.py

Migrates the database and, the first time, loads the demo estate (124 establishments, one
closed, in 21 prison groups; the demo accounts), tops the metric catalogue up to 60 active
metrics (one "staff in post", six per-person figures weighted by it, three percentages as plain
means, the rest counts), and writes, deterministically, 104 weekly returns for 120 open
establishments: one current value of every metric a week (about 2% corrected once, the old
revision kept), by COPY. Then ANALYZE.

It then times, in turn (ours, theirs, ours...) so that a busy spell of the machine falls on both
alike, `aggregate()` of every active metric over the 104 periods (the national figures the
national dashboard reads when no release is published) against HAND_SQL, after checking that
both give the same figures; and requests each dashboard as the demo centre user (central
panel), REPEATS times after one warm-up, printing the median, the 95th percentile and the worst
server time, the CPU time of this process and the queries. "cold": the cache is emptied before
each request, so the page adds the live figures up and renders every chart; "kept": the
figures and rendered charts kept under the stamp of the data (recovery/backlogs/dashboard.py,
`data_stamp`), as every request after the first sees until a figure changes.
"""

import os
import random
import statistics
import sys
import time
import warnings
from decimal import ROUND_HALF_UP, Decimal
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
SEED = 10
SITES = 120
METRICS = 60
WEEKS = 104
CENT = Decimal("0.01")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, url: str, cold: bool) -> tuple[float, float, float, float, int]:
    """Median, 95th percentile and worst wall-clock ms, median CPU ms, and the queries. `cold`:
    the cache emptied before each request (live figures added up every time)."""
    from django.core.cache import cache

    timings, cpu = [], []
    queries = 0
    for i in range(REPEATS + 1):
        if cold:
            cache.clear()
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
    return (
        statistics.median(timings),
        percentile(timings, 0.95),
        max(timings),
        statistics.median(cpu),
        queries,
    )


# --- The data ---------------------------------------------------------------------------------


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


def top_up_catalogue() -> None:
    """60 active metrics: the catalogue's own (if a seed loaded one) and bench metrics."""
    from recovery.backlogs.constants import Aggregation, BacklogArea, MetricUnit
    from recovery.backlogs.models import Metric

    active = Metric.objects.filter(active=True)
    if active.count() >= METRICS:
        return
    areas = list(BacklogArea.values)
    staff = active.filter(code__icontains="staff-in-post").first()
    if staff is None:
        staff = Metric.objects.create(
            code="bench-staff-in-post",
            name="Staff in post (bench)",
            area=BacklogArea.RESILIENCE,
            unit=MetricUnit.PEOPLE,
            order=1000,
        )
    n = 0
    while Metric.objects.filter(active=True).count() < METRICS:
        n += 1
        fields = {"aggregation": Aggregation.SUM, "unit": MetricUnit.CASES}
        if n <= 6:
            fields = {
                "aggregation": Aggregation.WEIGHTED_MEAN,
                "weight_metric": staff,
                "unit": MetricUnit.HOURS,
            }
        elif n <= 9:
            fields = {"aggregation": Aggregation.WEIGHTED_MEAN, "unit": MetricUnit.PERCENT}
        Metric.objects.create(
            code=f"bench-metric-{n:02d}",
            name=f"Bench metric {n:02d}",
            area=areas[n % len(areas)],
            national_target=Decimal(50) if n % 3 == 0 else None,
            order=1000 + n,
            **fields,
        )


def periods() -> list:
    from recovery.backlogs.periods import period_start_of, periods_back, previous_period

    latest = previous_period(period_start_of(timezone.localdate()))
    return periods_back(latest, WEEKS)


def generate_returns() -> None:
    """104 weekly returns of every active metric for 120 open establishments, by COPY."""
    from recovery.backlogs.constants import MetricUnit, ValueSource
    from recovery.backlogs.models import Metric, Return, ReturnValue
    from recovery.estate.constants import EstablishmentStatus
    from recovery.estate.models import Establishment

    if ReturnValue.objects.exists():
        return
    rng = random.Random(SEED)
    weeks = periods()
    sites = list(
        Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code")[:SITES]
    )
    metrics = list(Metric.objects.filter(active=True).order_by("pk"))
    now = timezone.now()
    with transaction.atomic():
        returns = Return.objects.bulk_create(
            Return(
                establishment=site,
                period_start=week,
                first_submitted_at=now,
                last_changed_at=now,
            )
            for site in sites
            for week in weeks
        )
        return_of = {(r.establishment_id, r.period_start): r.pk for r in returns}
        columns = (
            "return_record_id, establishment_id, metric_id, period_start, value, revision, "
            "current, entered_at, entered_by_name, source, note"
        )
        table = ReturnValue._meta.db_table
        copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for site in sites:
                for metric in metrics:
                    if metric.unit == MetricUnit.PERCENT:
                        level, slope = rng.uniform(40, 95), rng.uniform(-0.3, 0.3)
                    elif "staff" in metric.code:
                        level, slope = rng.uniform(250, 800), rng.uniform(-0.5, 0.5)
                    else:
                        level, slope = rng.uniform(0, 400), rng.uniform(-3, 2)
                    for t, week in enumerate(weeks):
                        value = level + slope * t + rng.uniform(-5, 5)
                        value = min(100.0, value) if metric.unit == MetricUnit.PERCENT else value
                        value = Decimal(max(0.0, value)).quantize(CENT)
                        if metric.unit in (MetricUnit.PEOPLE, MetricUnit.CASES):
                            value = value.quantize(Decimal(1))
                        key = return_of[(site.pk, week)]
                        row = [key, site.pk, metric.pk, week]
                        if rng.random() < 0.02:  # corrected once: the old revision kept
                            old = value + 3
                            copy.write_row([*row, old, 1, False, now, "Bench", "form", ""])
                            copy.write_row([*row, value, 2, True, now, "Bench", "form", ""])
                        else:
                            copy.write_row(
                                [*row, value, 1, True, now, "Bench", ValueSource.DEMO, ""]
                            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- The hand-written query -------------------------------------------------------------------

# Written as a person knowing the catalogue would: which metrics are summed (or plain means)
# and which are weighted, by which weight, named in the query ({unweighted}, {weighted},
# {weights} are lists of ids filled in once, before timing).
HAND_SQL = """
SELECT v.metric_id, v.period_start, SUM(v.value), COUNT(*), NULL, NULL, NULL
FROM backlogs_returnvalue v
JOIN estate_establishment e ON e.organisationunit_ptr_id = v.establishment_id
WHERE v.current AND e.status = 'open' AND v.metric_id IN ({unweighted})
  AND v.period_start BETWEEN %(first)s AND %(last)s
GROUP BY v.metric_id, v.period_start
UNION ALL
SELECT v.metric_id, v.period_start, NULL, NULL, SUM(v.value * w.value), SUM(w.value), COUNT(*)
FROM backlogs_returnvalue v
JOIN estate_establishment e ON e.organisationunit_ptr_id = v.establishment_id
JOIN backlogs_metric m ON m.id = v.metric_id
JOIN backlogs_returnvalue w
  ON w.establishment_id = v.establishment_id AND w.period_start = v.period_start
 AND w.metric_id = m.weight_metric_id AND w.current
WHERE v.current AND e.status = 'open'
  AND v.metric_id IN ({weighted}) AND w.metric_id IN ({weights})
  AND v.period_start BETWEEN %(first)s AND %(last)s
  AND w.period_start BETWEEN %(first)s AND %(last)s
GROUP BY v.metric_id, v.period_start
"""


def hand_totals(weeks, sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": weeks[0], "last": weeks[-1]})
        return cursor.fetchall()


def hand_figures(rows, metrics) -> dict:
    """The hand query's totals as figures (value, reporting), as people read them."""
    from recovery.backlogs.constants import Aggregation

    by_pk = {m.pk: m for m in metrics}
    figures = {}
    for metric_id, week, total, n, weighted, weights, weighed in rows:
        metric = by_pk[metric_id]
        if metric.aggregation == Aggregation.SUM:
            figures[(metric_id, week)] = (total.quantize(CENT, ROUND_HALF_UP), n)
        elif metric.weight_metric_id:
            value = (weighted / weights).quantize(CENT, ROUND_HALF_UP) if weighed else None
            figures[(metric_id, week)] = (value, weighed)
        else:
            figures[(metric_id, week)] = ((total / n).quantize(CENT, ROUND_HALF_UP), n)
    return {k: v for k, v in figures.items() if v[1]}


def our_figures(metrics, weeks) -> dict:
    from recovery.backlogs.aggregates import NATION, aggregate

    return {
        (metric_id, week): (f.value, f.reporting)
        for (metric_id, unit, week), f in aggregate(metrics, weeks).items()
        if unit is NATION and f.reporting
    }


def timed_side_by_side(ours, theirs) -> tuple[list[float], list[float]]:
    mine, hand = [], []
    for i in range(REPEATS * 3 + 1):
        for function, timings in ((ours, mine), (theirs, hand)):
            started = time.perf_counter()
            function()
            if i:
                timings.append((time.perf_counter() - started) * 1000)
    return mine, hand


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    load_estate()
    top_up_catalogue()
    generate_returns()

    from django.db.models import Count

    from recovery.accounts.models import User
    from recovery.backlogs.aggregates import aggregate
    from recovery.backlogs.models import Metric, ReturnValue
    from recovery.estate.models import Establishment, OrganisationUnit

    metrics = list(Metric.objects.filter(active=True))
    weeks = periods()
    print(
        f"database: {connection.vendor}; establishments: {Establishment.objects.count()}; "
        f"metrics: {len(metrics)}; periods: {len(weeks)} ({weeks[0]} to {weeks[-1]}); "
        f"values: {ReturnValue.objects.count():,} "
        f"({ReturnValue.objects.filter(current=True).count():,} current); repeats: {REPEATS}"
    )

    weighted = [m for m in metrics if m.aggregation != "sum" and m.weight_metric_id]
    sql = HAND_SQL.format(
        unweighted=", ".join(str(m.pk) for m in metrics if m not in weighted),
        weighted=", ".join(str(m.pk) for m in weighted),
        weights=", ".join(str(pk) for pk in sorted({m.weight_metric_id for m in weighted})),
    )
    ours = our_figures(metrics, weeks)
    hand = hand_figures(hand_totals(weeks, sql), metrics)
    if ours != hand:
        differ = sorted(k for k in set(ours) | set(hand) if ours.get(k) != hand.get(k))[:5]
        raise SystemExit(f"the figures differ: {[(k, ours.get(k), hand.get(k)) for k in differ]}")
    with CaptureQueriesContext(connection) as captured:
        aggregate(metrics, weeks)
    mine, theirs = timed_side_by_side(
        lambda: aggregate(metrics, weeks), lambda: hand_totals(weeks, sql)
    )
    print(f"\n{len(ours):,} national figures, the same from both.")
    print("| national figures, 60 metrics x 104 weeks | queries | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| aggregate() | {len(captured)} | {statistics.median(mine):.1f} | "
        f"{percentile(mine, 0.95):.1f} | {max(mine):.1f} |"
    )
    print(
        f"| hand-written SQL | 1 | {statistics.median(theirs):.1f} | "
        f"{percentile(theirs, 0.95):.1f} | {max(theirs):.1f} |"
    )
    print(f"ratio of medians: {statistics.median(mine) / statistics.median(theirs):.2f}")

    if "--figures-only" in sys.argv:
        return
    centre = User.objects.get(email="centre@demo.example")
    client = Client(HTTP_HOST="localhost")
    client.force_login(centre)
    groups = (
        OrganisationUnit.objects.filter(kind="prison_group")
        .annotate(size=Count("children"))
        .order_by("size", "code")
    )
    smallest, largest = groups.first(), groups.last()
    site = Establishment.objects.filter(status="open").order_by("code").first()
    others = list(Establishment.objects.filter(status="open").order_by("code")[:6])
    metric = next(m for m in metrics if m.aggregation == "sum")
    compare = f"/backlogs/compare/?metric={metric.code}" + "".join(
        f"&establishments={s.code}" for s in others
    )
    pages = [
        ("National dashboard (26 weeks shown), cold", "/backlogs/national/", True),
        ("National dashboard (26 weeks shown), kept", "/backlogs/national/", False),
        ("National dashboard, 104 weeks shown, cold", "/backlogs/national/?periods=104", True),
        ("National dashboard, 104 weeks shown, kept", "/backlogs/national/?periods=104", False),
        (
            f"Group dashboard, smallest ({smallest.size}), cold",
            f"/backlogs/groups/{smallest.code}/",
            True,
        ),
        (
            f"Group dashboard, largest ({largest.size}), cold",
            f"/backlogs/groups/{largest.code}/",
            True,
        ),
        ("Establishment dashboard", f"/backlogs/{site.code}/", False),
        ("Comparison, 6 establishments", compare, False),
        ("National dashboard, spreadsheet, kept", "/backlogs/national/?format=xlsx", False),
    ]
    print(
        "\n| page (as the central panel) | queries | median ms | p95 ms | max ms | CPU median ms |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    counts = {}
    for label, url, cold in pages:
        median, p95, worst, cpu, queries = measure(client, url, cold)
        counts[label] = queries
        print(f"| {label} | {queries} | {median:.1f} | {p95:.1f} | {worst:.1f} | {cpu:.1f} |")
    if counts[pages[4][0]] != counts[pages[5][0]]:
        raise SystemExit("query count grows with group size")


if __name__ == "__main__":
    main()

"""Benchmark: publishing backlog releases and reading a release "as at", over 120 establishments
x 60 metrics x 104 weeks (about 750,000 current values).

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_releases"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_releases
    .venv/bin/python bench/releases.py

Migrates the database and, the first time, loads the demo estate (124 establishments in 21
prison groups, the demo accounts), 60 active metrics and, deterministically, 103 weekly returns
of every metric for 120 open establishments, each value entered on its period's deadline day,
by COPY; then ANALYZE. Then:
1. `publish_due_releases` from nothing: 103 releases, one after another (what the first run
   on a service with two years of returns does): total and per-release time.
2. 200 corrections in 10 earlier periods, the 104th week's returns, and one more release:
   its time and how many figures it stored again as revised.
3. `figures_as_at(latest, nation, 60 metrics, 104 periods)` (what a national dashboard reads)
   and the same for one group: queries and median/worst time over REPEATS runs.
4. The release page and its .xlsx export as the demo centre user: server time and queries.
"""

import os
import random
import statistics
import sys
import time
import warnings
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "20"))
SEED = 16
SITES = 120
METRICS = 60
WEEKS = 104


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


def metrics() -> list:
    from recovery.backlogs.constants import BacklogArea, MetricUnit
    from recovery.backlogs.models import Metric

    areas = list(BacklogArea.values)
    for n in range(Metric.objects.filter(active=True).count(), METRICS):
        Metric.objects.create(
            code=f"bench-metric-{n:02d}",
            name=f"Bench metric {n:02d}",
            area=areas[n % len(areas)],
            unit=MetricUnit.PEOPLE if n % 2 else MetricUnit.CASES,
            order=1000 + n,
        )
    return list(Metric.objects.filter(active=True).order_by("pk"))


def weeks() -> list:
    from recovery.backlogs.periods import period_start_of, periods_back, previous_period

    latest = previous_period(previous_period(period_start_of(timezone.localdate())))
    return periods_back(latest, WEEKS)


def write_returns(sites, chosen, periods, rng) -> None:
    from recovery.backlogs.models import Return, ReturnSettings, ReturnValue
    from recovery.backlogs.periods import deadline_of

    with transaction.atomic():
        returns = Return.objects.bulk_create(
            Return(
                establishment=site,
                period_start=week,
                first_submitted_at=timezone.now(),
                last_changed_at=timezone.now(),
            )
            for site in sites
            for week in periods
        )
        return_of = {(r.establishment_id, r.period_start): r.pk for r in returns}
        columns = (
            "return_record_id, establishment_id, metric_id, period_start, value, revision, "
            "current, entered_at, entered_by_name, source, note"
        )
        copy_sql = f"COPY {ReturnValue._meta.db_table} ({columns}) FROM STDIN"
        settings = ReturnSettings.current()
        entered_on = {
            week: timezone.make_aware(
                datetime.combine(deadline_of(week, settings), datetime.min.time())
            )
            + timedelta(hours=10)
            for week in periods
        }
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for site in sites:
                for metric in chosen:
                    level, slope = rng.uniform(0, 400), rng.uniform(-3, 2)
                    for t, week in enumerate(periods):
                        value = Decimal(max(0, round(level + slope * t + rng.uniform(-5, 5))))
                        entered = entered_on[week]
                        copy.write_row(
                            [
                                return_of[(site.pk, week)],
                                site.pk,
                                metric.pk,
                                week,
                                value,
                                1,
                                True,
                                entered,
                                "Bench",
                                "demo",
                                "",
                            ]
                        )


def sites() -> list:
    from recovery.estate.constants import EstablishmentStatus
    from recovery.estate.models import Establishment

    return list(
        Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code")[:SITES]
    )


def correct(rng, chosen, periods) -> None:
    """200 corrections in 10 earlier periods, entered now, as the returns door writes them."""
    from recovery.backlogs.models import ReturnValue

    targets = ReturnValue.objects.filter(
        current=True, period_start__in=rng.sample(periods[:-10], 10)
    ).order_by("?")[:200]
    with transaction.atomic():
        for old in targets:
            ReturnValue.objects.filter(pk=old.pk).update(current=False)
            ReturnValue.objects.create(
                return_record_id=old.return_record_id,
                establishment_id=old.establishment_id,
                metric_id=old.metric_id,
                period_start=old.period_start,
                value=old.value + 7,
                revision=old.revision + 1,
                entered_at=timezone.now(),
                entered_by_name="Bench correction",
            )


def revised_figures_marker():
    from django.db.models import Q

    return Q(figures__revised=True)


def timed(call, repeats=REPEATS):
    timings, queries = [], 0
    for i in range(repeats + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            elapsed = (time.perf_counter() - started) * 1000
        if i:
            timings.append(elapsed)
        queries = len(captured)
    return statistics.median(timings), max(timings), queries, result


def main() -> None:
    from recovery.accounts.models import User
    from recovery.backlogs.models import Release, ReleaseFigure, ReturnValue
    from recovery.backlogs.releases import (
        do_publish_release,
        figures_as_at,
        latest_release,
        national_unit,
    )
    from recovery.core.constants import UnitKind
    from recovery.core.scope import COMMAND_LINE
    from recovery.estate.models import OrganisationUnit

    call_command("migrate", verbosity=0)
    load_estate()
    rng = random.Random(SEED)
    chosen = metrics()
    periods = weeks()
    the_sites = sites()
    if not ReturnValue.objects.exists():
        print("Writing returns…", flush=True)
        write_returns(the_sites, chosen, periods[:-1], rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{ReturnValue.objects.filter(current=True).count():,} current values", flush=True)

    if not Release.objects.exists():
        started = time.perf_counter()
        call_command("publish_due_releases", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        total = time.perf_counter() - started
        count = Release.objects.count()
        print(
            f"1. publish_due_releases from nothing: {count} releases in {total:.1f} s "
            f"({total / count * 1000:.0f} ms each), {ReleaseFigure.objects.count():,} figures"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    if not Release.objects.filter(revised_figures_marker()).exists():
        correct(rng, chosen, periods)
        following = latest_release().period_start + timedelta(days=7)
        started = time.perf_counter()
        release = do_publish_release(following, acting_user=COMMAND_LINE)
        elapsed = (time.perf_counter() - started) * 1000
        print(
            f"2. one more release after 200 corrections in 10 earlier periods: {elapsed:.0f} ms, "
            f"{release.new_figures} figures, {release.revised_figures} revised"
        )

    latest = latest_release()
    nation = national_unit()
    group = OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP).order_by("code").first()
    for label, unit in (("nation", nation), (f"group {group.code}", group)):
        median, worst, queries, found = timed(
            lambda unit=unit: figures_as_at(latest, unit, chosen, periods)
        )
        print(
            f"3. figures_as_at({label}, {len(chosen)} metrics, {len(periods)} periods): "
            f"{len(found):,} figures, {queries} query, median {median:.0f} ms, worst {worst:.0f} ms"
        )

    client = Client()
    client.force_login(User.objects.get(email="centre@demo.example"))
    for url in (
        f"/backlogs/releases/{latest.number}/",
        f"/backlogs/releases/{latest.number}/?format=xlsx",
    ):
        median, worst, queries, response = timed(lambda url=url: client.get(url), repeats=10)
        assert response.status_code == 200, response.status_code
        print(f"4. {url}: median {median:.0f} ms, worst {worst:.0f} ms, {queries} queries")


if __name__ == "__main__":
    main()

"""Benchmark: queries and server time of the estate pages at national scale.

Usage (PostgreSQL, as in production):
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench
    .venv/bin/python bench/estate_pages.py

    # the same pages on an estate about a fifth of the size, in a second database
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_small
    .venv/bin/python bench/estate_pages.py --small-estate

Migrates the database named by DATABASE_URL (default: the SQLite file), loads the national demo
data if it is empty (with --small-estate: the same demo estate cut down to one establishment per
prison group and one office per PDU, plus the units the demo accounts sit in), then requests
each page through Django's full stack (middleware, templates) as a signed-in administrator,
REPEATS times after one warm-up request, and prints the median and worst server time and the
number of queries. Query counts are also taken for the smallest and the largest prison group:
they must be equal, whatever the number of establishments; comparing the full and the small
estate shows the same for the national pages. Figures go to docs/performance.md.
"""

import argparse
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

from recovery.core.scope import DEMO_DATA

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "20"))


def _establishments(count: int) -> str:
    return f"{count} establishment{'s' if count != 1 else ''}"


def measure(client: Client, url: str) -> tuple[float, float, float, int]:
    """Median and worst wall-clock ms, median CPU ms of this process (not PostgreSQL's: on a
    busy machine it moves less than the wall clock), and the number of queries."""
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
        if i:  # the first request warms caches and templates
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
        queries = len(captured)
    return statistics.median(timings), max(timings), statistics.median(cpu), queries


def seed_small_estate() -> None:
    """The demo data of `seed_demo`, on a cut-down estate: every prison group, region and PDU,
    but only the first establishment of each group (and those the demo accounts hold) and the
    first office of each PDU."""
    from recovery.core.constants import UnitKind
    from recovery.estate.actions import do_load_estate
    from recovery.estate.demo import DEMO_ACCOUNTS, DEMO_SOURCE, build_demo_estate
    from recovery.estate.importer import EstateData
    from recovery.estate.management.commands.seed_demo import Command
    from recovery.estate.models import OrganisationUnit

    if OrganisationUnit.objects.exists():
        return
    held = {r.unit_code for a in DEMO_ACCOUNTS for r in a.roles}
    kept_parents: set[str] = set()
    units = []
    for unit in build_demo_estate().units:
        if unit.kind in (UnitKind.ESTABLISHMENT, UnitKind.OFFICE):
            first = unit.parent_code not in kept_parents
            if not first and unit.code not in held:
                continue
            kept_parents.add(unit.parent_code)
        units.append(unit)
    do_load_estate(EstateData(units), acting_user=DEMO_DATA, source=DEMO_SOURCE)
    command = Command()
    command._accounts()
    command._other_apps()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small-estate",
        action="store_true",
        help="seed an empty database with a cut-down demo estate instead of the full one",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    if args.small_estate:
        seed_small_estate()
    else:
        call_command("seed_demo", "--if-empty", verbosity=0, stdout=io.StringIO())

    from recovery.accounts.models import User
    from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

    admin = User.objects.get(email="admin@demo.example")
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)

    groups = (
        OrganisationUnit.objects.filter(kind="prison_group")
        .annotate(size=Count("children"))
        .order_by("size", "code")
    )
    smallest, largest = groups.first(), groups.last()
    establishment = Establishment.objects.order_by("code").first()
    pages = [
        ("Home (administrator, nation)", "/"),
        ("National estate", "/estate/"),
        ("Establishments list (all)", "/estate/establishments/"),
        (
            "Establishments list (closed included, holding category B)",
            "/estate/establishments/?include_closed=yes&category=B",
        ),
        (f"Group, smallest ({_establishments(smallest.size)})", f"/estate/groups/{smallest.code}/"),
        (f"Group, largest ({_establishments(largest.size)})", f"/estate/groups/{largest.code}/"),
        ("Establishment page", f"/estate/establishments/{establishment.code}/"),
        ("Probation estate", "/estate/probation/"),
    ]
    vendor = connection.vendor
    print(
        f"database: {vendor}; establishments: {Establishment.objects.count()}; "
        f"groups: {groups.count()}; probation offices: {ProbationOffice.objects.count()}; "
        f"repeats: {REPEATS}"
    )
    print("| page | queries | median ms | max ms | CPU median ms |")
    print("|---|---:|---:|---:|---:|")
    counts = {}
    for label, url in pages:
        median, worst, cpu, queries = measure(client, url)
        counts[label] = queries
        print(f"| {label} | {queries} | {median:.1f} | {worst:.1f} | {cpu:.1f} |")
    small = counts[pages[4][0]]
    large = counts[pages[5][0]]
    if small != large:
        raise SystemExit(f"query count grows with group size: {small} vs {large}")
    print("query counts are the same for the smallest and the largest group")


if __name__ == "__main__":
    main()

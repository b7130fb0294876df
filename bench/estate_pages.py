"""Benchmark: queries and server time of the estate pages at national scale.

Usage (PostgreSQL, as in production):
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench
    .venv/bin/python bench/estate_pages.py

Migrates the database named by DATABASE_URL (default: the SQLite file), loads the national demo
data if it is empty, then requests each page through Django's full stack (middleware, templates)
as a signed-in person, REPEATS times, and prints the median and worst server time and the number
of queries. Query counts are also taken for the smallest and the largest prison group: they must
be equal, whatever the number of establishments. Figures go to docs/performance.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "20"))


def measure(client: Client, url: str) -> tuple[float, float, int]:
    timings = []
    queries = 0
    for i in range(REPEATS + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if i:  # the first request warms caches and templates
            timings.append(elapsed)
        queries = len(captured)
    return statistics.median(timings), max(timings), queries


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--if-empty", verbosity=0)

    from recovery.accounts.models import User
    from recovery.estate.models import Establishment, OrganisationUnit

    admin = User.objects.get(email="admin@demo.example")
    client = Client()
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
        (f"Group, smallest ({smallest.size} establishments)", f"/estate/groups/{smallest.code}/"),
        (f"Group, largest ({largest.size} establishments)", f"/estate/groups/{largest.code}/"),
        ("Establishment page", f"/estate/establishments/{establishment.code}/"),
        ("Probation estate", "/estate/probation/"),
    ]
    vendor = connection.vendor
    print(
        f"database: {vendor}; establishments: {Establishment.objects.count()}; "
        f"groups: {groups.count()}; repeats: {REPEATS}"
    )
    print("| page | median ms | max ms | queries |")
    print("|---|---:|---:|---:|")
    counts = {}
    for label, url in pages:
        median, worst, queries = measure(client, url)
        counts[label] = queries
        print(f"| {label} | {median:.1f} | {worst:.1f} | {queries} |")
    small = counts[pages[3][0]]
    large = counts[pages[4][0]]
    if small != large:
        raise SystemExit(f"query count grows with group size: {small} vs {large}")
    print("query counts are the same for the smallest and the largest group")


if __name__ == "__main__":
    main()

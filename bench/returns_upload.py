"""Benchmark: a 10,000-row returns upload, validated and saved, against a raw openpyxl read of the
same file (target: at most 2 x).

Usage (PostgreSQL, as in production, in a database of its own):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_returns"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_returns \\
        .venv/bin/python bench/returns_upload.py --repeats 5

Each round makes a new category C establishment and a workbook of 10,000 rows for it (50
metrics x 200 weeks, the template's columns), then times, taking turns:
- raw read: the same bytes opened as the import opens them (`load_workbook(read_only=True)`)
  and every row of every sheet read as values;
- upload: `do_import_returns` of those bytes: the upload guards, the engine's read, every check
  (period starts, metrics reported, values, duplicates), then 200 returns, 10,000 figures and
  201 audit events written (COPY).
Ratios are the median of the round-by-round ratios. Figures go to docs/performance.md."""

import argparse
import datetime
import io
import os
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

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from recovery.backlogs.actions import do_import_returns  # noqa: E402
from recovery.backlogs.importer import SPEC  # noqa: E402
from recovery.backlogs.models import ReturnValue  # noqa: E402
from recovery.backlogs.queries import metrics_reported_by  # noqa: E402
from recovery.core.scope import COMMAND_LINE  # noqa: E402
from recovery.estate.constants import EstablishmentType  # noqa: E402
from recovery.estate.factories import (  # noqa: E402
    EstablishmentFactory,
    NationFactory,
    PrisonGroupFactory,
)
from recovery.estate.models import OrganisationUnit  # noqa: E402

METRICS, WEEKS = 50, 200
TARGET = 2.0


def raw_read(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def workbook_for(establishment) -> bytes:
    metrics = metrics_reported_by(establishment)[:METRICS]
    assert len(metrics) == METRICS, f"only {len(metrics)} metrics reported"
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(SPEC.headings)
    for week in range(WEEKS):
        start = monday - datetime.timedelta(weeks=week)
        for k, metric in enumerate(metrics):
            value = 50 if metric.unit == "percent" else 100 + week + k
            sheet.append([establishment.code, start, metric.code, metric.name, value, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def setup():
    call_command("migrate", verbosity=0, interactive=False)
    nation = OrganisationUnit.objects.filter(kind="nation").first() or NationFactory()
    group = OrganisationUnit.objects.filter(code="BENCHRG").first() or PrisonGroupFactory(
        parent=nation, code="BENCHRG", name="Returns benchmark group"
    )
    return group


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    group = setup()
    stamp = int(time.time())
    results = {"raw": ([], []), "upload": ([], [])}
    for round_number in range(args.repeats + 1):
        site = EstablishmentFactory(
            parent=group,
            code=f"R{stamp % 100000}{round_number:02d}",
            name=f"HMP Returns bench {stamp}-{round_number}",
            establishment_type=EstablishmentType.CAT_C,
        )
        data = workbook_for(site)
        rows, raw_wall, raw_cpu = timed(lambda data=data: raw_read(data))
        assert rows == METRICS * WEEKS + 1
        summary, up_wall, up_cpu = timed(
            lambda data=data, site=site: do_import_returns(
                site, SimpleUploadedFile("returns.xlsx", data), acting_user=COMMAND_LINE
            )
        )
        assert summary.added == METRICS * WEEKS, summary
        assert ReturnValue.objects.filter(establishment=site).count() == METRICS * WEEKS
        if round_number == 0:
            print(f"warm-up: {len(data) / 1024:.0f} KiB file, {rows - 1:,} data rows")
            continue
        for key, wall, cpu in (("raw", raw_wall, raw_cpu), ("upload", up_wall, up_cpu)):
            results[key][0].append(wall)
            results[key][1].append(cpu)
    raw_wall, raw_cpu = results["raw"]
    up_wall, up_cpu = results["upload"]

    def ratio(a, b):
        return statistics.median(x / y for x, y in zip(a, b, strict=True))

    print(f"\n{args.repeats} rounds, {METRICS * WEEKS:,} rows ({METRICS} metrics x {WEEKS} weeks)")
    print("| step | median ms | min ms | CPU median ms |")
    print("|---|---:|---:|---:|")
    for label, wall, cpu in (
        ("raw openpyxl read (read-only)", raw_wall, raw_cpu),
        ("upload: validated and saved", up_wall, up_cpu),
    ):
        print(
            f"| {label} | {statistics.median(wall):.0f} | {min(wall):.0f} | "
            f"{statistics.median(cpu):.0f} |"
        )
    wall_ratio, cpu_ratio = ratio(up_wall, raw_wall), ratio(up_cpu, raw_cpu)
    print(
        f"\nupload / raw read: {wall_ratio:.2f} x wall, {cpu_ratio:.2f} x CPU "
        f"(target at most {TARGET} x): {'met' if wall_ratio <= TARGET else 'NOT met'}"
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

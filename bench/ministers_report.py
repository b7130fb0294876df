"""Benchmark: the fortnightly report to ministers over the whole country (issue 11).

Usage (PostgreSQL, a database of its own):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_ministers"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_ministers \\
        .venv/bin/python bench/ministers_report.py

Builds (once) what bench/probation_allocation.py builds: the demo estate (12 regions, 110 PDUs,
329 offices, each with a capacity and a current risk assessment) and 250,000 generated cases;
then ROUNDS times: `gather` (the figures), `do_generate_report` for the next fortnight
without a report (gather, changes since the last report, the stored snapshot, the audit event;
kept), and the PDF and .xlsx of the demo's report. Prints the median and worst time of each, the
queries `gather` made and the size of the snapshot."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "5"))


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    import datetime

    from bench.probation_allocation import build
    from recovery.core.pdf import render_pdf
    from recovery.core.scope import COMMAND_LINE
    from recovery.core.xlsx import workbook_bytes
    from recovery.probation.ministers import ReportReading, gather
    from recovery.probation.ministers_actions import do_generate_report, report_of_fortnight
    from recovery.probation.ministers_exports import report_sheets
    from recovery.probation.ministers_models import MinistersReport

    assert connection.vendor == "postgresql", "run the benchmark on PostgreSQL"
    build()
    today = timezone.localdate()
    report = report_of_fortnight(today) or do_generate_report(acting_user=COMMAND_LINE)
    reading = ReportReading.of(report.snapshot, None)
    context = {"report": report, "reading": reading, "generated_at": report.generated_at}

    def generate_later() -> None:
        # The next fortnight without a report (the bench's own database keeps them).
        latest = MinistersReport.objects.order_by("-fortnight_starts_on").first()
        later = latest.fortnight_starts_on + datetime.timedelta(days=14)
        do_generate_report(acting_user=COMMAND_LINE, as_at=later)

    works = {
        "gather": lambda: gather(today),
        "generate (a later fortnight)": generate_later,
        "PDF": lambda: render_pdf("probation/ministers_report_pdf.html", context),
        ".xlsx": lambda: workbook_bytes(report_sheets(report, reading)),
    }
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        snapshot = gather(today)
    print(
        f"{sum(snapshot['national']['caseload'].values()):,} cases, "
        f"{len(snapshot['regions'])} regions: gather made {len(queries.captured_queries)} "
        f"queries; snapshot {len(json.dumps(snapshot)) / 1024:.1f} KiB"
    )
    for name, work in works.items():
        timings = [timed(work) for _ in range(ROUNDS)]
        print(f"{name}: median {statistics.median(timings):.3f} s, worst {max(timings):.3f} s")


if __name__ == "__main__":
    main()

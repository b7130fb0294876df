"""Benchmark: the plan report (a PDF of the whole plan) of a 1,200-baseline plan.

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_plans"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_plans
    .venv/bin/python bench/plan_report.py                # 5 runs after a warm-up
    .venv/bin/python bench/plan_report.py --repeats 10 --file /tmp/report.pdf

Builds (the first time) the same plans as bench/plans.py: 10 published EDMs of 120 baselines
(1,200 answers, about 60% given) at HMP Benchmark Large. Then fetches /plans/BNL/report.pdf
through Django's full stack as the establishment's editor, and reports the median and worst wall
and CPU time (target: median at most 5 s), the time of the HTML alone (the template, before
WeasyPrint), the queries, the size of the PDF and its number of pages. The last PDF is kept at
--file so it can be read. Figures go to docs/performance.md.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import plans as plan_bench  # noqa: E402  (sets up Django and builds the benchmark plans)
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from recovery.plans.queries import evidence_names, plan_page  # noqa: E402

SECONDS_TARGET = 5.0


def fetch(client: Client, url: str) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        raise SystemExit(f"{url} answered {response.status_code} {response['Content-Type']}")
    return wall, cpu, response.content


def html_only(plan) -> tuple[float, int]:
    """The report's HTML (queries and template), without the PDF renderer."""
    started = time.perf_counter()
    html = render_to_string(
        "plans/report_pdf.html",
        {
            "establishment": plan.establishment,
            "plan": plan,
            "page": plan_page(plan),
            "evidence": evidence_names(plan),
            "generated_at": timezone.localtime(),
        },
    )
    return time.perf_counter() - started, len(html.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--file", default="/tmp/rrp-report-bench.pdf")
    args = parser.parse_args()
    plan, user = plan_bench.setup()[plan_bench.LARGE.code]
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/plans/{plan.establishment.code}/report.pdf?stage={plan.stage.number}"
    fetch(client, url)  # warm-up: imports WeasyPrint, loads fonts
    walls, cpus = [], []
    for _ in range(args.repeats):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu, data = fetch(client, url)
        walls.append(wall)
        cpus.append(cpu)
    html_seconds, html_bytes = html_only(plan)
    Path(args.file).write_bytes(data)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    median = statistics.median(walls)
    print(f"plan report of {plan.responses.count()} baselines, {args.repeats} runs\n")
    print("| measure | figure |")
    print("| --- | --- |")
    print(f"| wall time, median (worst) | {median:.2f} s ({max(walls):.2f} s) |")
    print(f"| CPU time, median (worst) | {statistics.median(cpus):.2f} s ({max(cpus):.2f} s) |")
    print(f"| of which the HTML (queries and template) | {html_seconds:.2f} s |")
    print(f"| queries | {len(queries)} |")
    print(f"| HTML | {html_bytes / 1024:.0f} KiB |")
    print(f"| PDF | {len(data) / 1024:.0f} KiB, {pages} pages |")
    met = "yes" if median <= SECONDS_TARGET else "NO"
    print(f"\ntarget: median at most {SECONDS_TARGET:.0f} s: {met}")


if __name__ == "__main__":
    main()

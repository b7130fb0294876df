"""Benchmark: one answer changed through the API (PATCH /api/v1/plans/{code}/responses) against
the same change through the plan's answer form (POST /plans/{code}/answer/), issue 12 ("the API
stays light").

Usage (PostgreSQL, as in production; the same database as bench/plans.py, whose 1,200-baseline
plan it builds the first time):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_plans"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_plans
    .venv/bin/python bench/api_patch.py --repeats 30

Both go through Django's full stack as the establishment's editor (a bearer token for the API,
a signed-in session for the form), change the owner of one answer of the large plan, and take
turns round by round after one warm-up round. Reported: median and worst wall time, and the
queries of the last run, BEGIN and COMMIT not counted (target: the PATCH in at most 6).
Figures go to docs/performance.md.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from plans import LARGE, Step, interleaved, setup  # noqa: E402 - sets Django up

from recovery.accounts.actions import do_create_api_token  # noqa: E402
from recovery.plans.models import Response  # noqa: E402

PATCH_QUERY_TARGET = 6


# BEGIN and COMMIT are logged as queries too; both requests write in one transaction.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def work(captured: CaptureQueriesContext) -> int:
    """The queries that read or write, not counting the transaction's BEGIN and COMMIT."""
    return sum(1 for q in captured if not q["sql"].startswith(TRANSACTION_CONTROL))


class Owners:
    """A new owner each run, so every run really writes (and records its audit event)."""

    def __init__(self):
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"Head of Residence {self.count}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    plan, user = setup()[LARGE.code]
    answer = Response.objects.filter(plan=plan, archived_at__isnull=True).order_by("pk").first()
    code = plan.establishment.code
    _, secret = do_create_api_token(name="Benchmark", acting_user=user)
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    form = Client(HTTP_HOST="localhost")
    form.force_login(user)
    owners = Owners()
    queries: dict[str, int] = {}

    def read() -> Response:
        return Response.objects.get(pk=answer.pk)

    def patch(current: Response) -> None:
        body = {"updates": [{"id": current.pk, "version": current.version, "owner": owners.next()}]}
        with CaptureQueriesContext(connection) as captured:
            result = api.patch(
                f"/api/v1/plans/{code}/responses", json.dumps(body), content_type="application/json"
            )
        if result.status_code != 200 or len(result.json()["changed"]) != 1:
            raise SystemExit(f"PATCH answered {result.status_code}: {result.content[:200]!r}")
        queries["api"] = work(captured)

    def post(current: Response) -> None:
        data = {
            "response": current.pk,
            "version": current.version,
            "status": current.status,
            "not_applicable_reason": current.not_applicable_reason,
            "chosen_option": current.chosen_option,
            "approach": current.approach,
            "owner": owners.next(),
        }
        if current.compliance_confirmed:
            data["compliance_confirmed"] = "true"
        if current.target_date:
            data["target_day"] = current.target_date.day
            data["target_month"] = current.target_date.month
            data["target_year"] = current.target_date.year
        with CaptureQueriesContext(connection) as captured:
            result = form.post(f"/plans/{code}/answer/", data)
        if result.status_code != 302:
            raise SystemExit(f"the answer form answered {result.status_code}")
        queries["form"] = work(captured)

    steps = [Step("API PATCH", patch, read), Step("form POST", post, read)]
    timings = interleaved(steps, args.repeats)
    print(f"One answer of {plan.responses.count():,} ({args.repeats} runs each, PostgreSQL)\n")
    print(
        "| change of one answer | queries (+ BEGIN, COMMIT) | median ms | max ms | CPU median ms |"
    )
    print("|---|---:|---:|---:|---:|")
    for timing, key in zip(timings, ("api", "form"), strict=True):
        print(
            f"| {timing.label} | {queries[key]} | {timing.median:.1f} | {timing.worst:.1f} | "
            f"{timing.cpu_median:.1f} |"
        )
    met = "met" if queries["api"] <= PATCH_QUERY_TARGET else "NOT MET"
    print(f"\nAPI PATCH queries <= {PATCH_QUERY_TARGET}: {queries['api']} ({met})")


if __name__ == "__main__":
    main()

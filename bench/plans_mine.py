"""Benchmark: plans people own (issue 12): the home page's "My baselines", the plan page with
the mine filter (`?mine=1`) and the answer page in a run ("Save and go to the next").

Usage (PostgreSQL, as in production; any database of its own, where bench/plans.py's plans are
built the first time):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_rapid"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_rapid
    .venv/bin/python bench/plans_mine.py --repeats 20

The 1,200-baseline plan of bench/plans.py (HMP Benchmark Large, about 60% answered) has first
30, then 300 of its baselines assigned to the establishment's editor (every 40th, then every
4th, in the plan's order; set directly, as bench data, not through the action, so that no
e-mail is queued). For each, through Django's full stack as that editor, one warm-up request
and REPEATS timed ones each: the home page (with "My baselines", which lists the open ones),
the plan page with ?mine=1, the answer page of the first baseline assigned to the editor
in the run of "My baselines" (`next=mine`) and in the plan's order of work (`next=plan`), and
"Save and go to the next" (a POST changing the owner of one answer, in the plan's order of
work; BEGIN and COMMIT not counted). Reported: queries (target: the same for 30 and 300),
median and worst server time, and the size of the HTML. The pages take turns, round by
round. Figures go to docs/performance.md.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from plans import LARGE, Step, interleaved, setup  # noqa: E402 - sets Django up

from recovery.plans.models import Response  # noqa: E402
from recovery.plans.queries import PLAN_ORDER, my_baselines  # noqa: E402

COUNTS = (30, 300)


class Page:
    """One page requested again and again: its queries and size are those of the last run."""

    def __init__(self, client: Client, url: str):
        self.client, self.url = client, url
        self.queries = self.size = 0

    def __call__(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(self.url)
        if response.status_code != 200:
            raise SystemExit(f"{self.url} answered {response.status_code}")
        self.queries, self.size = len(captured), len(response.content)


class SaveAndGoOn:
    """ "Save and go to the next" on one answer, in the plan's order of work: a new owner each
    run, so that every run writes (and records its audit event)."""

    def __init__(self, client: Client, code: str, response_id: int):
        self.client, self.code, self.response_id = client, code, response_id
        self.queries = self.size = self.runs = 0

    def prepare(self) -> dict:
        self.runs += 1
        current = Response.objects.get(pk=self.response_id)
        return {
            "response": current.pk,
            "version": current.version,
            "status": current.status,
            "approach": current.approach,
            "owner": f"Head of Residence {self.runs}",
            "assignee": str(current.assignee_id or ""),
            "not_applicable_reason": current.not_applicable_reason,
            "chosen_option": current.chosen_option,
            "compliance_confirmed": "on" if current.compliance_confirmed else "",
            "next": "plan",
            "then": "next",
        }

    def __call__(self, form: dict) -> None:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.post(f"/plans/{self.code}/answer/", form)
        if response.status_code != 302 or "next=plan" not in response["Location"]:
            raise SystemExit(f"Save and go to the next answered {response.status_code}")
        self.queries = sum(1 for q in captured if q["sql"] not in ("BEGIN", "COMMIT"))


def assign(plan, user, count: int) -> list[int]:
    """`count` of the plan's baselines, spread evenly over its order of work, to `user` alone."""
    ids = list(
        Response.objects.filter(plan=plan, archived_at__isnull=True)
        .order_by(*PLAN_ORDER)
        .values_list("pk", flat=True)
    )
    chosen = ids[:: len(ids) // count][:count]
    Response.objects.filter(assignee=user).update(assignee=None)
    Response.objects.filter(pk__in=chosen).update(assignee=user)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    plan, user = setup()[LARGE.code]
    code = plan.establishment.code
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print(f"Plan of {plan.establishment.name}: {plan.responses.count():,} baselines.")
    print()
    print("| page | assigned | listed | queries | median ms | max ms | HTML KiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    queries: dict[str, list[int]] = {}
    try:
        for count in COUNTS:
            chosen = assign(plan, user, count)
            listed = len(my_baselines(user))
            first_mine = my_baselines(user)[0].response.pk
            pages = {
                'Home page ("My baselines")': Page(client, "/"),
                "Plan page, ?mine=1": Page(client, f"/plans/{code}/?mine=1"),
                "Answer page, next=mine": Page(
                    client, f"/plans/{code}/answer/?response={first_mine}&next=mine"
                ),
                "Answer page, next=plan": Page(
                    client, f"/plans/{code}/answer/?response={chosen[0]}&next=plan"
                ),
            }
            steps = {label: Step(label, page) for label, page in pages.items()}
            # The first one still to do in the plan's order of work, not a target date.
            first_open = next(
                pk
                for pk, status, target in Response.objects.filter(pk__in=chosen)
                .order_by(*PLAN_ORDER)
                .values_list("pk", "status", "target_date")
                if status in ("not_started", "in_progress") and target is None
            )
            save = SaveAndGoOn(client, code, first_open)
            label = "Save and go to the next, next=plan (POST)"
            pages[label] = save
            steps[label] = Step(label, save, prepare=save.prepare)
            timings = interleaved(list(steps.values()), args.repeats)
            for (label, page), timing in zip(pages.items(), timings, strict=True):
                queries.setdefault(label, []).append(page.queries)
                shown = listed if "My baselines" in label else count
                print(
                    f"| {label} | {count} | {shown} | {page.queries} | {timing.median:.0f} | "
                    f"{timing.worst:.0f} | {f'{page.size / 1024:.0f}' if page.size else '–'} |"
                )
    finally:
        Response.objects.filter(assignee=user).update(assignee=None)
    print()
    print("| target | figure | met |")
    print("|---|---:|---|")
    for label, counts in queries.items():
        same = len(set(counts)) == 1
        print(
            f"| {label}: the same queries for {' and '.join(map(str, COUNTS))} assigned | "
            f"{' and '.join(map(str, counts))} | {'yes' if same else 'NO'} |"
        )


if __name__ == "__main__":
    main()

"""Benchmark: the national allocation of face-to-face capacity over 250,000 cases (issue 11:
at most 2 s for the whole country).

Usage (PostgreSQL, a database of its own):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_caseload"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_caseload \\
        .venv/bin/python bench/probation_allocation.py

Builds (once) the demo estate's 110 PDUs and their offices, a capacity for every office with a
current risk assessment, and 250,000 generated cases (pseudonymised references) spread over the
PDUs; then, ROUNDS times, allocates nationally (`do_allocate_national`: capacity, caseloads,
planning, waves, moves, review tasks, cases' new modes, audit events) inside a transaction that
is undone afterwards (cases back to their modes, the round's waves, moves and tasks removed), so
each round starts from the same caseload. Prints the median and worst time."""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

CASES = int(os.environ.get("CASES", "250000"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))


def build() -> None:
    from django.core.management import call_command

    from recovery.core.bulk import insert_rows
    from recovery.core.constants import UnitKind
    from recovery.estate.models import OrganisationUnit, ProbationOffice
    from recovery.probation.caseload import category_of
    from recovery.probation.caseload_models import Case
    from recovery.probation.factories import OfficeCapacityFactory, risk_assessment
    from recovery.probation.models import OfficeCapacity

    call_command("migrate", verbosity=0)
    if not OrganisationUnit.objects.exists():
        call_command("seed_demo", "--if-empty", verbosity=0)
    today = timezone.localdate()
    for office in ProbationOffice.objects.exclude(
        pk__in=OfficeCapacity.objects.values("office_id")
    ):
        OfficeCapacityFactory(office=office, usable_rooms=2, max_on_site=10)
        risk_assessment(office, today)
    if Case.objects.count() >= CASES:
        return
    Case.objects.all().delete()
    rng = random.Random(11)
    pdus = list(OrganisationUnit.objects.filter(kind=UnitKind.PDU).values_list("pk", flat=True))
    objs = []
    for i in range(CASES):
        rosh = rng.choices(["low", "medium", "high", "very_high"], [40, 35, 20, 5])[0]
        da, cs = rng.random() < 0.3, rng.random() < 0.2
        objs.append(
            Case(
                pdu_id=pdus[i % len(pdus)],
                reference=f"X{i:07d}",
                rosh=rosh,
                domestic_abuse=da,
                child_safeguarding=cs,
                contact_mode=rng.choices(
                    ["doorstep", "audio", "video", "face_to_face"], [30, 45, 20, 5]
                )[0],
                lives_with_victim=rng.random() < 0.1,
                lives_with_children_at_risk=rng.random() < 0.1,
                category=category_of(rosh, da, cs),
            )
        )
    with transaction.atomic():
        insert_rows(Case, objs)


def undo() -> None:
    """Put the caseload back as it was before the round (benchmark only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE probation_case c SET contact_mode = m.from_mode, doorstep_alongside = false "
            "FROM probation_casemove m JOIN probation_allocationwave w ON m.wave_id = w.id "
            "WHERE w.reviewed_at IS NULL AND c.pdu_id = w.pdu_id AND c.reference = m.reference"
        )
        cursor.execute(
            "DELETE FROM probation_reviewtask WHERE wave_id IN "
            "(SELECT id FROM probation_allocationwave WHERE reviewed_at IS NULL)"
        )
        cursor.execute(
            "DELETE FROM probation_casemove WHERE wave_id IN "
            "(SELECT id FROM probation_allocationwave WHERE reviewed_at IS NULL)"
        )
        cursor.execute("DELETE FROM probation_allocationwave WHERE reviewed_at IS NULL")


def main() -> None:
    from recovery.core.scope import COMMAND_LINE
    from recovery.probation.caseload_actions import do_allocate_national
    from recovery.probation.caseload_models import AllocationWave

    assert connection.vendor == "postgresql", "run the benchmark on PostgreSQL"
    build()
    AllocationWave.objects.filter(reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    timings, moved = [], 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = do_allocate_national(acting_user=COMMAND_LINE)
        timings.append(time.perf_counter() - started)
        moved = result.moved
        undo()
    print(
        f"{CASES:,} cases, {result.waves} waves, {moved:,} moved, {2 * moved:,} tasks: "
        f"median {statistics.median(timings):.2f} s, worst {max(timings):.2f} s"
    )


if __name__ == "__main__":
    main()

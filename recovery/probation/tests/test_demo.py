"""The demo data: what each probation role finds, and a second run adds nothing."""

import pytest

from recovery.estate.factories import NationFactory, OfficeFactory, PduFactory
from recovery.estate.factories import ProbationRegionFactory as Region
from recovery.probation import queries
from recovery.probation.demo import load_demo
from recovery.probation.models import (
    GatewayDecision,
    OfficeCapacity,
    OfficeRiskAssessment,
    StepRequest,
)

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_role_something_to_do():
    nation = NationFactory()
    r01, r02, r05 = (Region(parent=nation, code=c) for c in ("R01", "R02", "R05"))
    p01 = PduFactory(parent=r01, code="R01-P01")
    p02 = PduFactory(parent=r01, code="R01-P02")
    r05_p01 = PduFactory(parent=r05, code="R05-P01")
    for n in range(1, 9):
        OfficeFactory(parent=p01 if n % 2 else p02, code=f"R01-P0{1 + n % 2}-O{n}")

    load_demo()

    assert queries.national_step_today() == 3
    assert queries.effective_step(r02) == 2  # held back
    assert queries.effective_step(r05_p01) == 2  # stepped back
    assert queries.effective_step(r05) == 3
    waiting = StepRequest.objects.get(status="requested")
    assert (waiting.unit, waiting.from_step, waiting.step) == (p02, 3, 2)
    assert OfficeCapacity.objects.count() == 8
    pictures = queries.office_pictures(list(queries.ProbationOffice.objects.all()))
    assert any(p.counts for p in pictures)
    assert any(p.recorded and not p.counts for p in pictures)  # some out of date or not safe

    counts = (
        GatewayDecision.objects.count(),
        StepRequest.objects.count(),
        OfficeCapacity.objects.count(),
        OfficeRiskAssessment.objects.count(),
    )
    from recovery.probation.ministers_models import MinistersReport

    report = MinistersReport.objects.get()  # this fortnight's report to ministers
    assert report.snapshot["national"]["step"] == 3
    assert {r["code"]: r["step"] for r in report.snapshot["regions"]}["R02"] == 2

    load_demo()
    assert MinistersReport.objects.count() == 1
    assert (
        GatewayDecision.objects.count(),
        StepRequest.objects.count(),
        OfficeCapacity.objects.count(),
        OfficeRiskAssessment.objects.count(),
    ) == counts

"""Factories for probation recovery: a factory per state (a waiting request, an agreed one), an
office's capacity and its risk assessments. Tests of the actions use the actions."""

import datetime

import factory

from recovery.probation.constants import (
    OFFICE_RISK_CHECKS,
    OfficeRiskOutcome,
    RequestKind,
    RequestStatus,
)
from recovery.probation.models import (
    GatewayDecision,
    OfficeCapacity,
    OfficeRiskAssessment,
    ProbationStep,
    StepRequest,
)


class WaitingRequestFactory(factory.django.DjangoModelFactory):
    """A region's request to hold back, waiting for the Business Recovery Programme."""

    class Meta:
        model = StepRequest

    kind = RequestKind.HOLD_BACK
    step = 1
    from_step = 1
    reasons = "Cases rising in two towns"
    status = RequestStatus.REQUESTED
    requested_by_name = "Test region"


class AgreedRequestFactory(WaitingRequestFactory):
    status = RequestStatus.AGREED
    decided_by_name = "Test centre"
    decision_reasons = "Agreed"
    decided_at = factory.LazyFunction(lambda: datetime.datetime(2020, 7, 1, tzinfo=datetime.UTC))
    takes_effect_on = datetime.date(2020, 7, 1)


def gateway(step: int, takes_effect_on: datetime.date) -> GatewayDecision:
    """Step `step` open nationally from `takes_effect_on` (made directly, as a fact)."""
    return GatewayDecision.objects.create(
        step=ProbationStep.objects.get(number=step),
        decided_on=takes_effect_on - datetime.timedelta(days=20),
        reasons="Ministers agreed",
        staff_told_on=takes_effect_on - datetime.timedelta(days=14),
        takes_effect_on=takes_effect_on,
        recorded_by_name="Test centre",
    )


class OfficeCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeCapacity

    usable_rooms = 3
    appointment_minutes = 45
    cleaning_minutes = 15
    max_on_site = 20
    staff_monday = 4
    staff_tuesday = 4
    staff_wednesday = 4
    staff_thursday = 4
    staff_friday = 4


def risk_assessment(
    office, assessed_on: datetime.date, outcome: str = OfficeRiskOutcome.SAFE
) -> OfficeRiskAssessment:
    return OfficeRiskAssessment.objects.create(
        office=office,
        assessed_on=assessed_on,
        outcome=outcome,
        recorded_by_name="Test PDU head",
        **{name: True for name in OFFICE_RISK_CHECKS},
    )

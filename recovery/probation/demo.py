"""Demo probation recovery (called by `seed_demo` after the estate and the accounts): steps two
and three opened nationally by ministers' gateway decisions; one region (R02) held back at step
two; one PDU of R05 stepped back; a request from the demo region (R01) waiting for the Business
Recovery Programme; and the capacity and risk assessments of every office of R01's PDUs, some
risk assessments out of date, one not safe, some missing. Everything goes through the actions,
as done by "System (demo data)"; running it again adds nothing."""

import datetime
import random

from recovery.core.scope import DEMO_DATA
from recovery.estate.models import OrganisationUnit, ProbationOffice
from recovery.probation import actions
from recovery.probation.constants import (
    OFFICE_RISK_CHECKS,
    IndividualRiskOutcome,
    OfficeRiskOutcome,
    RequestKind,
)
from recovery.probation.models import GatewayDecision, OfficeCapacity, StepRequest
from recovery.probation.queries import today

DEMO_REGION = "R01"


def load_demo() -> str:
    steps = _steps()
    offices = _offices()
    from recovery.probation.demo_caseload import load_demo_caseload  # caseload (one line)
    from recovery.probation.demo_staffing import load_demo_staffing  # staffing (one line)
    from recovery.probation.demo_workstreams import load_demo_workstreams  # workstreams (one line)

    parts = [load_demo_caseload(), load_demo_staffing(), load_demo_workstreams()]
    # The report to ministers last, so that it sees everything loaded before it.
    from recovery.probation.ministers_demo import load_demo_report  # (one line)

    parts.append(load_demo_report())
    return f"Probation: {steps}; {offices} offices' capacity recorded; " + "; ".join(parts)


def _unit(code: str) -> OrganisationUnit | None:
    return OrganisationUnit.objects.filter(code=code).first()


def _steps() -> str:
    if GatewayDecision.objects.exists() or StepRequest.objects.exists():
        return "steps already recorded"
    actions.do_open_probation_step(
        2,
        decided_on=datetime.date(2020, 6, 10),
        reasons="Infection rate falling; PPE stocks assessed as sufficient; offices risk-assessed.",
        staff_told_on=datetime.date(2020, 6, 12),
        takes_effect_on=datetime.date(2020, 6, 29),
        acting_user=DEMO_DATA,
    )
    held = _unit("R02")
    if held is not None:
        request = actions.do_ask_step_change(
            held,
            kind=RequestKind.HOLD_BACK,
            reasons="A local rise in cases around two offices; the director of public health "
            "advises waiting.",
            acting_user=DEMO_DATA,
        )
        actions.do_decide_step_request(
            request,
            agree=True,
            reasons="Agreed: review in four weeks.",
            takes_effect_on=datetime.date(2020, 8, 3),
            expected_version=request.version,
            acting_user=DEMO_DATA,
        )
    actions.do_open_probation_step(
        3,
        decided_on=datetime.date(2020, 7, 14),
        reasons="Government step 3 from 4 July; the Recovery Programme Board is content.",
        staff_told_on=datetime.date(2020, 7, 17),
        takes_effect_on=datetime.date(2020, 8, 3),
        acting_user=DEMO_DATA,
    )
    stepped = _unit("R05-P01")
    if stepped is not None:
        request = actions.do_ask_step_change(
            stepped,
            kind=RequestKind.STEP_BACK,
            reasons="A local lockdown announced for the town.",
            acting_user=DEMO_DATA,
        )
        actions.do_decide_step_request(
            request,
            agree=True,
            reasons="Agreed in line with the local lockdown.",
            takes_effect_on=datetime.date(2020, 10, 1),
            expected_version=request.version,
            acting_user=DEMO_DATA,
        )
    waiting = _unit(f"{DEMO_REGION}-P02")
    if waiting is not None:
        actions.do_ask_step_change(
            waiting,
            kind=RequestKind.STEP_BACK,
            reasons="Staff absence above 30% for two weeks; the main office is short of PPE.",
            acting_user=DEMO_DATA,
        )
    return "steps 2 and 3 opened, a region held back, a request waiting"


def _offices() -> int:
    offices = ProbationOffice.objects.filter(path__startswith=f"/HMPPS/{DEMO_REGION}/").order_by(
        "code"
    )
    done = set(OfficeCapacity.objects.values_list("office_id", flat=True))
    day = today()
    seeded = 0
    for number, office in enumerate(offices):
        if office.pk in done:
            continue
        rng = random.Random(f"demo-probation-{office.code}")
        rooms = office.interview_rooms
        staff = rng.randint(2, max(3, rooms))
        actions.do_update_office_capacity(
            actions.capacity_of_office(office),
            expected_version=1,
            changes={
                "usable_rooms": max(1, rooms // 2),
                "appointment_minutes": rng.choice([30, 45, 60]),
                "cleaning_minutes": rng.choice([10, 15]),
                "max_on_site": rng.choice([8, 10, 12, 16]),
                "staff_monday": staff,
                "staff_tuesday": staff,
                "staff_wednesday": max(1, staff - 1),
                "staff_thursday": staff,
                "staff_friday": max(1, staff - 1),
                "staff_saturday": staff if office.days_open >= 6 else 0,
                "staff_sunday": 0,
                "extended_opens_at": datetime.time(8, 0) if number % 2 == 0 else None,
                "extended_closes_at": datetime.time(19, 0) if number % 2 == 0 else None,
            },
            acting_user=DEMO_DATA,
        )
        # Most offices current; every fifth out of date, every seventh never assessed, one not
        # safe, one falling due within the fortnight.
        if number % 7 != 3:
            age = 120 if number % 5 == 1 else (85 if number == 2 else rng.randint(3, 70))
            actions.do_record_office_risk_assessment(
                office,
                assessed_on=day - datetime.timedelta(days=age),
                checks=dict.fromkeys(OFFICE_RISK_CHECKS, True),
                outcome=OfficeRiskOutcome.NOT_SAFE if number == 4 else OfficeRiskOutcome.SAFE,
                notes="Screens on order for reception." if number == 4 else "",
                acting_user=DEMO_DATA,
            )
        for _ in range(rng.randint(0, 2)):
            actions.do_record_individual_risk_assessment(
                office,
                completed_on=day - datetime.timedelta(days=rng.randint(1, 60)),
                outcome=rng.choice(IndividualRiskOutcome.values),
                acting_user=DEMO_DATA,
            )
        seeded += 1
    return seeded

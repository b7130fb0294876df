"""Test data for readiness and the sign-off chain: a site at a stage with a plan for the next
one, ready or not, and an assessment in each state of the route, reached by walking the route
through the real actions with invented people (so every state a test needs is one a user could
reach, with its snapshot and sign-offs).

People are invented; none is a real person."""

import datetime

from django.utils import timezone

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, PpeStock
from recovery.frameworks.models import Stage
from recovery.plans.actions import applicable_versions
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version
from recovery.plans.models import Plan, Response
from recovery.progression import actions
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.constants import UnionPosition
from recovery.progression.models import ReadinessAssessment
from recovery.progression.stages import do_record_stage

EDM_NUMBER = 970  # an invented EDM for the stage a site moves to

# The invented people who walk the route: (role, first name, last name), held at the site or
# (the PGD) at its group.
ROUTE_PEOPLE = {
    Role.GOVERNOR: ("Gail", "Gatehouse"),
    Role.TRADE_UNION_REP: ("Ulric", "Unwin"),
    Role.PGD: ("Petra", "Pennington"),
}


def route_person(role: str, establishment):
    """The invented person of `role` for `establishment` (made once)."""
    from recovery.accounts.models import User

    first, last = ROUTE_PEOPLE[role]
    email = f"{role.replace('_', '.')}.{establishment.code.lower()}@example.org"
    found = User.objects.filter(email=email).first()
    if found:
        return found
    unit = establishment.parent if role == Role.PGD else establishment
    user = UserFactory(email=email, username=email, first_name=first, last_name=last)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


def site_at_stage(establishment, number: int = 4) -> None:
    do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Stage at the start of the recovery phase",
        effective_from=timezone.localdate() - datetime.timedelta(days=60),
        acting_user=TEST_DATA,
    )


def plan_for(establishment, stage_number: int = 3, *, met: bool = True) -> Plan:
    """The site's plan for `stage_number` (started if needed, on an invented EDM when no
    published one applies), with its mandatory weight-3 baselines met when `met`."""
    from recovery.plans.actions import do_start_plan

    stage = Stage.objects.get(number=stage_number)
    plan = Plan.objects.filter(establishment=establishment, stage=stage).first()
    if plan is None:
        if not applicable_versions(establishment, stage):
            make_edm_version(
                EDM_NUMBER + stage_number,
                [B("1.1", 3), B("1.2", 3), B("2.1", 2, area="2")],
                stage_number=stage_number,
                title="Illustrative domestic visits",
            )
        plan = do_start_plan(establishment, stage, acting_user=TEST_DATA)
    if met:
        for response in Response.objects.filter(
            plan=plan, baseline__mandatory=True, baseline__weighting=3
        ):
            answer(response, status=ResponseStatus.MET)
    return plan


def make_site_ready(establishment) -> None:
    """What the service knows, all in place: stock at need, plan reviewed, tests done."""
    for item, stock in ((PpeItem.GLOVES, 600), (PpeItem.SURGICAL_MASKS, 400)):
        PpeStock.objects.update_or_create(
            establishment=establishment, item=item, defaults={"in_stock": stock, "needed": 300}
        )
    CovidControls.objects.update_or_create(
        establishment=establishment,
        defaults={
            "staff_tested_percent": 92,
            "prisoners_tested_percent": 75,
            "contingency_plan_reviewed_on": timezone.localdate() - datetime.timedelta(days=7),
        },
    )


ATTESTED = {
    "staffing": "Detailing shows 96% of the hours the regime needs.",
    "risk_assessments": "All 14 activity risk assessments signed by the Head of Safety.",
    "safe_systems": "Safe systems of work reissued to every wing on 1 December.",
}


def draft_assessment(establishment, *, ready: bool = True, attest: bool = True):
    """A draft assessment to move from stage 4 to stage 3, with everything in place when
    `ready` (else nothing the service knows is recorded: several prerequisites fail)."""
    if not establishment.stage_changes.exists():
        site_at_stage(establishment)
    plan_for(establishment, met=ready)
    if ready:
        make_site_ready(establishment)
    assessment = actions.do_start_assessment(establishment, acting_user=TEST_DATA)
    if attest:
        actions.do_update_assessment(
            assessment,
            expected_version=assessment.version,
            changes=ATTESTED,
            acting_user=TEST_DATA,
        )
    return ReadinessAssessment.objects.get(pk=assessment.pk)


def _step(assessment, status: str) -> ReadinessAssessment:
    site = assessment.establishment
    if status == A.AWAITING_UNION:
        actions.do_submit_assessment(
            assessment,
            acting_user=route_person(Role.GOVERNOR, site),
            justification=None if assessment.justification else "Figures are due this week.",
        )
    elif status == A.AWAITING_PGD:
        actions.do_record_consultation(
            assessment,
            position=UnionPosition.CONCERNS,
            concerns="Staff want the wing cleaning rota agreed first.",
            acting_user=route_person(Role.TRADE_UNION_REP, site),
        )
    elif status == A.AWAITING_PANEL:
        actions.do_endorse_assessment(
            assessment,
            comments="Ready: the group supports it.",
            acting_user=route_person(Role.PGD, site),
        )
    elif status == A.RETURNED:
        actions.do_return_assessment(
            assessment,
            reasons="Attach the revised staffing detail.",
            acting_user=route_person(Role.PGD, site),
        )
    elif status == A.WITHDRAWN:
        actions.do_withdraw_assessment(
            assessment,
            reason="Outbreak expected",
            acting_user=route_person(Role.GOVERNOR, site),
        )
    return ReadinessAssessment.objects.get(pk=assessment.pk)


# The states of the route up to the panel, and the steps that reach each from a draft.
ROUTE_TO = {
    A.DRAFT: [],
    A.AWAITING_UNION: [A.AWAITING_UNION],
    A.AWAITING_PGD: [A.AWAITING_UNION, A.AWAITING_PGD],
    A.AWAITING_PANEL: [A.AWAITING_UNION, A.AWAITING_PGD, A.AWAITING_PANEL],
    A.RETURNED: [A.AWAITING_UNION, A.AWAITING_PGD, A.RETURNED],
    A.WITHDRAWN: [A.WITHDRAWN],
}


def assessment_in(status: str, establishment, *, ready: bool = True) -> ReadinessAssessment:
    """An assessment of `establishment` in `status`, reached through the real route."""
    assessment = draft_assessment(establishment, ready=ready)
    for step in ROUTE_TO[status]:
        assessment = _step(assessment, step)
    return assessment

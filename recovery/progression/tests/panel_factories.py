"""Test data for the national panel: assessments that have come the whole route to the panel
(submitted, consulted on, endorsed: each step a `SignOff` pinned to the snapshot frozen at
submission, as the route records it), sittings, and a move to be ratified.

Built from the models and the signing helpers directly, so the panel's tests do not depend on
the route's own pages and actions (assessments.py)."""

import datetime

from django.db import transaction
from django.utils import timezone

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.estate.models import OrganisationUnit
from recovery.frameworks.models import Edm, Stage
from recovery.plans.factories import B, make_edm_version, start_plan
from recovery.plans.models import Plan
from recovery.progression.constants import (
    AssessmentStatus,
    ChangeKind,
    ChangeStatus,
    Step,
    UnionPosition,
)
from recovery.progression.models import ReadinessAssessment, StageChange
from recovery.progression.panel import do_open_sitting
from recovery.progression.signing import sign_in_transaction, take_snapshot_in_transaction
from recovery.progression.stages import do_record_stage, record_change_in_transaction

PANEL_EDM = 970


def person(role: str, unit, first_name: str, last_name: str):
    user = UserFactory(
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name}.{last_name}{UserFactory._meta.model.objects.count()}@example.org".lower(),
    )
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


def panel_member(nation, first_name: str = "Pat", last_name: str = "Panelist"):
    return person(Role.CENTRAL_PANEL, nation, first_name, last_name)


def plan_for(establishment, stage_number: int = 3) -> Plan:
    existing = Plan.objects.filter(establishment=establishment, stage__number=stage_number).first()
    if existing is not None:
        return existing
    if not Edm.objects.filter(number=PANEL_EDM).exists():
        make_edm_version(PANEL_EDM, [B("1.1"), B("1.2", weighting=2)], stage_number=stage_number)
    return start_plan(establishment, stage_number)


def at_stage(establishment, number: int, since: datetime.date | None = None) -> StageChange:
    """Give the establishment a stage history starting at stage `number`."""
    return do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Stage at the start of recovery",
        effective_from=since or datetime.date(2026, 6, 1),
        acting_user=TEST_DATA,
    )


def awaiting_panel(
    establishment,
    *,
    plan: Plan | None = None,
    from_stage: int = 4,
    to_stage: int = 3,
    submitted_at: datetime.datetime | None = None,
    governor=None,
    union_rep=None,
    pgd=None,
) -> ReadinessAssessment:
    """An assessment that came the route: submitted by the Governor, consulted on by the union,
    endorsed by the PGD, now awaiting a national decision."""
    if not StageChange.objects.filter(establishment=establishment).exists():
        at_stage(establishment, from_stage)
    group = establishment.parent
    governor = governor or person(Role.GOVERNOR, establishment, "Gil", "Governor")
    union_rep = union_rep or person(Role.TRADE_UNION_REP, establishment, "Una", "Union")
    pgd = pgd or person(Role.PGD, group, "Pia", "Director")
    submitted_at = submitted_at or timezone.now() - datetime.timedelta(days=3)
    plan = plan or plan_for(establishment, to_stage)
    with transaction.atomic():
        assessment = ReadinessAssessment.objects.create(
            establishment=establishment,
            plan=plan,
            from_stage=Stage.objects.get(number=from_stage),
            to_stage=Stage.objects.get(number=to_stage),
            status=AssessmentStatus.AWAITING_PANEL,
            staffing="Detailing shows 96% of required hours",
            risk_assessments="All activity risk assessments signed",
            safe_systems="Safe systems of work reissued",
            justification="Stock arrives on Monday",
            created_by=governor,
            submitted_at=submitted_at,
            submitted_by=governor,
            status_since=submitted_at,
            version=4,
        )
        take_snapshot_in_transaction(assessment)
        sign_in_transaction(assessment, Step.SUBMITTED, acting_user=governor)
        sign_in_transaction(
            assessment,
            Step.CONSULTED,
            acting_user=union_rep,
            union_position=UnionPosition.CONCERNS,
            comments="Staff want the new rota checked in four weeks",
        )
        sign_in_transaction(
            assessment, Step.ENDORSED, acting_user=pgd, comments="Ready; a strong regime plan"
        )
    return assessment


def open_sitting(nation=None, *, members=None, sits_on=None, title="Weekly sitting"):
    from recovery.core.constants import UnitKind

    nation = nation or OrganisationUnit.objects.get(kind=UnitKind.NATION)
    return do_open_sitting(
        sits_on=sits_on or timezone.localdate(),
        members=members or [panel_member(nation)],
        title=title,
        acting_user=TEST_DATA,
    )


def to_be_ratified(establishment, *, from_stage: int = 3, to_stage: int = 4) -> StageChange:
    """An emergency move back that took effect at once and waits for the panel."""
    if not StageChange.objects.filter(establishment=establishment).exists():
        at_stage(establishment, from_stage)
    with transaction.atomic():
        return record_change_in_transaction(
            establishment,
            Stage.objects.get(number=to_stage),
            kind=ChangeKind.EMERGENCY,
            status=ChangeStatus.TO_BE_RATIFIED,
            reason="Outbreak declared: moved back at once",
            effective_from=timezone.localdate(),
            acting_user=TEST_DATA,
        )

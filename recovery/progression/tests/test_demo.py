"""The demo data of readiness and stage progression, loaded by `seed_demo` on the demo estate:
every open establishment has a stage and (where an EDM applies to it) a plan, about 55 are in
outbreak, this week's sitting approved 11 moves from stage 4 to 3, assessments wait at every
step with work for the demo people, and a second run adds nothing."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from recovery.accounts.models import User
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment
from recovery.plans.models import Plan
from recovery.progression import queries
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.models import (
    AssessmentSnapshot,
    PanelSitting,
    ProgressReview,
    ReadinessAssessment,
    SignOff,
    StageChange,
)
from recovery.progression.rules import ASSESSMENT_WORKFLOW, STAGE_CHANGE_WORKFLOW

pytestmark = pytest.mark.django_db

COUNTED = (
    Plan,
    StageChange,
    Outbreak,
    CovidControls,
    PpeStock,
    ReadinessAssessment,
    AssessmentSnapshot,
    SignOff,
    ProgressReview,
    PanelSitting,
)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


def demo(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.example")


def test_the_demo_tells_the_story_of_the_sources_and_loads_once():
    seed()
    open_sites = Establishment.objects.filter(status=EstablishmentStatus.OPEN)
    current = queries.current_changes(open_sites)

    # Every open establishment has a stage; all but the two removal centres (no EDM applies
    # to them) have a plan.
    assert len(current) == open_sites.count() == 123
    assert open_sites.filter(recovery_plans__isnull=False).distinct().count() == 121
    # A year ago every one was at lockdown.
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    lockdown = queries.lockdown_stage()
    assert all(
        c.stage == lockdown for c in queries.current_changes(open_sites, on=a_year_ago).values()
    )
    # Most moved on; a few were put back.
    by_stage = Counter(c.stage.number for c in current.values())
    assert by_stage[lockdown.number] < 10 and by_stage[2] >= 5 and by_stage[3] >= 30
    assert Outbreak.objects.filter(ended_on__isnull=True).count() == 55
    # This week's closed sitting approved 11 moves from stage 4 to 3.
    sitting = PanelSitting.objects.get()
    approved = sitting.assessments.filter(status=A.APPROVED)
    assert sitting.status == "closed"
    assert approved.count() == 11
    assert {(a.from_stage.number, a.to_stage.number) for a in approved} == {(4, 3)}
    # Assessments wait at every step, each submitted one with its snapshot and sign-offs.
    statuses = set(ReadinessAssessment.objects.values_list("status", flat=True))
    assert {
        A.DRAFT,
        A.AWAITING_UNION,
        A.AWAITING_PGD,
        A.AWAITING_PANEL,
        A.DEFERRED,
        A.RETURNED,
        A.APPROVED,
    } <= statuses
    submitted = ReadinessAssessment.objects.exclude(status=A.DRAFT)
    assert all(a.snapshots.exists() and a.sign_offs.exists() for a in submitted)

    # Each demo person has real work.
    def can(user, name, status):
        return any(
            ASSESSMENT_WORKFLOW.allows(user, a, name)
            for a in ReadinessAssessment.objects.filter(status=status)
        )

    assert can(demo("tu-rep"), "consult", A.AWAITING_UNION)
    assert can(demo("pgd"), "endorse", A.AWAITING_PGD)
    assert can(demo("centre"), "approve", A.AWAITING_PANEL)
    assert can(demo("multi"), "submit", A.RETURNED)
    assert any(
        STAGE_CHANGE_WORKFLOW.allows(demo("pgd"), c, "confirm")
        for c in StageChange.objects.filter(status="proposed")
    )
    assert any(
        STAGE_CHANGE_WORKFLOW.allows(demo("centre"), c, "ratify")
        for c in StageChange.objects.filter(status="to_be_ratified")
    )

    before = counts()
    assert "nothing changed" in seed()
    assert counts() == before

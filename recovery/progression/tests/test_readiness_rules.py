"""What readiness knows and how decisions are pinned: the prerequisites against a hand-made
site, the snapshot frozen at submission, what moved in the plan since, and the route's table
as the sources describe it."""

import datetime

import pytest
from django.utils import timezone

from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.models import Stage
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.models import ProgressionSettings, ReadinessAssessment
from recovery.progression.prerequisites import failing, prerequisites_for
from recovery.progression.rules import ASSESSMENT_WORKFLOW
from recovery.progression.signing import (
    plan_changes_since,
    take_snapshot_in_transaction,
)

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def assessment(small_estate):
    make_edm_version(901, [B("1.1", 3), B("1.2", 3), B("2.1", 2), B("3.1", None, mandatory=False)])
    establishment = small_estate.establishment_1
    establishment.establishment_type = EstablishmentType.CAT_C
    establishment.save()
    plan = start_plan(establishment)
    return ReadinessAssessment.objects.create(
        establishment=establishment,
        plan=plan,
        from_stage=Stage.objects.get(number=4),
        to_stage=Stage.objects.get(number=3),
    )


def by_key(assessment, today=TODAY):
    return {p.key: p for p in prerequisites_for(assessment, today=today)}


def make_ready(assessment):
    """Everything a site needs, set by hand: both precursors met, no outbreak, stock at need,
    plan reviewed 10 days ago, coverage at the default thresholds, three attestations."""
    plan = assessment.plan
    answer(response_for(plan, "1.1"), status=ResponseStatus.MET)
    answer(response_for(plan, "1.2"), status=ResponseStatus.MET)
    site = assessment.establishment
    PpeStock.objects.create(establishment=site, item=PpeItem.GLOVES, in_stock=500, needed=500)
    PpeStock.objects.create(establishment=site, item=PpeItem.APRONS, in_stock=90, needed=80)
    CovidControls.objects.create(
        establishment=site,
        staff_tested_percent=80,
        prisoners_tested_percent=50,
        contingency_plan_reviewed_on=TODAY - datetime.timedelta(days=10),
    )
    assessment.staffing = "Detailing shows 96% of required hours"
    assessment.risk_assessments = "All 14 activity risk assessments signed"
    assessment.safe_systems = "Safe systems of work reissued on 1 December"
    assessment.save()


def test_a_site_with_everything_in_place_meets_every_prerequisite(assessment):
    make_ready(assessment)
    found = prerequisites_for(assessment, today=TODAY)
    assert [p.key for p in found] == [
        "precursors",
        "outbreak",
        "ppe",
        "contingency",
        "testing",
        "staffing",
        "risk_assessments",
        "safe_systems",
    ]
    assert failing(found) == []
    assert by_key(assessment)["precursors"].why == "2 of 2 met"


def test_each_failure_says_why(assessment):
    make_ready(assessment)
    answer(response_for(assessment.plan, "1.2"), status=ResponseStatus.IN_PROGRESS)
    site = assessment.establishment
    Outbreak.objects.create(
        establishment=site, declared_on=TODAY - datetime.timedelta(days=3), declared_by_name="x"
    )
    PpeStock.objects.filter(item=PpeItem.GLOVES).update(in_stock=499)
    CovidControls.objects.filter(establishment=site).update(
        contingency_plan_reviewed_on=TODAY - datetime.timedelta(days=29), staff_tested_percent=79
    )
    assessment.safe_systems = "  "
    assessment.save()

    found = by_key(assessment)
    assert sorted(p.key for p in failing(list(found.values()))) == [
        "contingency",
        "outbreak",
        "ppe",
        "precursors",
        "safe_systems",
        "testing",
    ]
    assert found["precursors"].why == "1 of 2 met; 1 not met"
    assert found["precursors"].evidence == ["EDM 901 baseline 1.2: in progress"]
    assert found["outbreak"].why == "In outbreak since 2 December 2026"
    assert found["ppe"].evidence == ["Disposable gloves (pairs): 499 in stock, 500 needed"]
    assert found["contingency"].why == "Last reviewed on 6 November 2026 (29 days ago)"
    assert found["testing"].why == "Staff tested: 79%; prisoners tested: 50%"
    assert found["safe_systems"].why == "Not attested yet"


def test_the_centre_sets_the_review_period_and_coverage(assessment):
    make_ready(assessment)
    ProgressionSettings.objects.create(
        contingency_review_days=7, min_staff_testing_percent=90, min_prisoner_testing_percent=10
    )
    found = by_key(assessment)
    assert not found["contingency"].met  # reviewed 10 days ago, 7 allowed
    assert not found["testing"].met  # staff 80% against 90%
    assert found["contingency"].title == "Outbreak and contingency plan reviewed in the last 7 days"


def test_nothing_recorded_is_a_failure_not_a_pass(assessment):
    found = by_key(assessment)
    assert not found["ppe"].met and found["ppe"].why == "No PPE stock recorded"
    assert not found["contingency"].met and found["contingency"].why == "No review recorded"
    assert not found["testing"].met
    assert found["outbreak"].met and found["outbreak"].why == "No outbreak recorded"


def test_the_snapshot_keeps_what_was_submitted_and_the_changes_since_are_listed(assessment):
    make_ready(assessment)
    snapshot = take_snapshot_in_transaction(assessment)
    assert plan_changes_since(snapshot) == []

    answer(response_for(assessment.plan, "1.2"), status=ResponseStatus.IN_PROGRESS)
    answer(response_for(assessment.plan, "2.1"), owner="Head of Reducing Reoffending")

    snapshot.refresh_from_db()
    frozen = snapshot.content["plan"]["answers"]["901/1.2"]
    assert frozen["status"] == ResponseStatus.MET
    changes = plan_changes_since(snapshot)
    # The owner's name is not a material change; the status is.
    assert [(c.number, c.what, c.fields) for c in changes] == [
        ("1.2", "changed", (("Status", "met", "in_progress"),))
    ]
    assert snapshot.content["prerequisites"][0]["met"] is True


def test_the_route_is_the_sources_route():
    """Establishment submits → trade union consulted → PGD endorses or returns → the panel
    approves, defers or rejects; a returned one is resubmitted. Written out by hand."""
    assert ASSESSMENT_WORKFLOW.table() == {
        A.DRAFT: {A.AWAITING_UNION, A.WITHDRAWN},
        A.AWAITING_UNION: {A.AWAITING_PGD, A.WITHDRAWN},
        A.AWAITING_PGD: {A.AWAITING_PANEL, A.RETURNED, A.WITHDRAWN},
        A.AWAITING_PANEL: {A.APPROVED, A.DEFERRED, A.REJECTED},
        A.DEFERRED: {A.APPROVED, A.REJECTED},
        A.RETURNED: {A.AWAITING_UNION, A.WITHDRAWN},
        A.APPROVED: set(),
        A.REJECTED: set(),
        A.WITHDRAWN: set(),
    }


def test_localdate_is_used_when_no_day_is_given(assessment):
    make_ready(assessment)
    CovidControls.objects.filter(establishment=assessment.establishment).update(
        contingency_plan_reviewed_on=timezone.localdate()
    )
    assert prerequisites_for(assessment)[3].met

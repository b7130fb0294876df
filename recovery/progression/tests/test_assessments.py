"""Readiness assessments and the sign-off chain up to the national panel: each step allowed and
refused by role, segregation of duties, justification of a failing prerequisite, editing only
while draft or returned, every comment kept, the snapshot frozen, stale forms refused, and the
e-mails that tell the next people."""

import pytest
from django.core import mail

from recovery.core.constants import Role
from recovery.core.errors import DomainError, StaleEditError
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for
from recovery.progression import actions
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.constants import Step, UnionPosition
from recovery.progression.factories import (
    assessment_in,
    draft_assessment,
    plan_for,
    route_person,
    site_at_stage,
)
from recovery.progression.models import ReadinessAssessment
from recovery.progression.signing import latest_snapshot, plan_changes_since

pytestmark = pytest.mark.django_db

# Who may take each step (the policy as the sources give it), and each step's call.
STEPS = {
    "submit": (
        A.DRAFT,
        A.AWAITING_UNION,
        lambda a, u: actions.do_submit_assessment(a, acting_user=u),
    ),
    "consult": (
        A.AWAITING_UNION,
        A.AWAITING_PGD,
        lambda a, u: actions.do_record_consultation(
            a, position=UnionPosition.AGREED, acting_user=u
        ),
    ),
    "endorse": (
        A.AWAITING_PGD,
        A.AWAITING_PANEL,
        lambda a, u: actions.do_endorse_assessment(a, acting_user=u),
    ),
    "return": (
        A.AWAITING_PGD,
        A.RETURNED,
        lambda a, u: actions.do_return_assessment(a, reasons="Not yet", acting_user=u),
    ),
    "withdraw": (
        A.DRAFT,
        A.WITHDRAWN,
        lambda a, u: actions.do_withdraw_assessment(a, acting_user=u),
    ),
}
ALLOWED = {
    "submit": "governor",
    "consult": "union",
    "endorse": "pgd",
    "return": "pgd",
    "withdraw": "governor",
}
PEOPLE = ["governor", "editor", "union", "pgd", "pgd_elsewhere", "panel", "viewer"]


@pytest.fixture
def people(small_estate, person_with_role):
    return {
        "governor": person_with_role(Role.GOVERNOR, first_name="Greta", last_name="Gorse"),
        "editor": person_with_role(Role.ESTABLISHMENT_EDITOR),
        "union": person_with_role(Role.TRADE_UNION_REP, first_name="Uma", last_name="Usk"),
        "pgd": person_with_role(Role.PGD, first_name="Pia", last_name="Pike"),
        "pgd_elsewhere": person_with_role(Role.PGD, small_estate.group_2),
        "panel": person_with_role(Role.CENTRAL_PANEL),
        "viewer": person_with_role(Role.VIEWER),
    }


@pytest.fixture
def site(small_estate):
    return small_estate.establishment_1


def status_of(assessment) -> str:
    return ReadinessAssessment.objects.get(pk=assessment.pk).status


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_only_by_its_role(site, people, step, who):
    source, target, call = STEPS[step]
    assessment = assessment_in(source, site)
    sign_offs = assessment.sign_offs.count()
    if ALLOWED[step] == who:
        call(assessment, people[who])
        assert status_of(assessment) == target
        assert assessment.sign_offs.count() == sign_offs + 1
    else:
        with pytest.raises(DomainError):
            call(assessment, people[who])
        assert status_of(assessment) == source
        assert assessment.sign_offs.count() == sign_offs


REFUSED_FROM = {
    "submit": [A.AWAITING_UNION, A.AWAITING_PGD, A.AWAITING_PANEL, A.WITHDRAWN],
    "consult": [A.DRAFT, A.AWAITING_PGD, A.AWAITING_PANEL, A.RETURNED],
    "endorse": [A.DRAFT, A.AWAITING_UNION, A.AWAITING_PANEL, A.RETURNED],
    "return": [A.DRAFT, A.AWAITING_UNION, A.AWAITING_PANEL],
    "withdraw": [A.AWAITING_PANEL, A.WITHDRAWN],
}


@pytest.mark.parametrize(
    ("step", "state"), [(s, state) for s, states in REFUSED_FROM.items() for state in states]
)
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(site, people, step, state):
    assessment = assessment_in(state, site)
    version = assessment.version
    with pytest.raises(DomainError, match="Nothing was changed"):
        STEPS[step][2](assessment, people[ALLOWED[step]])
    again = ReadinessAssessment.objects.get(pk=assessment.pk)
    assert (again.status, again.version) == (state, version)


def test_withdraw_from_every_state_before_the_panel(site, people):
    for state in [A.RETURNED, A.AWAITING_UNION, A.AWAITING_PGD]:
        assessment = assessment_in(state, site)
        actions.do_withdraw_assessment(
            assessment, reason="Outbreak", acting_user=people["governor"]
        )
        assert status_of(assessment) == A.WITHDRAWN


def test_out_of_scope_people_cannot_act(small_estate, people):
    elsewhere = assessment_in(A.AWAITING_PGD, small_estate.establishment_2)
    with pytest.raises(DomainError, match="You do not have permission"):
        actions.do_endorse_assessment(elsewhere, acting_user=people["pgd"])
    assert status_of(elsewhere) == A.AWAITING_PGD


# --- Segregation of duties --------------------------------------------------------------------


def test_a_union_rep_who_submitted_it_cannot_consult_on_it(site, people):
    both = people["governor"]
    from recovery.accounts.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=both, role=Role.TRADE_UNION_REP, unit=site)
    assessment = draft_assessment(site)
    actions.do_submit_assessment(assessment, acting_user=both)
    with pytest.raises(DomainError, match="You submitted this assessment"):
        actions.do_record_consultation(assessment, position="agreed", acting_user=both)
    assert status_of(assessment) == A.AWAITING_UNION


def test_nobody_signs_two_steps_of_one_assessment(site, small_estate, people):
    """A union rep who is also the group's PGD consults, then may not endorse."""
    from recovery.accounts.factories import RoleAssignmentFactory

    rep = people["union"]
    RoleAssignmentFactory(user=rep, role=Role.PGD, unit=small_estate.group_1)
    assessment = assessment_in(A.AWAITING_UNION, site)
    actions.do_record_consultation(assessment, position="agreed", acting_user=rep)
    with pytest.raises(DomainError, match="already signed a step"):
        actions.do_endorse_assessment(assessment, acting_user=rep)
    assert status_of(assessment) == A.AWAITING_PGD
    actions.do_endorse_assessment(assessment, acting_user=people["pgd"])
    assert status_of(assessment) == A.AWAITING_PANEL


def test_the_pgd_who_returned_it_may_endorse_it_when_it_comes_back(site, people):
    assessment = assessment_in(A.RETURNED, site)
    actions.do_submit_assessment(assessment, acting_user=people["governor"])
    actions.do_record_consultation(assessment, position="agreed", acting_user=people["union"])
    actions.do_endorse_assessment(assessment, acting_user=route_person(Role.PGD, site))
    assert status_of(assessment) == A.AWAITING_PANEL


# --- Starting ---------------------------------------------------------------------------------


def test_start_goes_from_the_current_stage_to_the_next_up_with_its_plan(site, people):
    site_at_stage(site, 4)
    plan = plan_for(site, 3)
    assessment = actions.do_start_assessment(site, acting_user=people["editor"])
    assert (assessment.from_stage.number, assessment.to_stage.number) == (4, 3)
    assert assessment.plan == plan and assessment.status == A.DRAFT


def test_start_is_refused_without_a_stage_a_plan_or_with_one_open(site, people):
    with pytest.raises(DomainError, match="has no current stage recorded"):
        actions.do_start_assessment(site, acting_user=people["governor"])
    site_at_stage(site, 4)
    with pytest.raises(DomainError, match="no Regime Recovery Plan for stage 3 yet. Start"):
        actions.do_start_assessment(site, acting_user=people["governor"])
    plan_for(site, 3)
    actions.do_start_assessment(site, acting_user=people["governor"])
    with pytest.raises(DomainError, match="already has a readiness assessment under way"):
        actions.do_start_assessment(site, acting_user=people["governor"])
    assert ReadinessAssessment.objects.filter(establishment=site).count() == 1


def test_start_is_refused_at_the_fullest_stage(site, people):
    site_at_stage(site, 1)
    with pytest.raises(DomainError, match="the fullest regime"):
        actions.do_start_assessment(site, acting_user=people["governor"])


@pytest.mark.parametrize("who", ["union", "pgd", "panel", "viewer"])
def test_only_the_establishment_starts_one(site, people, who):
    site_at_stage(site, 4)
    plan_for(site, 3)
    with pytest.raises(DomainError):
        actions.do_start_assessment(site, acting_user=people[who])
    assert not ReadinessAssessment.objects.exists()


# --- Prerequisites and justification -----------------------------------------------------------


def test_a_failing_prerequisite_needs_a_justification(site, people):
    assessment = draft_assessment(site, ready=False)
    with pytest.raises(DomainError) as refused:
        actions.do_submit_assessment(assessment, acting_user=people["governor"])
    assert refused.value.field == "justification"
    assert "say why the assessment should go ahead now" in refused.value.message
    assert status_of(assessment) == A.DRAFT
    assert not assessment.snapshots.exists()

    actions.do_submit_assessment(
        assessment, justification="PPE delivery arrives Monday.", acting_user=people["governor"]
    )
    assessment.refresh_from_db()
    assert assessment.status == A.AWAITING_UNION
    assert assessment.justification == "PPE delivery arrives Monday."
    submitted = assessment.sign_offs.get(step=Step.SUBMITTED)
    assert submitted.comments == "PPE delivery arrives Monday."
    assert submitted.by == people["governor"] and assessment.submitted_by == people["governor"]


def test_a_ready_site_submits_without_a_justification(site, people):
    assessment = draft_assessment(site)
    actions.do_submit_assessment(assessment, acting_user=people["governor"])
    assert status_of(assessment) == A.AWAITING_UNION


# --- Editing ----------------------------------------------------------------------------------


def test_edit_after_submission_is_refused_and_a_returned_one_is_editable(site, people):
    assessment = assessment_in(A.AWAITING_UNION, site)
    with pytest.raises(DomainError, match="it can no longer be changed"):
        actions.do_update_assessment(
            assessment,
            expected_version=assessment.version,
            changes={"staffing": "More staff"},
            acting_user=people["governor"],
        )
    assert ReadinessAssessment.objects.get(pk=assessment.pk).staffing != "More staff"

    actions.do_withdraw_assessment(assessment, acting_user=people["governor"])
    returned = assessment_in(A.RETURNED, site)
    changed = actions.do_update_assessment(
        returned,
        expected_version=returned.version,
        changes={"staffing": "Detailing now 99% of hours."},
        acting_user=people["editor"],
    )
    assert changed == {"staffing": "Detailing now 99% of hours."}


def test_a_stale_edit_is_refused(site, people):
    assessment = draft_assessment(site)
    opened_at = assessment.version
    actions.do_update_assessment(
        assessment,
        expected_version=opened_at,
        changes={"staffing": "First"},
        acting_user=people["editor"],
    )
    with pytest.raises(StaleEditError):
        actions.do_update_assessment(
            assessment,
            expected_version=opened_at,
            changes={"staffing": "Second"},
            acting_user=people["governor"],
        )
    assert ReadinessAssessment.objects.get(pk=assessment.pk).staffing == "First"


def test_a_stale_transition_form_is_refused(site, people):
    assessment = assessment_in(A.DRAFT, site)
    opened_at = assessment.version
    actions.do_update_assessment(
        assessment,
        expected_version=opened_at,
        changes={"staffing": "Changed while the Governor read it"},
        acting_user=people["editor"],
    )
    with pytest.raises(DomainError, match="changed since you opened it"):
        actions.do_submit_assessment(
            assessment, expected_version=opened_at, acting_user=people["governor"]
        )
    assert status_of(assessment) == A.DRAFT
    assert not assessment.sign_offs.exists()


# --- Comments, concerns and the snapshot -------------------------------------------------------


def test_concerns_need_words_and_travel_with_it(site, people):
    assessment = assessment_in(A.AWAITING_UNION, site)
    with pytest.raises(DomainError) as refused:
        actions.do_record_consultation(
            assessment, position=UnionPosition.CONCERNS, concerns=" ", acting_user=people["union"]
        )
    assert (refused.value.field, refused.value.message) == (
        "concerns",
        "Write down the union's concerns",
    )
    actions.do_record_consultation(
        assessment,
        position=UnionPosition.CONCERNS,
        concerns="Gym staffing is thin at weekends.",
        acting_user=people["union"],
    )
    consulted = assessment.sign_offs.get(step=Step.CONSULTED)
    assert (consulted.union_position, consulted.comments) == (
        "concerns",
        "Gym staffing is thin at weekends.",
    )
    assert status_of(assessment) == A.AWAITING_PGD


def test_return_needs_reasons(site, people):
    assessment = assessment_in(A.AWAITING_PGD, site)
    with pytest.raises(DomainError, match="Say why the assessment is returned"):
        actions.do_return_assessment(assessment, reasons="", acting_user=people["pgd"])
    assert status_of(assessment) == A.AWAITING_PGD


def test_a_returned_assessment_keeps_every_comment_and_resubmits_with_a_new_snapshot(site, people):
    assessment = assessment_in(A.RETURNED, site)
    actions.do_update_assessment(
        assessment,
        expected_version=ReadinessAssessment.objects.get(pk=assessment.pk).version,
        changes={"staffing": "Revised detail attached."},
        acting_user=people["editor"],
    )
    actions.do_submit_assessment(assessment, acting_user=people["governor"])
    steps = [(s.step, s.comments) for s in assessment.sign_offs.order_by("at", "pk")]
    assert steps == [
        ("submitted", ""),
        ("consulted", "Staff want the wing cleaning rota agreed first."),
        ("returned", "Attach the revised staffing detail."),
        ("submitted", ""),
    ]
    snapshots = list(assessment.snapshots.order_by("number"))
    assert [s.number for s in snapshots] == [1, 2]
    assert snapshots[1].content["assessment"]["staffing"] == "Revised detail attached."
    assert snapshots[0].content["assessment"]["staffing"] != "Revised detail attached."
    assert assessment.sign_offs.order_by("-pk").first().snapshot == snapshots[1]


def test_the_snapshot_is_frozen_and_plan_changes_since_show_what_moved(site, people):
    assessment = assessment_in(A.AWAITING_PANEL, site)
    snapshot = latest_snapshot(assessment)
    endorsed = assessment.sign_offs.get(step=Step.ENDORSED)
    assert endorsed.snapshot == snapshot
    frozen = snapshot.content["plan"]["answers"]
    answer(response_for(assessment.plan, "1.2"), status=ResponseStatus.IN_PROGRESS)

    snapshot.refresh_from_db()
    assert snapshot.content["plan"]["answers"] == frozen
    key = next(k for k in frozen if k.endswith("/1.2"))
    assert frozen[key]["status"] == "met"
    changes = plan_changes_since(snapshot)
    assert [(c.number, c.what, c.fields) for c in changes] == [
        ("1.2", "changed", (("Status", "met", "in_progress"),))
    ]


# --- Telling the next people -------------------------------------------------------------------


def _recipients(outbox) -> list[list[str]]:
    return sorted(sorted(m.to) for m in outbox)


def test_each_step_tells_the_next_people(
    site, small_estate, people, person_with_role, django_capture_on_commit_callbacks
):
    other_rep = person_with_role(Role.TRADE_UNION_REP, small_estate.establishment_2)
    assessment = draft_assessment(site)

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_assessment(assessment, acting_user=people["governor"])
    assert _recipients(mail.outbox) == [[people["union"].email]]
    assert other_rep.email not in str(mail.outbox[0].to)
    assert f"/progression/assessments/{assessment.pk}/" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_record_consultation(assessment, position="agreed", acting_user=people["union"])
    assert _recipients(mail.outbox) == [[people["pgd"].email]]  # not the PGD of the other group

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_return_assessment(assessment, reasons="Need detail", acting_user=people["pgd"])
    assert _recipients(mail.outbox) == [[people["governor"].email]]
    assert "Need detail" in mail.outbox[0].body

    actions.do_submit_assessment(assessment, acting_user=people["governor"])
    actions.do_record_consultation(assessment, position="agreed", acting_user=people["union"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_endorse_assessment(assessment, acting_user=people["pgd"])
    assert _recipients(mail.outbox) == [[people["panel"].email]]


def test_a_refused_step_tells_nobody(site, people, django_capture_on_commit_callbacks):
    assessment = draft_assessment(site, ready=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        actions.do_submit_assessment(assessment, acting_user=people["governor"])
    assert mail.outbox == []


def test_a_step_that_fails_half_way_writes_nothing(site, people, monkeypatch):
    """The audit event is the last write of a submission: when it fails, the status, the
    snapshot and the sign-off are not written either."""
    from recovery.progression import assessments

    assessment = draft_assessment(site)

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(assessments, "record_event", broken)
    with pytest.raises(RuntimeError):
        actions.do_submit_assessment(assessment, acting_user=people["governor"])
    again = ReadinessAssessment.objects.get(pk=assessment.pk)
    assert (again.status, again.submitted_by, again.version) == (
        A.DRAFT,
        None,
        assessment.version,
    )
    assert not again.snapshots.exists() and not again.sign_offs.exists()


def test_withdrawing_tells_whoever_it_was_waiting_for(
    site, people, django_capture_on_commit_callbacks
):
    assessment = assessment_in(A.AWAITING_PGD, site)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_withdraw_assessment(assessment, acting_user=people["governor"])
    assert _recipients(mail.outbox) == [[people["pgd"].email]]
    assert "withdrawn" in mail.outbox[0].subject

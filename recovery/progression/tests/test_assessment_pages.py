"""The readiness assessment pages as a person uses them: what the assessment page shows (where
it waits, failing prerequisites in red with why, every comment, the plan changed since an
endorsement), the step buttons each person gets, refusals in words with nothing changed, and
stale forms refused."""

import re

import pytest
from django.urls import reverse

from recovery.core.constants import Role
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.factories import assessment_in, draft_assessment, plan_for, site_at_stage
from recovery.progression.models import ReadinessAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(small_estate):
    return small_estate.establishment_1


def signed_in(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page_url(assessment, name: str = "assessment") -> str:
    return reverse(f"progression:{name}", args=[assessment.pk])


def test_the_page_says_where_it_waits_and_shows_failing_prerequisites_in_red(
    client, site, person_with_role
):
    assessment = draft_assessment(site, ready=False)
    body = signed_in(client, person_with_role(Role.VIEWER)).get(page_url(assessment))
    html = body.content.decode()
    text = text_of(body)
    assert "With the establishment: to be completed, then submitted by the Governor" in text
    row = re.search(r'<tr class="govuk-table__row" data-prerequisite="ppe">(.*?)</tr>', html, re.S)
    assert row and "govuk-tag--red" in row.group(1) and "No PPE stock recorded" in row.group(1)
    assert 'style="' not in html
    assert "Submit" not in [m for m in re.findall(r'class="govuk-button[^"]*"[^>]*>([^<]+)<', html)]


def test_each_person_gets_only_their_step_buttons(client, site, person_with_role):
    assessment = assessment_in(A.AWAITING_PGD, site)
    pgd = person_with_role(Role.PGD)
    html = signed_in(client, pgd).get(page_url(assessment)).content.decode()
    assert page_url(assessment, "assessment-endorse") in html
    assert page_url(assessment, "assessment-return") in html
    governor = person_with_role(Role.GOVERNOR)
    html = signed_in(client, governor).get(page_url(assessment)).content.decode()
    assert page_url(assessment, "assessment-withdraw") in html
    assert page_url(assessment, "assessment-endorse") not in html


def test_a_returned_assessment_shows_every_comment(client, site, person_with_role):
    assessment = assessment_in(A.RETURNED, site)
    text = text_of(signed_in(client, person_with_role(Role.GOVERNOR)).get(page_url(assessment)))
    assert "Concerns: Staff want the wing cleaning rota agreed first." in text
    assert "Reasons: Attach the revised staffing detail." in text
    assert "by Petra Pennington" in text and "by Ulric Unwin" in text


def test_plan_changed_since_the_endorsement_is_shown_baseline_by_baseline(
    client, site, person_with_role
):
    assessment = assessment_in(A.AWAITING_PANEL, site)
    url = page_url(assessment)
    panel = signed_in(client, person_with_role(Role.CENTRAL_PANEL))
    assert "Plan changed since" not in text_of(panel.get(url))
    answer(response_for(assessment.plan, "1.2"), status=ResponseStatus.IN_PROGRESS)
    text = text_of(panel.get(url))
    assert "Plan changed since endorsed by Petra Pennington" in text
    assert "EDM 973 baseline 1.2 Status met in_progress" in text


def test_submitting_with_a_failure_and_no_justification_is_a_field_error(
    client, site, person_with_role
):
    assessment = draft_assessment(site, ready=False)
    governor = signed_in(client, person_with_role(Role.GOVERNOR))
    response = governor.post(
        page_url(assessment, "assessment-submit"),
        {"version": assessment.version, "justification": ""},
    )
    assert response.status_code == 200
    assert "say why the assessment should go ahead now" in text_of(response)
    assert 'id="id_justification-error"' in response.content.decode()
    assert ReadinessAssessment.objects.get(pk=assessment.pk).status == A.DRAFT


def test_a_stale_step_form_is_refused_and_nothing_changes(client, site, person_with_role):
    assessment = assessment_in(A.AWAITING_PGD, site)
    opened = assessment.version
    ReadinessAssessment.objects.filter(pk=assessment.pk).update(version=opened + 1)
    pgd = signed_in(client, person_with_role(Role.PGD))
    response = pgd.post(page_url(assessment, "assessment-endorse"), {"version": opened})
    assert "changed since you opened it" in text_of(response)
    again = ReadinessAssessment.objects.get(pk=assessment.pk)
    assert again.status == A.AWAITING_PGD and not again.sign_offs.filter(step="endorsed")


def test_a_step_no_longer_possible_is_refused_in_words(client, site, person_with_role):
    assessment = assessment_in(A.AWAITING_PANEL, site)
    rep = signed_in(client, person_with_role(Role.TRADE_UNION_REP))
    response = rep.post(
        page_url(assessment, "assessment-consult"),
        {"version": assessment.version, "position": "agreed"},
    )
    assert response.status_code == 409
    assert (
        "This readiness assessment is awaiting national decision: it can be consulted on only "
        "when it is awaiting trade union consultation. Nothing was changed." in text_of(response)
    )
    assert ReadinessAssessment.objects.get(pk=assessment.pk).sign_offs.count() == 3


def test_the_submitter_cannot_consult_on_their_own_submission(client, site, person_with_role):
    from recovery.accounts.factories import RoleAssignmentFactory
    from recovery.progression.actions import do_submit_assessment

    both = person_with_role(Role.GOVERNOR)
    RoleAssignmentFactory(user=both, role=Role.TRADE_UNION_REP, unit=site)
    assessment = draft_assessment(site)
    do_submit_assessment(assessment, acting_user=both)
    assessment.refresh_from_db()
    response = signed_in(client, both).post(
        page_url(assessment, "assessment-consult"),
        {"version": assessment.version, "position": "agreed"},
    )
    assert "You submitted this assessment, so you cannot sign a later step of it." in text_of(
        response
    )
    assert ReadinessAssessment.objects.get(pk=assessment.pk).status == A.AWAITING_UNION


def test_the_edit_page_refuses_after_submission_and_edits_a_returned_one(
    client, site, person_with_role
):
    editor = signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    submitted = assessment_in(A.AWAITING_UNION, site)
    text = text_of(editor.get(page_url(submitted, "assessment-edit")))
    assert "it can no longer be changed" in text
    response = editor.post(
        page_url(submitted, "assessment-edit"),
        {"version": submitted.version, "staffing": "Sneaked in"},
    )
    assert ReadinessAssessment.objects.get(pk=submitted.pk).staffing != "Sneaked in"
    assert response.status_code == 200

    from recovery.progression.actions import do_withdraw_assessment

    do_withdraw_assessment(submitted, acting_user=person_with_role(Role.GOVERNOR))
    returned = assessment_in(A.RETURNED, site)
    response = editor.post(
        page_url(returned, "assessment-edit"),
        {
            "version": returned.version,
            "staffing": "Detailing now 99% of hours.",
            "risk_assessments": returned.risk_assessments,
            "safe_systems": returned.safe_systems,
            "justification": returned.justification,
        },
    )
    assert response.status_code == 302
    assert ReadinessAssessment.objects.get(pk=returned.pk).staffing == (
        "Detailing now 99% of hours."
    )


def test_starting_says_what_is_missing(client, site, person_with_role):
    governor = signed_in(client, person_with_role(Role.GOVERNOR))
    site_at_stage(site, 4)
    url = reverse("progression:assessments", args=[site.code])
    response = governor.post(url)
    assert "has no Regime Recovery Plan for stage 3 yet" in text_of(response)
    plan_for(site, 3)
    response = governor.post(url)
    created = ReadinessAssessment.objects.get(establishment=site)
    assert response.status_code == 302 and response["Location"] == page_url(created)


def test_out_of_scope_is_not_found(client, small_estate, person_with_role):
    elsewhere = assessment_in(A.AWAITING_PGD, small_estate.establishment_2)
    pgd = signed_in(client, person_with_role(Role.PGD))
    assert pgd.get(page_url(elsewhere)).status_code == 404
    assert pgd.post(page_url(elsewhere, "assessment-endorse"), {"version": 9}).status_code == 404
    assert ReadinessAssessment.objects.get(pk=elsewhere.pk).status == A.AWAITING_PGD

"""The sign-off chain in Chromium, each person signed in through the real form, with axe (WCAG
2.2 AA) on every page seen: the Governor starts a readiness assessment, attests what the service
cannot know and submits it; the local trade union records its concerns; the Prison Group
Director reads them and endorses it to the national panel.

The panel's approval, the stage change and the public page continue this journey (the panel's
part extends `walk_to_the_panel`)."""

import pytest

from recovery.core.constants import Role
from recovery.progression.actions import do_record_consultation
from recovery.progression.factories import (
    draft_assessment,
    make_site_ready,
    plan_for,
    route_person,
    site_at_stage,
)
from recovery.progression.models import ReadinessAssessment
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser

CONCERNS = "Weekend gym staffing is thin; review after four weeks."


def summary(page, key: str) -> str:
    row = page.locator("#where-it-waits .govuk-summary-list__row", has_text=key)
    return row.locator("dd").inner_text().strip()


def walk_to_the_panel(new_page, estate) -> ReadinessAssessment:
    """Governor submits, union consults with concerns, PGD endorses: returns the assessment,
    awaiting the national panel."""
    person(Role.GOVERNOR, estate.ashgrove, "gwen.governing@example.org", "Gwen", "Governing")
    person(Role.TRADE_UNION_REP, estate.ashgrove, "uri.union@example.org", "Uri", "Union")
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    site_at_stage(estate.ashgrove, 4)
    plan_for(estate.ashgrove, 3)
    make_site_ready(estate.ashgrove)

    # The Governor starts the assessment, attests, and submits it.
    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org", start="/progression/EST1/assessments/")
    visit.check("Readiness assessments")
    assert "HMP Ashgrove has no readiness assessment yet." in page_text(page)
    page.get_by_role("button", name="Start an assessment").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert "The readiness assessment to move to stage 3 has been started." in page_text(page)
    assert "Not met" in page.locator("[data-prerequisite=staffing]").inner_text()

    page.get_by_role("link", name="Change what you attest").click()
    visit.check("Change what you attest")
    page.get_by_label("Staffing against the regime").fill("Detailing shows 96% of hours needed.")
    page.get_by_label("Local risk assessments").fill("All 14 signed by the Head of Safety.")
    page.get_by_label("Safe systems of work").fill("Reissued to every wing on 1 December.")
    page.get_by_role("button", name="Save").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert "All met" in page_text(page)

    page.get_by_role("link", name="Submit").click()
    visit.check("Submit the readiness assessment")
    page.get_by_role("button", name="Submit").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert "The readiness assessment has been submitted." in page_text(page)
    assert summary(page, "Where it waits") == "Waiting for the local trade union's consultation"
    url = page.url

    # The union records its concerns: the route goes on, the concerns with it.
    page = new_page()
    visit = Visit(page)
    sign_in(page, "uri.union@example.org", start=url)
    visit.check("Readiness assessment: stage 4 to stage 3")
    page.get_by_role("link", name="Record consultation").click()
    visit.check("Record the union's consultation")
    page.get_by_role("button", name="Record consultation").click()
    visit.check("Record the union's consultation")  # nothing chosen: the error, in words
    assert "Select the union's position" in page_text(page)
    page.get_by_label("Agreed with concerns in writing").check()
    page.get_by_label("The union's concerns").fill(CONCERNS)
    page.get_by_role("button", name="Record consultation").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert summary(page, "Where it waits").startswith("Waiting for the PGD")

    # The PGD reads the concerns and endorses it.
    page = new_page()
    visit = Visit(page)
    sign_in(page, "petra.director@example.org", start=url)
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert f"Concerns: {CONCERNS}" in page_text(page)
    page.get_by_role("link", name="Endorse").click()
    visit.check("Endorse the readiness assessment")
    page.get_by_label("Comments (optional)").fill("The group supports the move.")
    page.get_by_role("button", name="Endorse").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert "The readiness assessment has been endorsed." in page_text(page)
    assert summary(page, "Where it waits") == "Waiting for a decision of the national panel"
    route = page.locator(".moj-timeline").inner_text()
    signed = ("Submitted", "by Gwen Governing", "by Uri Union", "Endorsed", "by Petra Director")
    for words in signed:
        assert words in route
    return ReadinessAssessment.objects.get(establishment=estate.ashgrove)


def test_the_establishment_submits_the_union_consults_and_the_pgd_endorses(new_page):
    assessment = walk_to_the_panel(new_page, build_estate())
    assert assessment.status == "awaiting_panel"
    assert [s.step for s in assessment.sign_offs.order_by("at", "pk")] == [
        "submitted",
        "consulted",
        "endorsed",
    ]


def test_a_failing_prerequisite_is_justified_and_a_returned_assessment_keeps_its_comments(
    new_page,
):
    estate = build_estate()
    person(Role.GOVERNOR, estate.ashgrove, "gwen.governing@example.org", "Gwen", "Governing")
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    assessment = draft_assessment(estate.ashgrove, ready=False)
    url = f"/progression/assessments/{assessment.pk}/"

    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org", start=url)
    visit.check("Readiness assessment: stage 4 to stage 3")
    ppe = page.locator("[data-prerequisite=ppe]")
    assert "Not met" in ppe.inner_text() and "No PPE stock recorded" in ppe.inner_text()
    page.get_by_role("link", name="Submit").click()
    visit.check("Submit the readiness assessment")
    page.get_by_role("button", name="Submit").click()
    visit.check("Submit the readiness assessment")
    assert "say why the assessment should go ahead now" in page_text(page)
    page.get_by_label("Why go ahead with a prerequisite not met").fill(
        "PPE delivery confirmed for Monday; testing figures due this week."
    )
    page.get_by_role("button", name="Submit").click()
    visit.check("Readiness assessment: stage 4 to stage 3")
    assert "Justification: PPE delivery confirmed for Monday" in page_text(page)

    # The union agrees (its own journey is the test above).
    do_record_consultation(
        ReadinessAssessment.objects.get(pk=assessment.pk),
        position="agreed",
        acting_user=route_person(Role.TRADE_UNION_REP, estate.ashgrove),
    )

    page = new_page()
    visit = Visit(page)
    sign_in(page, "petra.director@example.org", start=url)
    visit.check("Readiness assessment: stage 4 to stage 3")
    page.get_by_role("link", name="Return to the establishment").click()
    visit.check("Return the assessment")
    page.get_by_label("Why it is returned").fill("Wait for the PPE delivery, then resubmit.")
    page.get_by_role("button", name="Return to the establishment").click()
    visit.check("Readiness assessment: stage 4 to stage 3")

    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org", start=url)
    visit.check("Readiness assessment: stage 4 to stage 3")
    route = page.locator(".moj-timeline").inner_text()
    assert "Justification: PPE delivery confirmed for Monday" in route
    assert "Reasons: Wait for the PPE delivery, then resubmit." in route
    page.get_by_role("link", name="Change what you attest").click()
    visit.check("Change what you attest")

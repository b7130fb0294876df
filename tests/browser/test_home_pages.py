"""The prison roles' home pages with something waiting on each, signed in through the real
form, with axe (WCAG 2.2 AA) and the narrow-screen check on every one, and a link followed from
each to where the work is done."""

import pytest

from recovery.core.constants import Role
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.constants import ChangeStatus, ReviewStatus
from recovery.progression.tests.builders import assessment, at_stage, days_ago, outbreak, review
from tests.browser.helpers import Visit, build_estate, governor, page_text, person, sign_in

pytestmark = pytest.mark.browser


def _picture():
    """Ashgrove at stage 4, in outbreak, a plan with an overdue baseline and an assessment
    waiting for its union; Cedarfield's waiting for its PGD with a move proposed; Birchwood's
    deferred by the panel and a move to ratify."""
    estate = build_estate()
    make_edm_version(901, [B("1.1", 3), B("1.2", 3), B("2.1", 2)])
    at_stage(estate.ashgrove, 4)
    at_stage(estate.cedarfield, 4)
    at_stage(estate.birchwood, 3, since=200)
    at_stage(estate.birchwood, 4, since=5, status=ChangeStatus.TO_BE_RATIFIED, previous=3)
    at_stage(estate.cedarfield, 5, since=1, status=ChangeStatus.PROPOSED, previous=4)
    plan = start_plan(estate.ashgrove)
    answer(response_for(plan, "1.1"), status=ResponseStatus.MET)
    answer(response_for(plan, "1.2"), target_date=days_ago(3))
    outbreak(estate.ashgrove)
    assessment(estate.ashgrove, A.AWAITING_UNION, plan=plan)
    assessment(estate.cedarfield, A.AWAITING_PGD)
    assessment(estate.birchwood, A.DEFERRED)
    review(estate.cedarfield, ReviewStatus.REPORTED)
    review(estate.birchwood, ReviewStatus.FORWARDED)
    return estate


def test_each_prison_role_sees_what_waits_for_it(new_page):
    estate = _picture()
    governor(estate)
    person(Role.TRADE_UNION_REP, estate.ashgrove, "tom.union@example.org", "Tom", "Union")
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    person(Role.CENTRAL_PANEL, estate.nation, "cora.central@example.org", "Cora", "Central")

    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org")
    visit.check("HMP Ashgrove")
    home = page_text(page)
    assert "Stage 4: Restrict" in home and "In outbreak since" in home
    assert "Awaiting trade union consultation" in home
    page.get_by_role("link", name="EDM 901 baseline 1.2").first.click()
    visit.check()
    assert "/plans/EST1/answer/" in page.url

    for email, heading, waiting in (
        ("tom.union@example.org", "HMP Ashgrove", "Consultations waiting for you"),
        ("petra.director@example.org", "Northern Fells group", "Waiting for you"),
        ("cora.central@example.org", "England and Wales", "Waiting for your decision"),
    ):
        page = new_page()
        visit = Visit(page)
        sign_in(page, email)
        visit.check(heading)
        assert waiting in page_text(page)

    home = page_text(page)  # the central panel's
    assert "HMP Birchwood" in home and "Moves to be ratified" in home

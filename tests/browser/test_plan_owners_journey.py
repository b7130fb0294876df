"""Plans people own, in Chromium, signed in through the real form, with axe (WCAG 2.2 AA) and the
375 px check on every page seen: the Governor gives three baselines to a colleague one after
another ("Save and go to the next" in the plan's order of work); the colleague signs in, finds
them under "My baselines" on the home page and answers all three in a row, in the order of
their target dates, ending back on the home page."""

import datetime
import re

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.plans.factories import B, make_edm_version, response_for, start_plan
from recovery.plans.models import Response
from tests.browser.helpers import Visit, build_estate, governor, page_text, person, sign_in

pytestmark = pytest.mark.browser


def fill_target_date(page, date: datetime.date) -> None:
    dates = page.get_by_role("group", name="Target date")
    dates.get_by_label("Day").fill(str(date.day))
    dates.get_by_label("Month").fill(str(date.month))
    dates.get_by_label("Year").fill(str(date.year))


def position(page) -> str:
    return page.locator("#run-position").inner_text().strip()


def test_the_governor_assigns_three_baselines_and_the_colleague_answers_them_in_a_row(
    new_page,
):
    estate = build_estate()
    governor(estate)
    person(
        Role.ESTABLISHMENT_EDITOR, estate.ashgrove, "erin.editing@example.org", "Erin", "Editing"
    )
    # The plan's order of work: 1.2 and 2.2 (weighting 3), then 1.1 (2), then 2.1 (1).
    make_edm_version(901, [B("1.1", 2), B("1.2", 3), B("2.1", 1, area="2"), B("2.2", 3, area="2")])
    plan = start_plan(estate.ashgrove)
    today = timezone.localdate()
    targets = {
        "1.2": today + datetime.timedelta(days=30),
        "2.2": today + datetime.timedelta(days=10),
        "1.1": today + datetime.timedelta(days=20),
    }

    # --- The Governor works through the plan, giving each of three baselines to Erin. ---
    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org", start="/plans/EST1/")
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    page.get_by_role(
        "link", name="Answer the baselines still to do one after another, in the order of work"
    ).click()
    for index, number in enumerate(["1.2", "2.2", "1.1"], start=1):
        visit.check(f"Baseline {number}")
        assert position(page).startswith(f"Baseline {index} of 4 in the plan's order of work.")
        assert f"{4 - index} left to do after this one" in position(page)
        page.get_by_label("Assigned to").select_option(label="Erin Editing")
        fill_target_date(page, targets[number])
        page.get_by_role("button", name="Save and go to the next").click()
        assert f"Your answer to baseline {number} has been saved." in page_text(page)
    # The fourth, 2.1, is left to Erin's colleagues: back to the plan, showing only the
    # Governor's own (none).
    visit.check("Baseline 2.1")
    page.get_by_role("link", name="Back to the plan").click()
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    page.get_by_role("link", name="Show only the baselines assigned to you").click()
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    assert "No baseline of this plan is assigned to you." in page_text(page)

    # --- Erin signs in and finds them on her home page, soonest target date first. ---
    page = new_page()
    visit = Visit(page)
    sign_in(page, "erin.editing@example.org")
    visit.check()
    mine = page.get_by_role("table", name="Baselines assigned to you, overdue first")
    links = mine.locator("tbody").get_by_role("link")
    assert links.all_inner_texts() == ["Baseline 2.2", "Baseline 1.1", "Baseline 1.2"]

    page.get_by_role("link", name="Work through them one after another").click()
    statuses = {"2.2": "Met", "1.1": "Met", "1.2": "In progress"}
    for index, number in enumerate(["2.2", "1.1", "1.2"], start=1):
        visit.check(f"Baseline {number}")
        assert position(page).startswith(
            f"Baseline {index} of 3 assigned to you, by target date as on your home page."
        )
        page.get_by_role("group", name="Status").get_by_label(statuses[number], exact=True).check()
        page.get_by_label("Approach").fill(f"Erin's plan for {number}")
        page.get_by_role("button", name="Save and go to the next").click()
        assert f"Your answer to baseline {number} has been saved." in page_text(page)

    # The end of the run: back on the home page, where only the one still to do is left.
    visit.check()
    assert page.url.endswith("/#my-baselines")
    text = page_text(page)
    assert (
        "You have reached the end of your baselines. 1 baseline in it is still to do "
        "(not met, and not marked not applicable)."
    ) in text
    assert mine.locator("tbody").get_by_role("link").all_inner_texts() == ["Baseline 1.2"]
    assert response_for(plan, "2.2").status == "met"
    assert response_for(plan, "1.2").approach == "Erin's plan for 1.2"
    assert len(visit.seen) == 5  # home, three answers, home again


def test_save_and_go_to_the_next_works_without_javascript(new_page):
    estate = build_estate()
    erin = person(
        Role.ESTABLISHMENT_EDITOR, estate.ashgrove, "erin.editing@example.org", "Erin", "Editing"
    )
    make_edm_version(901, [B("1.1", 2), B("1.2", 3)])
    plan = start_plan(estate.ashgrove)
    for number in ("1.1", "1.2"):
        Response.objects.filter(pk=response_for(plan, number).pk).update(assignee=erin)
    page = new_page(javascript=False)
    sign_in(page, "erin.editing@example.org", start="/plans/EST1/?mine=1")
    page.get_by_role("link", name="Answer your baselines one after another").click()
    assert page.locator("h1").inner_text() == "Baseline 1.2"  # weighting 3 first
    assert position(page).startswith("Baseline 1 of 2 assigned to you in this plan")
    page.get_by_role("button", name="Save and go to the next").click()
    assert page.locator("h1").inner_text() == "Baseline 1.1"
    page.get_by_role("button", name="Save and go to the next").click()
    page.wait_for_url(re.compile(r"/plans/EST1/\?stage=3&mine=1$"))
    assert "You have reached the end of your baselines in this plan." in page_text(page)

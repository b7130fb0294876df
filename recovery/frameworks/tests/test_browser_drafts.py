"""A framework author builds an EDM draft in the service in Chromium, with axe (WCAG 2.2 AA) on
every page: start the draft, add an area, make a mistake in a baseline and correct it, publish
it, find the published version closed to change and start a new version. The forms also work
with JavaScript switched off."""

import pytest

from recovery.core.constants import Role
from tests.browser.conftest import (  # noqa: F401 - the browser suite's fixtures
    _audit_guard_lifted_for_flush,
    browser,
    new_page,
    server,
)
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


def test_a_framework_author_builds_and_publishes_a_draft(new_page):  # noqa: F811
    estate = build_estate()
    person(Role.FRAMEWORK_AUTHOR, estate.nation, "fay.framing@example.org", "Fay", "Framing")
    page = new_page()
    sign_in(page, "fay.framing@example.org", start="/frameworks/")
    visit = Visit(page)

    visit.go("/frameworks/", "Framework library")
    page.get_by_role("button", name="Start a new EDM draft").click()
    page.wait_for_url("**/edms/new/")
    visit.check("Start a new EDM draft")
    page.get_by_label("EDM number").fill("970")
    page.get_by_label("Version").fill("1.0")
    page.get_by_label("Title").fill("Invented gym sessions")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("8")
    page.get_by_label("Year").fill("2020")
    page.get_by_label("Regime element").select_option(label="Visits")
    page.get_by_label("3: Reduce").check()
    page.get_by_label("Category C training").check()
    page.get_by_role("button", name="Start the draft").click()
    assert "EDM 970 version 1.0 has been started as a draft." in page_text(page)
    assert "Add at least one area" in page_text(page)
    visit.check("Invented gym sessions")

    page.get_by_role("button", name="Add an area").click()
    page.wait_for_url("**/areas/new/")
    visit.check("Add an area")
    page.get_by_label("Area number").fill("1")
    page.get_by_label("Title").fill("Booking")
    page.get_by_role("button", name="Add the area").click()
    assert "Area 1 has been added." in page_text(page)
    visit.check("Invented gym sessions")

    page.get_by_role("link", name="Add a baseline to area 1").click()
    page.wait_for_url("**/baselines/new/?area=*")
    visit.check("Add a baseline")
    page.get_by_label("Baseline number").fill("1.1")
    page.get_by_label("Requirement").fill("Book sessions by wing.")
    page.get_by_label("Mandatory", exact=True).check()
    page.get_by_label("3. Highest").check()
    page.get_by_label("Partial:").check()
    page.get_by_role("textbox", name="Delivery options").fill("By wing")
    page.get_by_role("button", name="Add the baseline").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Baseline 1.1 has partial autonomy, so it needs at least two options" in summary
    assert page.get_by_label("Requirement").input_value() == "Book sessions by wing."
    visit.check("Add a baseline")

    page.get_by_role("textbox", name="Delivery options").fill("By wing\nBy landing")
    page.get_by_role("button", name="Add the baseline").click()
    assert "Baseline 1.1 has been added." in page_text(page)
    visit.check("Invented gym sessions")

    page.get_by_role("link", name="Change baseline 1.1").click()
    page.wait_for_url("**/baselines/change/?baseline=*")
    visit.check("Change baseline 1.1")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url("**/versions/1.0/")
    page.get_by_role("link", name="Change the details").click()
    page.wait_for_url("**/details/")
    visit.check("Change the details")
    page.get_by_role("button", name="Save the details").click()
    assert "You did not change the details of the draft." in page_text(page)

    page.get_by_role("button", name="Publish version 1.0").click()
    assert "EDM 970 version 1.0 published" in page_text(page)
    visit.check("Invented gym sessions")

    visit.go("/frameworks/edms/970/versions/1.0/details/", "You cannot change version 1.0")
    page.get_by_role("button", name="Start a new version").click()
    page.wait_for_url("**/new-version/")
    visit.check("Start a new version")
    page.get_by_label("Version number of the new version").fill("1.1")
    page.get_by_role("button", name="Start the new version").click()
    assert "EDM 970 version 1.1 has been started as a draft, copied from version 1.0." in (
        page_text(page)
    )
    visit.check("Invented gym sessions")


def test_a_draft_is_built_without_javascript(new_page):  # noqa: F811
    estate = build_estate()
    person(Role.FRAMEWORK_AUTHOR, estate.nation, "fay.framing@example.org", "Fay", "Framing")
    page = new_page(javascript=False)
    sign_in(page, "fay.framing@example.org", start="/frameworks/edms/new/")

    page.get_by_label("EDM number").fill("970")
    page.get_by_label("Version").fill("1.0")
    page.get_by_label("Title").fill("Invented gym sessions")
    page.get_by_label("Regime element").select_option(label="Visits")
    page.get_by_label("3: Reduce").check()
    page.get_by_label("Open (category D)").check()
    page.get_by_role("button", name="Start the draft").click()
    assert "Enter the issue date" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Open (category D)").is_checked()  # their input is kept

    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("8")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Start the draft").click()
    assert "EDM 970 version 1.0 has been started as a draft." in page_text(page)
    page.get_by_role("button", name="Add an area").click()
    page.get_by_label("Area number").fill("1")
    page.get_by_label("Title").fill("Booking")
    page.get_by_role("button", name="Add the area").click()
    assert "Area 1 has been added." in page_text(page)
    page.get_by_role("link", name="Remove area 1").click()
    page.get_by_role("button", name="Remove area 1").click()
    assert "Area 1 and its baselines have been removed." in page_text(page)

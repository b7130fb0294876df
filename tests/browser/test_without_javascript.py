"""The service works with JavaScript switched off: sign in, filter the list, correct an
establishment's details (including a mistake and its error message)."""

import re

import pytest

from recovery.core.constants import Role
from tests.browser.helpers import build_estate, governor, page_text, person, sign_in

pytestmark = pytest.mark.browser


def test_filter_and_edit_without_javascript(new_page):
    estate = build_estate()
    governor(estate)
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    page = new_page(javascript=False)

    sign_in(page, "petra.director@example.org", start="/estate/establishments/")
    assert page.url.endswith("/estate/establishments/")
    page.get_by_label("Name or code").fill("Ash")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=Ash"))
    shown = page_text(page)
    assert "HMP Ashgrove" in shown and "HMP Cedarfield" not in shown
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "gwen.governing@example.org", start="/estate/establishments/EST1/")
    page.get_by_role("button", name="Change details").click()
    assert page.url.endswith("/estate/establishments/EST1/edit/")

    page.get_by_label("Population").fill("lots")
    page.get_by_role("button", name="Save changes").click()
    assert (
        "Population must be a whole number, like 550"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("Population").input_value() == "lots"  # their input is kept

    page.get_by_label("Population").fill("612")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/estate/establishments/EST1/$"))
    assert "The details of HMP Ashgrove have been saved." in page_text(page)
    assert "612" in page_text(page)

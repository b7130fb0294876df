"""The real register in the browser: a governor closes their establishment and
gives it two categories; a group director no longer sees it in their group but finds it by
asking for closed establishments; unknown figures read "Not known". axe on every page."""

import re

import pytest

from recovery.core.constants import Role
from recovery.estate.models import Establishment
from tests.browser.helpers import Visit, build_estate, governor, page_text, person, sign_in

pytestmark = pytest.mark.browser


def test_close_an_establishment_and_find_it_again(new_page):
    estate = build_estate()
    governor(estate)
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    Establishment.objects.filter(code="EST3").update(population=None)
    page = new_page()
    visit = Visit(page)

    sign_in(page, "gwen.governing@example.org", start="/estate/establishments/EST1/edit/")
    visit.check("Change the details of HMP Ashgrove")
    page.get_by_label("Closed", exact=True).check()
    page.get_by_label("Category B", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/estate/establishments/EST1/$"))
    visit.check("HMP Ashgrove")
    shown = page_text(page)
    assert "This establishment is closed." in shown
    assert "B, C" in shown
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "petra.director@example.org")
    visit.check("Northern Fells group")
    home = page_text(page)
    assert "HMP Ashgrove" not in home and "HMP Cedarfield" in home

    # Capacity and population are on the group's page, one link from the home page.
    page.get_by_role("link", name="View Northern Fells group").click()
    page.wait_for_url(re.compile(r"/estate/groups/GRP1/$"))
    visit.check("Northern Fells group")
    group = page_text(page)
    assert "HMP Ashgrove" not in group and "Not known" in group  # HMP Cedarfield's population
    assert "population is not known for 1 establishment" in group
    page.get_by_role("link", name="See this group's establishments, closed ones included").click()
    page.wait_for_url(re.compile(r"include_closed=yes"))
    visit.check("Establishments")
    listed = page_text(page)
    assert "HMP Ashgrove" in listed and "Closed" in listed
    assert page.get_by_label("Include closed establishments").is_checked()

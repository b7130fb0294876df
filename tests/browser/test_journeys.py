"""Journeys through the estate pages as three kinds of people, signed in through the real form,
with axe (WCAG 2.2 AA) on every page they see."""

import re

import pytest

from recovery.core.constants import Role
from recovery.estate.actions import do_update_establishment
from tests.browser.helpers import (
    Visit,
    assert_accessible,
    build_estate,
    governor,
    page_text,
    person,
    sign_in,
)

pytestmark = pytest.mark.browser


def menu(page, text: str):
    """A link of the service navigation."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=text)


def _column(page, index: int) -> list[str]:
    """The text of one column of the main table's body rows."""
    return [
        row.locator("td, th").nth(index).inner_text().strip()
        for row in page.locator("main table tbody tr").all()
    ]


def test_an_establishment_governor_sees_their_own_prison_only(new_page):
    estate = build_estate()
    governor(estate)
    page = new_page()
    visit = Visit(page)

    sign_in(page, "gwen.governing@example.org", check=lambda p: visit.check("Sign in"))
    visit.check("HMP Ashgrove")  # their home page
    assert "Governor or Director" in page_text(page)

    page.get_by_role("link", name="View HMP Ashgrove").click()
    assert page.url.endswith("/estate/establishments/EST1/")
    visit.check("HMP Ashgrove")
    assert "Northern Fells group" in page_text(page)

    menu(page, "Prison estate").click()
    visit.check("Establishments")
    listed = page_text(page)
    assert "HMP Ashgrove" in listed
    assert "HMP Cedarfield" not in listed and "HMP Birchwood" not in listed

    visit.go("/estate/establishments/EST2/", status=404)
    assert "HMP Birchwood" not in page.content()


def test_a_prison_group_director_sorts_and_filters_their_group(new_page):
    estate = build_estate()
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    page = new_page()
    visit = Visit(page)

    sign_in(page, "petra.director@example.org")
    visit.check("Northern Fells group")  # their home page: the group's establishments
    home = page_text(page)
    assert "HMP Ashgrove" in home and "HMP Cedarfield" in home
    assert "HMP Birchwood" not in home

    page.get_by_role("link", name="View Northern Fells group").click()
    visit.check("Northern Fells group")

    menu(page, "Prison estate").click()
    visit.check("Establishments")
    assert "HMP Birchwood" not in page_text(page)

    population = page.locator("main table thead th", has_text="Population")
    population.get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=population"))
    visit.check("Establishments")
    assert (
        page.locator("main table thead th", has_text="Population").get_attribute("aria-sort")
        == "ascending"
    )
    names = [n.splitlines()[0] for n in _column(page, 0)]
    assert names == ["HMP Cedarfield", "HMP Ashgrove"]

    page.locator("main table thead th", has_text="Population").get_by_role("link").click()
    page.wait_for_url(re.compile(r"dir=desc"))
    visit.check("Establishments")
    assert (
        page.locator("main table thead th", has_text="Population").get_attribute("aria-sort")
        == "descending"
    )
    assert [n.splitlines()[0] for n in _column(page, 0)] == ["HMP Ashgrove", "HMP Cedarfield"]

    page.get_by_label("Name or code").fill("Cedar")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=Cedar"))
    visit.check("Establishments")
    shown = page_text(page)
    assert "HMP Cedarfield" in shown and "HMP Ashgrove" not in shown
    assert "Selected filters" in shown

    page.get_by_role("link", name="HMP Cedarfield").click()
    visit.check("HMP Cedarfield")


def test_the_central_panel_sees_the_whole_estate(new_page):
    estate = build_estate()
    person(Role.CENTRAL_PANEL, estate.nation, "cora.central@example.org", "Cora", "Central")
    page = new_page()
    visit = Visit(page)

    sign_in(page, "cora.central@example.org")
    visit.check("England and Wales")  # their home page: the national picture
    home = page_text(page)
    assert "Northern Fells group" in home and "Southern Downs group" in home

    visit.go("/estate/", "National prison estate")
    page.get_by_role("link", name="Southern Downs group").first.click()
    visit.check("Southern Downs group")
    assert "HMP Birchwood" in page_text(page)

    menu(page, "Prison estate").click()
    visit.check("Establishments")
    page.get_by_label("Southern Downs group").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"group=GRP2"))
    visit.check("Establishments")
    shown = page_text(page)
    assert "HMP Birchwood" in shown
    assert "HMP Ashgrove" not in shown and "HMP Cedarfield" not in shown


def test_an_administrator_reads_the_audit_trail(new_page):
    estate = build_estate()
    gwen = governor(estate)
    do_update_establishment(
        estate.ashgrove, expected_version=1, changes={"population": 575}, acting_user=gwen
    )
    person(Role.ADMINISTRATOR, estate.nation, "ada.admin@example.org", "Ada", "Adminson")
    page = new_page()
    visit = Visit(page)

    sign_in(page, "ada.admin@example.org", start="/audit/")
    assert page.url.endswith("/audit/")
    visit.check("Audit trail")
    shown = page_text(page)
    assert "Establishment details changed" in shown
    assert "Population: 550 \nchanged to\n→ 575" in shown

    page.get_by_label("Person").fill("Nobody Atall")
    page.get_by_role("button", name="Apply filters").click()
    visit.check("Audit trail")
    assert "No changes match these filters." in page_text(page)

    page.get_by_role("link", name="Clear filters").click()
    visit.check("Audit trail")
    assert "Gwen Governing" in page_text(page)


def test_sign_in_errors_are_accessible(new_page):
    build_estate()
    page = new_page()

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

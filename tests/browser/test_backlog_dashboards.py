"""The backlog dashboards in the browser: a Governor reads their establishment's dashboard, the
centre the national dashboard and a comparison of two establishments. axe and the 375 px check
on every page; each chart has a title and its table holds the figures."""

import datetime

import pytest
from django.utils import timezone

from recovery.backlogs import factories
from recovery.backlogs.constants import BacklogArea, MetricUnit
from recovery.core.constants import Role
from tests.browser.helpers import Visit, build_estate, governor, page_text, person, sign_in

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
LATEST = TODAY - datetime.timedelta(days=TODAY.weekday(), weeks=1)


def weekly(values: list[int]) -> dict:
    return {LATEST - datetime.timedelta(weeks=len(values) - 1 - i): v for i, v in enumerate(values)}


def test_dashboards_charts_and_comparison(new_page):
    estate = build_estate()
    governor(estate)
    person(Role.CENTRAL_PANEL, estate.nation, "cara.centre@example.org", "Cara", "Centre")
    parole = factories.metric(
        name="Parole reports outstanding",
        area=BacklogArea.OFFENDER_MANAGEMENT,
        unit=MetricUnit.CASES,
        national_target=10,
    )
    leave = factories.metric(
        name="Leave carried over per person", area=BacklogArea.ANNUAL_LEAVE, unit=MetricUnit.HOURS
    )
    factories.series(estate.ashgrove, parole, weekly([80, 70, 60, 50, 40, 30, 20, 15]))
    factories.series(estate.ashgrove, leave, weekly([30, 31, 33, 34]))
    factories.series(estate.birchwood, parole, weekly([3, 3, 4, 3]))
    page = new_page()
    visit = Visit(page)

    sign_in(page, "gwen.governing@example.org", start="/backlogs/EST1/")
    visit.check("Backlogs at HMP Ashgrove")
    chart = page.locator("#metric-" + parole.code + "-chart svg")
    assert chart.get_attribute("role") == "img"
    assert "Parole reports outstanding, HMP Ashgrove" in chart.locator("title").text_content()
    assert "falling by" in chart.locator("desc").text_content()
    table = page.locator(f"#metric-{parole.code}-figures").inner_text()
    assert f"{LATEST:%-d %B %Y}\t15" in table
    page.get_by_role("link", name="Parole reports outstanding").first.click()
    visit.check("Parole reports outstanding")
    assert "Revisions" in page_text(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "cara.centre@example.org", start="/backlogs/national/")
    visit.check("Backlogs in England and Wales")
    text = page_text(page)
    assert "Live figures (no release published)" in text
    national = page.locator(f"#metric-{parole.code}-figures").inner_text()
    # Ashgrove 15 + Birchwood 3 = 18 in the latest week, both reporting.
    assert f"{LATEST:%-d %B %Y}\t18\t2 of 3" in national
    assert (
        page.locator(f"#metric-{parole.code}-title")
        .text_content()
        .startswith("Parole reports outstanding, England and Wales")
    )

    page.goto("/backlogs/compare/")
    visit.check("Compare establishments on a backlog")
    page.get_by_label("Metric").select_option(label="Parole reports outstanding")
    page.get_by_label("HMP Ashgrove").check()
    page.get_by_label("HMP Birchwood").check()
    page.get_by_role("button", name="Compare").click()
    visit.check("Compare establishments on a backlog")
    compared = page.locator("#comparison-figures").inner_text()
    # Birchwood's 3 cases are a small count outside the centre's own establishment.
    assert f"{LATEST:%-d %B %Y}\t15\tfewer than 5" in compared

"""Page layout a person notices: the establishments table shows its last column on a laptop
screen, and the footer's "Service status" opens a page for people, not JSON. (Every page the
journeys visit is also checked at 375 px wide: tests/browser/helpers.py, Visit.check.)"""

import pytest

from recovery.core.constants import Role
from tests.browser.helpers import Visit, build_estate, person, sign_in

pytestmark = pytest.mark.browser


def test_the_establishments_table_shows_its_last_column_at_1280px(new_page):
    estate = build_estate()
    person(Role.CENTRAL_PANEL, estate.nation, "cora.central@example.org", "Cora", "Central")
    page = new_page()
    visit = Visit(page)
    sign_in(page, "cora.central@example.org")
    visit.go("/estate/establishments/", "Establishments")
    assert page.viewport_size["width"] == 1280
    table = page.locator("main table")
    last = table.locator("thead th").last
    assert last.inner_text().strip() == "Occupancy"
    box = last.bounding_box()
    wrapper = page.locator("main .app-table-wrapper").bounding_box()
    assert box["x"] + box["width"] <= wrapper["x"] + wrapper["width"] + 1
    # Nothing to scroll: the whole table is in view.
    assert page.evaluate(
        "() => { const w = document.querySelector('main .app-table-wrapper');"
        " return w.scrollWidth <= w.clientWidth; }"
    )


def test_the_footer_links_a_status_page_for_people(new_page):
    build_estate()
    page = new_page()
    visit = Visit(page)
    page.goto("/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Service status").click()
    visit.check("Service status")
    assert page.url.endswith("/service-status/")
    assert "The service is working" in page.locator("main").inner_text()

"""A family member, signed out, finds a prison on the public status page and reads what its
stage means; axe on each page; the same search works without JavaScript."""

import datetime

import pytest

from recovery.core.scope import TEST_DATA
from recovery.frameworks.models import Stage
from recovery.progression.actions import do_record_stage
from tests.browser.helpers import Visit, build_estate

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_family_member_finds_a_prison_and_reads_its_stage(new_page, javascript):
    estate = build_estate()
    for prison, number in [(estate.ashgrove, 3), (estate.birchwood, 4)]:
        do_record_stage(
            prison,
            Stage.objects.get(number=number),
            reason="Stage at the start",
            effective_from=datetime.date(2026, 3, 2),
            acting_user=TEST_DATA,
        )
    page = new_page(javascript=javascript)
    visit = Visit(page)

    def check(heading: str) -> None:
        """axe needs scripts: without them, the heading alone."""
        if javascript:
            visit.check(heading)
        else:
            page.wait_for_load_state("load")
            assert heading in page.locator("h1").inner_text()

    page.goto("/status/")
    check("Prison regime status")
    page.get_by_label("Prison name").fill("ashg")
    page.get_by_role("button", name="Search").click()
    check("Prison regime status")
    results = page.locator("main table").inner_text()
    assert "HMP Ashgrove" in results and "HMP Birchwood" not in results

    page.get_by_role("link", name="HMP Ashgrove").click()
    check("HMP Ashgrove")
    text = page.locator("main").inner_text()
    assert "Stage 3: Reduce" in text
    assert "Social visits take place in smaller numbers" in text
    assert "2 March 2026" in text
    assert "/sign-in/" not in page.url

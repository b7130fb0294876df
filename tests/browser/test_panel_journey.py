"""The national panel in Chromium, signed in through the real form, with axe (WCAG 2.2 AA) on
every page seen: a central panel member finds an assessment in the queue, opens a sitting,
approves commencement in it with a date, ratifies an emergency move, and reads the sitting's
decision record as a page and as a PDF."""

import datetime

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.progression import queries
from recovery.progression.tests.panel_factories import awaiting_panel, to_be_ratified
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


def test_a_panel_member_decides_in_a_sitting_and_reads_its_record(new_page, tmp_path):
    estate = build_estate()
    person(Role.CENTRAL_PANEL, estate.nation, "pat.panel@example.org", "Pat", "Panelist")
    person(Role.CENTRAL_PANEL, estate.nation, "quinn.quorum@example.org", "Quinn", "Quorum")
    awaiting_panel(estate.ashgrove)
    to_be_ratified(estate.birchwood)
    start = timezone.localdate() + datetime.timedelta(days=7)
    page = new_page()
    visit = Visit(page)

    sign_in(page, "pat.panel@example.org", start="/progression/panel/")
    visit.check("Awaiting a national decision")
    text = page_text(page)
    assert "HMP Ashgrove" in text and "Endorsed by Pia Director" in text
    assert "Outbreak declared: moved back at once" in text

    page.get_by_role("link", name="Open a sitting").first.click()
    visit.check("Open a sitting of the national panel")
    page.get_by_label("Day").fill(str(start.day))
    page.get_by_label("Month").fill(str(start.month))
    page.get_by_label("Year").fill(str(start.year))
    page.get_by_label("Quinn Quorum").check()
    page.get_by_label("Title (optional)").fill("Weekly sitting")
    page.get_by_role("button", name="Open the sitting").click()
    visit.check("Weekly sitting")
    assert "Weekly sitting is open." in page_text(page)

    page.get_by_text("Decide on HMP Ashgrove").click()
    page.get_by_label("Approve commencement").check()
    page.get_by_label("Reasons").first.fill("A strong plan, staffed")
    form = page.locator("form", has=page.get_by_label("Approve commencement"))
    form.get_by_label("Day").fill(str(start.day))
    form.get_by_label("Month").fill(str(start.month))
    form.get_by_label("Year").fill(str(start.year))
    form.get_by_role("button", name="Record the decision").click()
    visit.check("Weekly sitting")
    assert (
        f"HMP Ashgrove: commencement of stage 3 approved from {start:%-d %B %Y} (number 1)."
        in page_text(page)
    )
    assert queries.current_stage(estate.ashgrove, on=start).number == 3

    page.get_by_role("button", name="Ratify the move of HMP Birchwood").click()
    visit.check("Weekly sitting")
    assert "HMP Birchwood's move to stage 4 is ratified." in page_text(page)

    page.get_by_role("link", name="Decision record").click()
    visit.check("Decision record: Weekly sitting")
    text = page_text(page)
    assert "Pat Panelist, Quinn Quorum" in text
    assert "A strong plan, staffed" in text and "HMP Birchwood" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    from pypdf import PdfReader

    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "HMP Ashgrove" in pdf and "A strong plan, staffed" in pdf

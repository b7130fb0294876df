"""The defensible decision log in Chromium, with axe (WCAG 2.2 AA) and the narrow-screen check
on every page seen: a Governor writes a decision, records it, supersedes it, and downloads the
log as a PDF with its verification result."""

import pytest

from tests.browser.helpers import Visit, build_estate, governor, page_text, sign_in

pytestmark = pytest.mark.browser


def test_a_governor_records_supersedes_and_exports_a_decision(new_page, tmp_path):
    estate = build_estate()
    governor(estate)
    page = new_page()
    visit = Visit(page)

    sign_in(page, "gwen.governing@example.org", start=f"/decisions/{estate.ashgrove.code}/")
    visit.check("Decision log of HMP Ashgrove")

    page.get_by_role("link", name="Write a decision").click()
    visit.check("Write a decision")
    page.get_by_label("Title").fill("Keep visits to two sessions a day")
    page.get_by_label("Decision", exact=True).fill("Two sessions a day, booked by telephone.")
    page.get_by_label("Rationale").fill("The hall holds 12 at 2 m.")
    page.get_by_label("A recovery priority").check()
    page.get_by_label("Recovery priority", exact=True).select_option("prisoners")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Save as a draft").click()
    visit.check("Draft: Keep visits to two sessions a day")

    page.get_by_role("link", name="Record this decision").click()
    visit.check("Record “Keep visits to two sessions a day”")
    page.get_by_role("button", name="Record the decision").click()
    visit.check("Keep visits to two sessions a day")
    assert "has been recorded in the log" in page_text(page)

    page.get_by_role("link", name="Supersede this decision").click()
    visit.check("Supersede decision #1")
    page.get_by_label("Title").fill("Keep visits to three sessions a day")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Record the new decision, superseding #1").click()
    visit.check("Keep visits to three sessions a day")
    assert "This decision supersedes" in page_text(page)

    visit.go(f"/decisions/{estate.ashgrove.code}/", "Decision log of HMP Ashgrove")
    text = page_text(page)
    assert "Superseded by #2" in text
    assert "Chain verified: all 2 recorded entries intact." in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the log (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    from pypdf import PdfReader

    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "Chain verified: all 2 entries intact" in pdf
    assert "Status: Superseded by #2" in pdf

"""The Local Recovery Plan from end to end in Chromium, as one Governor (issue 10's journey),
with axe (WCAG 2.2 AA) and the narrow-screen check on every page seen: a return entered on the
form, a spreadsheet with a mistake refused and listed, fixed and loaded, the establishment's
dashboard moving with it, then a decision about that backlog recorded, superseded and the log
exported as .xlsx with its verification.

The parts are also tried on their own, in more detail: returns and their upload in
test_returns_journey.py, the dashboards in test_backlog_dashboards.py, the decision log and its
PDF in test_decision_log_journey.py. This journey is about the joins between them."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from recovery.backlogs.models import ReturnValue
from recovery.decisions.models import DecisionEntry
from tests.browser.helpers import Visit, build_estate, governor, page_text, sign_in

pytestmark = pytest.mark.browser

HEADINGS = ["Establishment code", "Period start", "Metric code", "Metric", "Value", "Note"]
OASYS = "oasys-outstanding"


def _weeks_ago(n: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=n)


def _xlsx(rows) -> dict:
    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        "name": "returns.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": buffer.getvalue(),
    }


def _oasys_figures(page) -> str:
    return page.locator(f"#metric-{OASYS}-figures").inner_text()


def test_a_governor_keeps_returns_reads_the_dashboard_and_logs_a_decision(new_page, tmp_path):
    estate = build_estate()
    governor(estate)
    page = new_page()
    visit = Visit(page)
    two_weeks, last_week = _weeks_ago(2), _weeks_ago(1)

    # A return on the form: OASys assessments outstanding two weeks ago.
    sign_in(page, "gwen.governing@example.org", start=f"/backlogs/EST1/returns/{two_weeks}/")
    visit.check(f"Return for the week from {two_weeks:%-d %B %Y}")
    page.get_by_label("OASys assessments outstanding").fill("60")
    page.get_by_role("button", name="Save the return").click()
    visit.check("Returns of HMP Ashgrove")
    assert "1 figure sent, 0 corrected" in page_text(page)

    visit.go("/backlogs/EST1/", "Backlogs at HMP Ashgrove")
    assert f"{two_weeks:%-d %B %Y}\t60" in _oasys_figures(page)
    assert f"{last_week:%-d %B %Y}\t48" not in _oasys_figures(page)

    # Last week's figure from a spreadsheet: a mistake first, listed, nothing loaded.
    visit.go("/backlogs/EST1/returns/upload/", "Upload returns of HMP Ashgrove from a spreadsheet")
    upload = page.get_by_label("Upload the returns spreadsheet")
    upload.set_input_files(_xlsx([["EST1", last_week, OASYS, "", -48, ""]]))
    page.get_by_role("button", name="Upload the spreadsheet").click()
    visit.check("Upload returns of HMP Ashgrove from a spreadsheet")
    problems = page.locator("#problems").inner_text()
    assert "The figure cannot be negative" in problems
    assert ReturnValue.objects.count() == 1
    page.get_by_label("Upload the returns spreadsheet").set_input_files(
        _xlsx([["EST1", last_week, OASYS, "", 48, ""]])
    )
    page.get_by_role("button", name="Upload the spreadsheet").click()
    visit.check("Returns of HMP Ashgrove")
    assert "1 figure added, in 1 period" in page_text(page)

    # The dashboard has moved: last week's 48 beside the 60 before it.
    visit.go("/backlogs/EST1/", "Backlogs at HMP Ashgrove")
    figures = _oasys_figures(page)
    assert f"{two_weeks:%-d %B %Y}\t60" in figures
    assert f"{last_week:%-d %B %Y}\t48" in figures

    # A decision about that backlog, recorded, then superseded.
    visit.go("/decisions/EST1/", "Decision log of HMP Ashgrove")
    page.get_by_role("link", name="Write a decision").click()
    visit.check("Write a decision")
    page.get_by_label("Title").fill("Two POMs on OASys until the backlog is under 20")
    page.get_by_label("Decision", exact=True).fill("Two POMs give Tuesdays to OASys reviews.")
    page.get_by_label("Rationale").fill("The backlog fell by 12 in a week with one POM on it.")
    page.get_by_label("A backlog").check()
    page.get_by_label("Backlog", exact=True).select_option(label="OASys assessments outstanding")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Save as a draft").click()
    visit.check("Draft: Two POMs on OASys until the backlog is under 20")
    page.get_by_role("link", name="Record this decision").click()
    visit.check("Record “Two POMs on OASys until the backlog is under 20”")
    page.get_by_role("button", name="Record the decision").click()
    visit.check("Two POMs on OASys until the backlog is under 20")
    assert "has been recorded in the log" in page_text(page)

    page.get_by_role("link", name="Supersede this decision").click()
    visit.check("Supersede decision #1")
    page.get_by_label("Title").fill("Three POMs on OASys until the backlog is under 20")
    page.get_by_label("Day").fill("8")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Record the new decision, superseding #1").click()
    visit.check("Three POMs on OASys until the backlog is under 20")

    visit.go("/decisions/EST1/", "Decision log of HMP Ashgrove")
    text = page_text(page)
    assert "Superseded by #2" in text
    assert "Chain verified: all 2 recorded entries intact." in text
    assert "OASys assessments outstanding" in DecisionEntry.objects.get(sequence=2).concerns_label

    # The log for inspectors, as a spreadsheet.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the log (.xlsx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    cells = [
        str(cell)
        for sheet in load_workbook(saved, read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert "Three POMs on OASys until the backlog is under 20" in cells
    assert any("intact" in cell for cell in cells)
    assert len(visit.seen) == 15  # every page above, each checked with axe

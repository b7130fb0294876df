"""A weekly return in Chromium, signed in through the real form, with axe (WCAG 2.2 AA) on every
page seen: an establishment editor enters last week's return on the form, uploads a spreadsheet
with mistakes and sees each listed by sheet, row and column with nothing saved, fixes it and
uploads again, sees the dashboard move with each, then reads the Local Recovery Plan."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from recovery.backlogs.models import ReturnValue
from recovery.core.constants import Role
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser

HEADINGS = ["Establishment code", "Period start", "Metric code", "Metric", "Value", "Note"]


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


def test_an_editor_enters_a_return_and_uploads_a_corrected_spreadsheet(new_page):
    estate = build_estate()
    person(
        Role.ESTABLISHMENT_EDITOR, estate.ashgrove, "erin.editing@example.org", "Erin", "Editing"
    )
    page = new_page()
    visit = Visit(page)
    last_week, two_weeks = _weeks_ago(1), _weeks_ago(2)

    sign_in(page, "erin.editing@example.org", start="/backlogs/", check=lambda p: visit.check())
    visit.check("Backlogs and Local Recovery Plans")
    page.get_by_role("link", name="Returns of HMP Ashgrove").click()
    visit.check("Returns of HMP Ashgrove")
    assert "Missing" in page_text(page)

    # The form: last week's return, two figures.
    page.get_by_role(
        "link", name=f"Enter the return for the week from {last_week:%-d %B %Y}"
    ).click()
    visit.check(f"Return for the week from {last_week:%-d %B %Y}")
    page.get_by_label("OASys assessments outstanding").fill("42")
    page.get_by_label("TOIL hours owed").fill("-5")
    page.get_by_role("button", name="Save the return").click()
    visit.check(f"Return for the week from {last_week:%-d %B %Y}")
    assert "TOIL hours owed: The figure cannot be negative" in page_text(page)
    assert not ReturnValue.objects.exists()
    page.get_by_label("TOIL hours owed").fill("120")
    page.get_by_role("button", name="Save the return").click()
    visit.check("Returns of HMP Ashgrove")
    assert "2 figures sent, 0 corrected" in page_text(page)

    # The dashboard shows the figure sent.
    visit.go("/backlogs/EST1/", "Backlogs at HMP Ashgrove")
    oasys = page.locator("#metric-oasys-outstanding-figures").inner_text()
    assert f"{last_week:%-d %B %Y}\t42" in oasys
    visit.go("/backlogs/EST1/returns/", "Returns of HMP Ashgrove")

    # The upload: three mistakes, listed; nothing saved.
    page.get_by_role("link", name="Upload figures from a spreadsheet").click()
    visit.check("Upload returns of HMP Ashgrove from a spreadsheet")
    page.get_by_label("Upload the returns spreadsheet").set_input_files(
        _xlsx(
            [
                ["EST1", two_weeks, "oasys-outstanding", "", 45, ""],
                ["EST1", two_weeks, "keywork-delivered", "", 130, ""],
                ["EST2", two_weeks, "toil-hours", "", 100, ""],
                ["EST1", two_weeks, "dental-waiting-list", "", "twelve", ""],
            ]
        )
    )
    page.get_by_role("button", name="Upload the spreadsheet").click()
    visit.check("Upload returns of HMP Ashgrove from a spreadsheet")
    problems = page.locator("#problems tbody tr")
    assert problems.count() == 3
    text = page.locator("#problems").inner_text()
    assert "A percentage cannot be more than 100" in text
    assert "This page loads the returns of HMP Ashgrove (EST1) only" in text
    assert "'twelve' is not a number" in text
    assert ReturnValue.objects.count() == 2

    # Fixed, with a correction of last week's OASys figure.
    page.get_by_label("Upload the returns spreadsheet").set_input_files(
        _xlsx(
            [
                ["EST1", two_weeks, "oasys-outstanding", "", 45, ""],
                ["EST1", two_weeks, "keywork-delivered", "", 80, ""],
                ["EST1", two_weeks, "dental-waiting-list", "", 12, ""],
                ["EST1", last_week, "oasys-outstanding", "", 41, "Recounted"],
            ]
        )
    )
    page.get_by_role("button", name="Upload the spreadsheet").click()
    visit.check("Returns of HMP Ashgrove")
    assert "3 figures added, 1 corrected, in 2 periods" in page_text(page)

    # The dashboard moves: the week before appears, last week's figure is the corrected one.
    visit.go("/backlogs/EST1/", "Backlogs at HMP Ashgrove")
    oasys = page.locator("#metric-oasys-outstanding-figures").inner_text()
    assert f"{two_weeks:%-d %B %Y}\t45" in oasys
    assert f"{last_week:%-d %B %Y}\t41" in oasys and "\t42" not in oasys
    visit.go("/backlogs/EST1/returns/", "Returns of HMP Ashgrove")

    # The corrected figure's history.
    page.get_by_role(
        "link", name=f"Correct the return for the week from {last_week:%-d %B %Y}"
    ).click()
    visit.check(f"Return for the week from {last_week:%-d %B %Y}")
    page.get_by_role("link", name="2 revisions of OASys assessments outstanding").click()
    visit.check("History of OASys assessments outstanding")
    history = page_text(page)
    assert "41" in history and "42" in history and "Recounted" in history

    visit.go("/backlogs/EST1/plan/", "Local Recovery Plan of HMP Ashgrove")
    assert len(visit.seen) == 16  # every page above, each checked with axe

"""Journeys through Regime Recovery Plans in Chromium, signed in through the real form, with axe
(WCAG 2.2 AA) on every page seen: an establishment editor starts the plan, answers its
precursors, watches progress move and the waiting work unblock, and downloads the spreadsheet;
a Prison Group Director follows the same plan from the group view."""

import re

import pytest
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.frameworks.constants import Autonomy
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser

BOOKING_OPTIONS = ["Telephone booking line", "Online booking"]


def publish_edms() -> None:
    """Two published stage 3 EDMs for adult prisons. Mandatory weight: 8 + 5 = 13."""
    make_edm_version(
        901,
        [
            B("1.1", 3, autonomy=Autonomy.PARTIAL, options=BOOKING_OPTIONS),
            B("1.2", 3, autonomy=Autonomy.LIMITED),
            B("2.1", 2, area="2"),
            B("2.2", 1, mandatory=False, area="2"),
        ],
        title="Social visits",
    )
    make_edm_version(902, [B("1.1", 3), B("1.2", 2)], title="Education")


def summary_value(page, key: str) -> str:
    """A figure of the plan-wide summary (the first summary list of the plan page)."""
    summary = page.locator("main dl.govuk-summary-list").first
    row = summary.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))
    return row.locator("dd").inner_text().strip()


def order_of_work(page, row_id: str) -> str:
    """The caption of the table that holds one baseline's row: its weighting and its place in
    the order of work (the same for every outstanding baseline of that weighting and EDM)."""
    table = page.locator("main table", has=page.locator(f"#{row_id}"))
    return table.locator("caption").inner_text().strip()


def open_baseline(page, number: str, edm: int) -> None:
    """Open a baseline's answer from its row in its EDM's section of the plan page."""
    section = page.locator(f'section[aria-labelledby="edm-{edm}"]')
    section.locator("tbody th").get_by_role("link", name=number, exact=True).click()


def answer_in_browser(page, visit: Visit, number: str, edm: int, **fields) -> None:
    """Open a baseline from the plan page, answer it and save; back on the plan page."""
    open_baseline(page, number, edm)
    visit.check(f"Baseline {number}")
    page.get_by_role("group", name="Status").get_by_label("Met", exact=True).check()
    if "option" in fields:
        page.get_by_role("group", name="Option chosen").get_by_label(fields["option"]).check()
    if fields.get("confirm"):
        page.get_by_label("We deliver this baseline as stipulated").check()
    page.get_by_label("Owner").fill(fields.get("owner", "Head of Residence"))
    page.get_by_role("button", name="Save answer").click()
    assert f"Your answer to baseline {number} has been saved." in page_text(page)
    visit.check("Regime Recovery Plan of HMP Ashgrove")


def test_an_establishment_editor_answers_precursors_and_downloads_the_plan(new_page, tmp_path):
    estate = build_estate()
    person(
        Role.ESTABLISHMENT_EDITOR, estate.ashgrove, "erin.editing@example.org", "Erin", "Editing"
    )
    publish_edms()
    page = new_page()
    visit = Visit(page)

    sign_in(page, "erin.editing@example.org", start="/plans/", check=lambda p: visit.check())
    visit.check("Regime Recovery Plans")
    page.locator("main table").get_by_role("link", name="HMP Ashgrove").click()
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    assert "HMP Ashgrove has not started a Regime Recovery Plan yet." in page_text(page)

    page.get_by_role("group", name="Target stage").get_by_label(re.compile(r"^Stage 3")).check()
    page.get_by_role("button", name="Start the plan").click()
    assert "The plan for stage 3 has been started with 6 baselines to answer." in page_text(page)
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    assert summary_value(page, "Mandatory baselines") == "0% (0 of 13 weight met)"
    assert summary_value(page, "Next, waiting, overdue") == (
        "3 next, 3 waiting on precursors, 0 overdue"
    )
    plan = estate.ashgrove.recovery_plans.get()
    hall = f"b{response_for(plan, '2.1', edm=901).pk}"
    waiting = "Weighting 2: part of wider work – 1 to do, waiting on precursors"
    assert order_of_work(page, hall) == waiting

    answer_in_browser(page, visit, "1.1", 901, option="Online booking")
    assert summary_value(page, "Mandatory baselines") == "23% (3 of 13 weight met)"
    assert order_of_work(page, hall) == waiting  # 1.2 is a precursor too

    answer_in_browser(page, visit, "1.2", 901, confirm=True, owner="Visits manager")
    assert summary_value(page, "Mandatory baselines") == "46% (6 of 13 weight met)"
    assert order_of_work(page, hall) == "Weighting 2: part of wider work – 1 to do, next"
    assert summary_value(page, "Next, waiting, overdue") == (
        "2 next, 1 waiting on precursors, 0 overdue"
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (.xlsx)").click()
    assert download.value.suggested_filename == "RRP-EST1-stage-3.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = load_workbook(saved)
    assert [s for s in workbook.sheetnames if s.startswith("EDM")] == ["EDM 901", "EDM 902"]
    sheet = workbook["EDM 901"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[header.index("Baseline")]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert (rows["1.1"]["Status"], rows["1.1"]["Option chosen"]) == ("Met", "Online booking")
    assert (rows["1.2"]["Status"], rows["1.2"]["Delivered as stipulated"]) == ("Met", "Yes")
    assert rows["2.1"]["Status"] == "Not started"
    assert len(visit.seen) == 8  # sign-in, plans, plan, started plan, two answers, plan x2


def test_a_prison_group_director_follows_the_plan_from_the_group_view(new_page):
    estate = build_estate()
    person(Role.PGD, estate.group_1, "petra.director@example.org", "Petra", "Director")
    publish_edms()
    plan = start_plan(estate.ashgrove)
    answer(
        response_for(plan, "1.1", edm=901),
        status=ResponseStatus.MET,
        chosen_option="Telephone booking line",
    )
    page = new_page()
    visit = Visit(page)

    sign_in(page, "petra.director@example.org", start="/plans/")
    visit.check("Regime Recovery Plans")
    page.get_by_role("link", name="Plans of Northern Fells group").click()
    visit.check("Recovery plans of Northern Fells group")
    table = page.get_by_role("table", name="Establishments")
    assert "HMP Birchwood" not in table.inner_text()
    ashgrove = table.locator("tbody tr", has_text="HMP Ashgrove").locator("td")
    # Establishment, target stage, mandatory, desirable, next, waiting, overdue.
    assert [c.strip() for c in ashgrove.all_inner_texts()] == [
        "HMP Ashgrove EST1",
        "3",
        "23%",
        "0%",
        "2",
        "3",
        "0",
    ]
    cedarfield = table.locator("tbody tr", has_text="HMP Cedarfield")
    assert "No plan yet" in cedarfield.inner_text()

    table.get_by_role("link", name="HMP Ashgrove").click()
    visit.check("Regime Recovery Plan of HMP Ashgrove")
    assert summary_value(page, "Mandatory baselines") == "23% (3 of 13 weight met)"
    assert page.get_by_role("button", name="Start the plan").count() == 0
    assert page.get_by_role("link", name="Upload a completed spreadsheet").count() == 0

    # The director signs plans off: they read every answer in full, without a form to change it.
    open_baseline(page, "1.1", 901)
    visit.check("Baseline 1.1")
    answer_text = page.locator("#answer").inner_text()
    assert "Met" in answer_text and "Telephone booking line" in answer_text
    assert page.get_by_role("button", name="Save answer").count() == 0
    assert page.get_by_role("button", name="Upload document").count() == 0

"""Loading returns from a spreadsheet: every bad input refused whole, with sheet, row, column
and reason; good files written as revisions; the template laid out for the establishment."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from recovery.audit.models import AuditEvent
from recovery.backlogs.actions import do_enter_return, do_import_returns
from recovery.backlogs.models import Metric, Return, ReturnValue
from recovery.backlogs.tests.helpers import HEADINGS, weeks_ago, workbook
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR)


@pytest.fixture
def site(small_estate):
    return small_estate.establishment_1


def _problems(site, editor, rows, **kwargs):
    with pytest.raises(InvalidUpload) as caught:
        do_import_returns(site, workbook(rows, **kwargs), acting_user=editor)
    assert not ReturnValue.objects.exists()
    assert not Return.objects.exists()
    return [(p.sheet, p.row, p.column, p.reason) for p in caught.value.problems]


def test_several_metrics_and_periods_are_loaded(site, editor):
    a, b = weeks_ago(2), weeks_ago(1)
    summary = do_import_returns(
        site,
        workbook(
            [
                ["EST1", a, "oasys-outstanding", "OASys", 40, ""],
                ["EST1", a, "toil-hours", "TOIL", 120.5, "Two managers on long leave"],
                ["EST1", b.strftime("%d/%m/%Y"), "oasys-outstanding", "", "38", ""],
                ["EST1", b, "toil-hours", "", None, ""],  # empty: nothing sent
            ]
        ),
        acting_user=editor,
    )
    assert (summary.added, summary.corrected, summary.periods) == (3, 0, 2)
    values = {
        (v.period_start, v.metric.code): v.value
        for v in ReturnValue.objects.select_related("metric")
    }
    assert values == {
        (a, "oasys-outstanding"): Decimal("40"),
        (a, "toil-hours"): Decimal("120.5"),
        (b, "oasys-outstanding"): Decimal("38"),
    }
    assert ReturnValue.objects.get(metric__code="toil-hours").note == "Two managers on long leave"
    assert Return.objects.filter(establishment=site).count() == 2
    assert AuditEvent.objects.filter(action="backlogs.enter_return").count() == 2
    assert AuditEvent.objects.filter(action="backlogs.import_returns").count() == 1


def test_an_upload_that_changes_a_figure_adds_a_revision(site, editor):
    period = weeks_ago(1)
    oasys = Metric.objects.get(code="oasys-outstanding")
    do_enter_return(site, period, {oasys.pk: "40"}, expected_version=0, acting_user=editor)
    summary = do_import_returns(
        site,
        workbook(
            [
                ["EST1", period, "oasys-outstanding", "", 36, ""],
                ["EST1", period, "toil-hours", "", 10, ""],
            ]
        ),
        acting_user=editor,
    )
    assert (summary.added, summary.corrected) == (1, 1)
    assert [
        (v.revision, v.value, v.current)
        for v in ReturnValue.objects.filter(metric=oasys).order_by("revision")
    ] == [(1, Decimal("40"), False), (2, Decimal("36"), True)]
    assert Return.objects.get(establishment=site, period_start=period).version == 2


def test_every_bad_row_is_listed_and_nothing_is_written(site, editor):
    week = weeks_ago(1)
    future = weeks_ago(-2)
    tuesday = weeks_ago(3) + datetime.timedelta(days=1)
    problems = _problems(
        site,
        editor,
        [
            ["EST1", week, "oasys-outstanding", "", -4, ""],  # row 2
            ["EST1", week, "keywork-delivered", "", 101, ""],  # row 3
            ["EST1", week, "toil-hours", "", "about ten", ""],  # row 4
            ["EST1", future, "dental-waiting-list", "", 5, ""],  # row 5
            ["EST1", tuesday, "dental-waiting-list", "", 5, ""],  # row 6
            ["EST1", week, "overdue-mmpr", "", 2, ""],  # row 7: youth custody only
            ["EST1", week, "no-such-metric", "", 2, ""],  # row 8
            ["EST1", week, "parole-reports-outstanding", "", 3, ""],  # row 9
            ["EST1", week, "parole-reports-outstanding", "", 4, ""],  # row 10: duplicate
            ["EST2", week, "hdc-outstanding", "", 1, ""],  # row 11: another establishment
            ["EST1", week, "obp-waiting-list", "", 7.5, ""],  # row 12: half a person
        ],
    )
    assert problems == [
        ("Returns", 2, "Value", "The figure cannot be negative"),
        ("Returns", 3, "Value", "A percentage cannot be more than 100"),
        ("Returns", 4, "Value", "'about ten' is not a number: enter a figure such as 12"),
        (
            "Returns",
            5,
            "Period start",
            f"{future:%-d %B %Y} is in the future: a return can only be sent for a period that "
            "has started",
        ),
        (
            "Returns",
            6,
            "Period start",
            f"{tuesday:%-d %B %Y} is not the first day of a return period: periods start on a "
            "Monday",
        ),
        ("Returns", 7, "Metric code", "HMP Ashgrove does not report the metric overdue-mmpr"),
        (
            "Returns",
            8,
            "Metric code",
            "There is no metric with the code no-such-metric: use a code from the template",
        ),
        (
            "Returns",
            10,
            "Metric code",
            f"parole-reports-outstanding for the period from {week:%-d %B %Y} is already on "
            "row 9: give each metric one row for each period",
        ),
        (
            "Returns",
            11,
            "Establishment code",
            "This page loads the returns of HMP Ashgrove (EST1) only",
        ),
        ("Returns", 12, "Value", "Enter a whole number of people"),
    ]


def test_a_missing_heading_is_refused(site, editor):
    headings = [h for h in HEADINGS if h != "Value"]
    problems = _problems(
        site, editor, [["EST1", weeks_ago(1), "toil-hours", "", ""]], headings=headings
    )
    assert problems == [("Returns", 1, "Value", "The column is missing")]


def test_shuffled_headings_over_the_data_are_refused(site, editor):
    """Headings in another order are read by name; headings swapped over the data they head
    leave every cell in the wrong column, and each is reported."""
    swapped = ["Establishment code", "Period start", "Value", "Metric", "Metric code", "Note"]
    problems = _problems(
        site, editor, [["EST1", weeks_ago(1), "toil-hours", "", 12, ""]], headings=swapped
    )
    assert ("Returns", 2, "Value", "'toil-hours' is not a number: enter a figure such as 12") in (
        problems
    )
    assert (
        "Returns",
        2,
        "Metric code",
        "There is no metric with the code 12: use a code from the template",
    ) in problems


def test_headings_in_another_order_are_read_by_name(site, editor):
    order = ["Value", "Metric code", "Period start", "Establishment code"]
    do_import_returns(
        site,
        workbook([[9, "toil-hours", weeks_ago(1), "est1"]], headings=order),
        acting_user=editor,
    )
    assert ReturnValue.objects.get().value == Decimal("9")
    assert ReturnValue.objects.get().note == ""  # no Note column: no note


def test_a_misspelt_heading_is_refused(site, editor):
    headings = [*HEADINGS[:4], "Figure", "Note"]
    problems = _problems(
        site, editor, [["EST1", weeks_ago(1), "toil-hours", "", 1, ""]], headings=headings
    )
    assert ("Returns", 1, "Value", "The column is missing") in problems
    assert any(p[2] == "Figure" and "not part of the format" in p[3] for p in problems)


def test_a_workbook_without_the_returns_sheet_is_refused(site, editor):
    problems = _problems(
        site, editor, [["EST1", weeks_ago(1), "toil-hours", "", 1, ""]], title="Sheet1"
    )
    assert problems == [
        (
            "Returns",
            None,
            None,
            "The file has no sheet called Returns (it has: Sheet1). Download the template and "
            "enter the figures on its Returns sheet.",
        )
    ]


def test_a_file_with_no_figures_is_refused(site, editor):
    problems = _problems(site, editor, [["EST1", weeks_ago(1), "toil-hours", "", None, ""]])
    assert problems == [
        (
            "Returns",
            None,
            None,
            "The sheet has no figures: enter at least one value. Nothing was loaded.",
        )
    ]


def test_the_template_lists_the_establishments_metrics_and_loads_back(client, site, editor):
    client.force_login(editor)
    response = client.get("/backlogs/EST1/returns/upload/?download=template")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Returns"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    codes = {row[2] for row in rows[1:]}
    assert "overdue-cr" in codes and "overdue-mmpr" not in codes  # category C, not youth
    assert {row[0] for row in rows[1:]} == {"EST1"}
    assert "Metrics" in book.sheetnames
    # Filled in, it loads back.
    sheet.cell(row=2, column=5, value=7)
    buffer = io.BytesIO()
    book.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/backlogs/EST1/returns/upload/",
        {"file": SimpleUploadedFile("filled.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 302
    assert ReturnValue.objects.get().value == Decimal("7")


def test_the_upload_page_lists_the_problems(client, site, editor):
    client.force_login(editor)
    response = client.post(
        "/backlogs/EST1/returns/upload/",
        {"file": workbook([["EST1", weeks_ago(1), "oasys-outstanding", "", -1, ""]])},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Problems in the file" in page
    assert "The figure cannot be negative" in page
    assert not ReturnValue.objects.exists()


def test_the_same_file_twice_changes_nothing_the_second_time(site, editor):
    rows = [["EST1", weeks_ago(1), "oasys-outstanding", "", 40, ""]]
    do_import_returns(site, workbook(rows), acting_user=editor)
    summary = do_import_returns(site, workbook(rows), acting_user=editor)
    assert (summary.added, summary.corrected, summary.unchanged) == (0, 0, 1)
    assert summary.describe() == (
        "The spreadsheet has been loaded: every figure in it was already recorded."
    )
    assert ReturnValue.objects.count() == 1
    assert Return.objects.get().version == 1

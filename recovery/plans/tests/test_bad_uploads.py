"""The plan import against the generated corpus of bad files, through the action and the page:
each refused with the exact problem, no answer changed. And the answers a file leaves out
are named, not silently skipped."""

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import FORMULA
from recovery.core.scope import TEST_DATA
from recovery.core.tests import bad_uploads as corpus
from recovery.plans.actions import do_import_plan
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import response_for
from recovery.plans.models import Response
from recovery.plans.spreadsheet import export_plan

SHEET = "EDM 901"
# Columns: H Status, L Approach, M Owner, N Target date. Row 4 is baseline 2.1.


def snapshot(plan):
    return (
        list(Response.objects.filter(plan=plan).order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def in_cell(column: str, cell: str) -> Callable[[bytes], bytes]:
    def build(data: bytes) -> bytes:
        return corpus.change_sheet(data, SHEET, corpus.cell_xml(SHEET, 4, column, cell))

    return build


UNREADABLE = (
    "The sheet could not be read: its content is damaged or not in a form Excel writes. "
    "Save the workbook again from Excel or LibreOffice and try again."
)

CORPUS: dict[str, tuple[Callable[[bytes], bytes], Problem]] = {
    "formula": (
        in_cell("M", corpus.formula("M4", 'CONCAT("Head of ","Security")', "Head of Security")),
        Problem(SHEET, 4, "Owner", FORMULA),
    ),
    "formula whose cached value is an error": (
        in_cell("M", corpus.formula("M4", "1/0", "#DIV/0!", error=True)),
        Problem(SHEET, 4, "Owner", FORMULA),
    ),
    "formula with no cached value": (
        in_cell("L", '<c r="L4"><f>A1</f></c>'),
        Problem(SHEET, 4, "Approach", FORMULA),
    ),
    "error value": (
        in_cell("N", corpus.error_value("N4", "#REF!")),
        Problem(SHEET, 4, "Target date", "This cell holds an error (#REF!): enter a value"),
    ),
    "right-to-left override in the owner": (
        in_cell("M", corpus.inline_text("M4", "Head of \u202eytiruceS")),
        Problem(
            SHEET,
            4,
            "Owner",
            "The text holds an invisible or direction-changing character "
            "(U+202E RIGHT-TO-LEFT OVERRIDE): remove it",
        ),
    ),
    "NUL in the approach": (
        in_cell("L", corpus.inline_text("L4", "Visits _x0000_resume")),
        Problem(SHEET, 4, "Approach", "The text holds a NUL character (U+0000): remove it"),
    ),
    "approach longer than Excel allows": (
        in_cell("L", corpus.inline_text("L4", "x" * 40_000)),
        Problem(SHEET, 4, "Approach", "The text is longer than Excel's limit of 32,767 characters"),
    ),
    "truncated sheet XML": (
        lambda data: corpus.truncated(data, SHEET),
        Problem(SHEET, None, None, UNREADABLE),
    ),
    "sheet XML not in UTF-8": (
        lambda data: corpus.not_utf8(data, SHEET),
        Problem(SHEET, None, None, UNREADABLE),
    ),
    "DTD and entity": (
        lambda data: corpus.with_doctype(data, SHEET),
        Problem(
            "",
            None,
            None,
            "The file holds an XML document type or entity declaration (in "
            "xl/worksheets/sheet3.xml), which no workbook needs: it has been refused "
            "unread. Save it again from Excel or LibreOffice.",
        ),
    ),
    "unpacks to far more than the limit": (
        lambda data: corpus.zip_bomb(data, 60 * 1024 * 1024),
        Problem(
            "",
            None,
            None,
            "The file is larger than 50 MB when unpacked: an upload may be at most 10 MB, "
            "and at most 50 MB once unpacked.",
        ),
    ),
    "member packed a thousand times": (
        lambda data: corpus.zip_bomb(data, 3 * 1024 * 1024),
        Problem(
            "",
            None,
            None,
            "Part of the file (xl/media/image1.bin) is packed more than 200 times tighter "
            "than any real workbook, so it has been refused unread. Save the workbook again "
            "from Excel or LibreOffice.",
        ),
    ),
}


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_the_action_refuses_each_bad_plan_file(adult_plan, case):
    build, expected = CORPUS[case]
    data = build(export_plan(adult_plan))
    before = snapshot(adult_plan)
    with pytest.raises(InvalidUpload) as caught:
        do_import_plan(adult_plan, SimpleUploadedFile("plan.xlsx", data), acting_user=TEST_DATA)
    assert caught.value.problems == [expected]
    assert snapshot(adult_plan) == before


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_the_page_shows_the_problem_of_each_bad_plan_file(
    client, adult_plan, person_with_role, case
):
    build, expected = CORPUS[case]
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    data = build(export_plan(adult_plan))
    before = snapshot(adult_plan)
    page = client.post(
        "/plans/EST1/import/", {"stage": "3", "file": SimpleUploadedFile("plan.xlsx", data)}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "The file has 1 problem. Nothing has been changed." in html
    reason = expected.reason.replace("'", "&#x27;")
    assert f'<td class="govuk-table__cell">{reason}</td>' in html
    assert snapshot(adult_plan) == before


def _without_rows(data: bytes, *numbers: int) -> bytes:
    import re

    def change(xml: bytes) -> bytes:
        for number in numbers:
            xml = re.sub(rf'<row r="{number}"[^>]*>.*?</row>'.encode(), b"", xml, flags=re.S)
        return xml

    return corpus.change_sheet(data, SHEET, change)


def test_answers_left_out_of_the_file_are_named_and_left_unchanged(
    client, adult_plan, person_with_role
):
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    data = corpus.change_sheet(
        export_plan(adult_plan),
        SHEET,
        corpus.cell_xml(SHEET, 4, "H", corpus.inline_text("H4", "In progress")),
    )
    data = _without_rows(data, 3, 6)  # baselines 1.2 and 3.1

    page = client.post(
        "/plans/EST1/import/",
        {"stage": "3", "file": SimpleUploadedFile("plan.xlsx", data)},
        follow=True,
    )

    html = page.content.decode()
    assert "The spreadsheet has been loaded: 1 answer changed." in html
    assert (
        "2 answers were not in the file and were left unchanged: EDM 901 baseline 1.2, "
        "EDM 901 baseline 3.1." in html
    )
    assert response_for(adult_plan, "2.1").status == ResponseStatus.IN_PROGRESS
    assert response_for(adult_plan, "1.2").version == 1
    event = AuditEvent.objects.get(action="plans.import_plan")
    assert event.after["missing"] == ["EDM 901 1.2", "EDM 901 3.1"]


def test_a_plan_sheet_that_under_reports_its_size_has_every_row_read(adult_plan):
    data = corpus.change_sheet(
        export_plan(adult_plan),
        SHEET,
        corpus.cell_xml(SHEET, 6, "M", corpus.inline_text("M6", "Head of Visits")),
    )
    data = corpus.lying_dimension(data, SHEET, "A1:O2")

    result = do_import_plan(adult_plan, io.BytesIO(data), acting_user=TEST_DATA)

    assert result.responses_changed == 1
    assert response_for(adult_plan, "3.1").owner == "Head of Visits"

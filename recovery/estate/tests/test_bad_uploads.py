"""The estate import against the generated corpus of bad files: every one refused with the
exact problem a user reads, through the action, the page and the command, and nothing
written. (There is no import endpoint in the API.)"""

import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import FORMULA
from recovery.core.scope import TEST_DATA
from recovery.core.tests import bad_uploads as corpus
from recovery.estate.actions import do_import_estate
from recovery.estate.models import Establishment
from recovery.estate.tests.test_import import HEADINGS, counts, good_rows, make_workbook

UNREADABLE = (
    "The sheet could not be read: its content is damaged or not in a form Excel writes. "
    "Save the workbook again from Excel or LibreOffice and try again."
)


def establishment_cell(row: int, column: str, cell: str) -> Callable[[], bytes]:
    def build() -> bytes:
        return corpus.change_sheet(
            make_workbook(), "Establishments", corpus.cell_xml("Establishments", row, column, cell)
        )

    return build


def with_name(name: str) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        rows["Establishments"][0][1] = name
        return make_workbook(rows)

    return build


# Establishments: A code, B name, C group code, D type, E category, F operator,
# G capacity, H population. Row 2 is QRA.
CORPUS: dict[str, tuple[Callable[[], bytes], list[Problem]]] = {
    "truncated sheet XML": (
        lambda: corpus.truncated(make_workbook(), "Establishments"),
        [Problem("Establishments", None, None, UNREADABLE)],
    ),
    "sheet XML not in UTF-8": (
        lambda: corpus.not_utf8(make_workbook(), "Establishments"),
        [Problem("Establishments", None, None, UNREADABLE)],
    ),
    "DTD and entity": (
        lambda: corpus.with_doctype(make_workbook(), "Offices"),
        [
            Problem(
                "",
                None,
                None,
                "The file holds an XML document type or entity declaration (in "
                "xl/worksheets/sheet5.xml), which no workbook needs: it has been refused "
                "unread. Save it again from Excel or LibreOffice.",
            )
        ],
    ),
    "zip bomb member": (
        lambda: corpus.zip_bomb(make_workbook(), 60 * 1024 * 1024),
        [
            Problem(
                "",
                None,
                None,
                "The file is larger than 50 MB when unpacked: an upload may be at most 10 MB, "
                "and at most 50 MB once unpacked.",
            )
        ],
    ),
    "member packed a thousand times": (
        lambda: corpus.zip_bomb(make_workbook(), 3 * 1024 * 1024),
        [
            Problem(
                "",
                None,
                None,
                "Part of the file (xl/media/image1.bin) is packed more than 200 times tighter "
                "than any real workbook, so it has been refused unread. Save the workbook again "
                "from Excel or LibreOffice.",
            )
        ],
    ),
    "number of 2^31": (
        establishment_cell(2, "G", corpus.number("G2", 2**31)),
        [
            Problem(
                "Establishments",
                2,
                "Operational capacity",
                "The number is too large: it must be 2,147,483,647 or less",
            )
        ],
    ),
    "number far beyond any integer": (
        establishment_cell(2, "H", corpus.number("H2", "1E+300")),
        [
            Problem(
                "Establishments",
                2,
                "Population",
                "The number is too large: it must be 2,147,483,647 or less",
            )
        ],
    ),
    "negative number": (
        establishment_cell(2, "H", corpus.number("H2", -1)),
        [Problem("Establishments", 2, "Population", "The number cannot be negative")],
    ),
    "name longer than the column": (
        with_name("H" * 201),
        [Problem("Establishments", 2, "Name", "The name must be 200 characters or fewer")],
    ),
    "text longer than Excel allows": (
        establishment_cell(2, "B", corpus.inline_text("B2", "H" * 32_768)),
        [
            Problem(
                "Establishments",
                2,
                "Name",
                "The text is longer than Excel's limit of 32,767 characters",
            )
        ],
    ),
    "NUL in a name": (
        establishment_cell(2, "B", corpus.inline_text("B2", "HMP Quarren_x0000_dale")),
        [
            Problem(
                "Establishments", 2, "Name", "The text holds a NUL character (U+0000): remove it"
            )
        ],
    ),
    "vertical tab in a name (as Excel writes it)": (
        establishment_cell(2, "B", corpus.inline_text("B2", "HMP Quarren_x000B_dale")),
        [
            Problem(
                "Establishments",
                2,
                "Name",
                "The text holds a control character (U+000B control character): remove it",
            )
        ],
    ),
    "C1 control character in a name": (
        with_name("HMP Quarren\x85dale"),
        [
            Problem(
                "Establishments",
                2,
                "Name",
                "The text holds a control character (U+0085 control character): remove it",
            )
        ],
    ),
    "right-to-left override in a name": (
        with_name("HMP \u202eeladnerrauQ"),
        [
            Problem(
                "Establishments",
                2,
                "Name",
                "The text holds an invisible or direction-changing character "
                "(U+202E RIGHT-TO-LEFT OVERRIDE): remove it",
            )
        ],
    ),
    "zero-width space in a code": (
        establishment_cell(2, "A", corpus.inline_text("A2", "QR\u200bA")),
        [
            Problem(
                "Establishments",
                2,
                "Code",
                "The text holds an invisible or direction-changing character "
                "(U+200B ZERO WIDTH SPACE): remove it",
            )
        ],
    ),
    "formula cell": (
        establishment_cell(2, "G", corpus.formula("G2", "400*2", "800")),
        [Problem("Establishments", 2, "Operational capacity", FORMULA)],
    ),
    "formula whose cached value is an error": (
        establishment_cell(2, "H", corpus.formula("H2", "1/0", "#DIV/0!", error=True)),
        [Problem("Establishments", 2, "Population", FORMULA)],
    ),
    "error value": (
        establishment_cell(2, "H", corpus.error_value("H2")),
        [
            Problem(
                "Establishments",
                2,
                "Population",
                "This cell holds an error (#DIV/0!): enter a value",
            )
        ],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_the_action_refuses_each_bad_file_and_writes_nothing(case):
    build, expected = CORPUS[case]
    before = counts()
    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(build(), acting_user=TEST_DATA)
    assert caught.value.problems == expected
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_the_page_shows_the_problem_of_each_bad_file(client, person_with_role, case):
    build, expected = CORPUS[case]
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    before = counts()
    file = io.BytesIO(build())
    file.name = "estate.xlsx"
    response = client.post(reverse("estate:import"), {"file": file})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file has 1 problem. Nothing has been changed." in html
    reason = expected[0].reason.replace("'", "&#x27;")
    assert f'<td class="govuk-table__cell">{reason}</td>' in html
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_the_command_lists_the_problem_of_each_bad_file(tmp_path, capsys, case):
    build, expected = CORPUS[case]
    path = tmp_path / "estate.xlsx"
    path.write_bytes(build())
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="The file has 1 problem. Nothing has been changed."):
        call_command("import_estate", str(path), stderr=err)
    line = str(expected[0])
    assert err.getvalue().strip() == line[:1].upper() + line[1:]
    assert counts() == before


@pytest.mark.django_db
def test_a_sheet_that_records_a_smaller_size_than_it_holds_loses_no_row():
    # The sheet says it is A1:H2 (one establishment); it holds five.
    rows = good_rows()
    rows["Establishments"] += [
        ["EXA", "HMP Example A", "GA", "local", "B", "public", 300, 290],
        ["EXB", "HMP Example B", "GB", "local", "B", "public", 300, 290],
    ]
    data = corpus.lying_dimension(make_workbook(rows), "Establishments", "A1:H2")
    assert load_workbook(io.BytesIO(data), read_only=True)["Establishments"].max_row == 2

    summary = do_import_estate(data, acting_user=TEST_DATA)

    assert summary.created["establishment"] == 5
    assert set(Establishment.objects.values_list("code", flat=True)) == {
        "QRA",
        "TRW",
        "FEL",
        "EXA",
        "EXB",
    }


def _many_problems() -> bytes:
    """10,000 establishments with six bad cells each: 60,000 problems."""
    sheets = {title: corpus.rows_xml([headings]) for title, headings in HEADINGS.items()}
    for title, rows in good_rows().items():
        if title != "Establishments":
            sheets[title] = corpus.rows_xml([HEADINGS[title], *rows])
    bad = [
        [f"E{i}!", "HMP \u202eX", "GA", "castle", None, "charity", -1, "many"]
        for i in range(10_000)
    ]
    sheets["Establishments"] = corpus.rows_xml([HEADINGS["Establishments"], *bad])
    return corpus.minimal_workbook(sheets)


@pytest.mark.django_db
def test_sixty_thousand_problems_show_the_first_hundred_and_download_them_all(
    client, person_with_role
):
    admin = person_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)
    before = counts()
    file = io.BytesIO(_many_problems())
    file.name = "estate.xlsx"

    response = client.post(reverse("estate:import"), {"file": file})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The file has 60,000 problems. Nothing has been changed." in html
    assert "The file has 60,000 problems. The first 100 are listed below." in html
    assert html.count('<tr class="govuk-table__row">') == 101  # the header and 100 problems
    assert len(html) < 300_000
    assert counts() == before
    link = html.split('href="/estate/import/?problems=')[1].split('"')[0]

    download = client.get(f"/estate/import/?problems={link}")

    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content), read_only=True)["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Sheet", "Row", "Column", "Problem")
    assert len(rows) == 60_001
    assert rows[1] == (
        "Establishments",
        2,
        "Code",
        "Use 1 to 20 capital letters, digits or hyphens, starting with a letter or digit",
    )

    # The list is its uploader's alone.
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    assert client.get(f"/estate/import/?problems={link}").status_code == 404

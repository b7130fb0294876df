"""The import engine on its own: bounds from model fields, entity refusal by the parser as well
as by the upload guard, and a lying zip refused."""

import pytest

from recovery.core import uploads
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import (
    Column,
    ProblemList,
    SheetSpec,
    UploadedWorkbook,
    field_column,
    whole_number,
)
from recovery.core.tests import bad_uploads as corpus
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

SPEC = SheetSpec(
    "Sheet",
    (
        Column("Code", parse=str, plain=True),
        field_column("Count", Establishment, "population"),
    ),
)


def read(rows) -> tuple[list, list[Problem]]:
    data = corpus.minimal_workbook({"Sheet": corpus.rows_xml([["Code", "Count"], *rows])})
    problems = ProblemList()
    with UploadedWorkbook.open(data) as workbook:
        values = [row.values for row in workbook.read(SPEC, problems)]
    return values, problems.items


def test_bounds_come_from_the_model_field():
    name = field_column("Name", OrganisationUnit, "name")
    capacity = field_column("Operational capacity", Establishment, "operational_capacity")
    days = field_column("Days open", ProbationOffice, "days_open", maximum=7)
    assert (name.max_length, name.required) == (200, True)
    assert (capacity.minimum, capacity.maximum, capacity.parse) == (1, 2**31 - 1, whole_number)
    assert (days.minimum, days.maximum) == (1, 7)
    assert field_column("Categories", Establishment, "categories").required is False


def test_good_rows_are_read_and_blank_rows_skipped():
    values, problems = read([["A", 1], [None, None], ["B", 2_147_483_647]])
    assert problems == []
    assert values == [{"Code": "A", "population": 1}, {"Code": "B", "population": 2_147_483_647}]


def test_the_parser_refuses_an_entity_even_past_the_upload_guard(monkeypatch):
    # The guard's own scan switched off: defusedxml, under openpyxl and the engine, still
    # refuses to expand the entity, and the answer is a problem, not a server error.
    monkeypatch.setattr(uploads, "FORBIDDEN_MARKUP", (b"\0never",))
    data = corpus.minimal_workbook({"Sheet": corpus.rows_xml([["Code", "Count"], ["A", 1]])})
    data = corpus.change_sheet(
        data,
        "Sheet",
        lambda xml: xml.replace(
            b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "x">]><worksheet'
        ).replace(b'<t xml:space="preserve">A</t>', b'<t xml:space="preserve">&e;</t>'),
    )
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(InvalidUpload) as caught:
        read_data(data)
    # Refused as openpyxl opens the sheet (defusedxml's EntitiesForbidden), in the user's words.
    assert caught.value.problems == [Problem("", None, None, uploads.NOT_XLSX)]


def read_data(data: bytes) -> None:
    problems = ProblemList()
    with UploadedWorkbook.open(data) as workbook:
        list(workbook.read(SPEC, problems))


def test_a_member_that_unpacks_to_more_than_its_header_says_is_refused():
    data = bytearray(corpus.minimal_workbook({"Sheet": corpus.rows_xml([["Code", "Count"]])}))
    # Lower the declared size of the sheet in the central directory: reading it in chunks
    # finds the truth (a CRC and length mismatch), and the file is refused.
    name = b"xl/worksheets/sheet1.xml"
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(InvalidUpload) as caught:
        read_data(bytes(data))
    assert caught.value.problems == [Problem("", None, None, uploads.NOT_XLSX)]


def test_problems_are_counted_beyond_those_kept():
    problems = ProblemList(keep=2)
    for row in range(5):
        problems.add("Sheet", row, "Code", "wrong")
    with pytest.raises(InvalidUpload) as caught:
        problems.raise_if_any()
    assert (len(caught.value.problems), caught.value.total) == (2, 5)
    assert caught.value.message == "The file has 5 problems. Nothing has been changed."

"""Loading the estate from a spreadsheet: every bad input is named exactly and writes nothing;
a good file imports once, and importing it again changes nothing."""

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role, UnitKind
from recovery.core.errors import InvalidUpload, NotAllowed, Problem
from recovery.core.scope import TEST_DATA
from recovery.core.xlsx import XLSX_CONTENT_TYPE, workbook_bytes
from recovery.estate.actions import do_import_estate
from recovery.estate.factories import NationFactory, PrisonGroupFactory
from recovery.estate.importer import export_sheets
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

# The format before establishments had a status and several categories: files in it still load
# (no Status column keeps each status; "Category" is read as "Categories").
HEADINGS = {
    "Prison groups": ["Code", "Name"],
    "Establishments": [
        "Code",
        "Name",
        "Group code",
        "Type",
        "Category",
        "Public or private",
        "Operational capacity",
        "Population",
    ],
    "Probation regions": ["Code", "Name"],
    "PDUs": ["Code", "Name", "Region code"],
    "Offices": [
        "Code",
        "Name",
        "PDU code",
        "Interview rooms",
        "Opens at",
        "Closes at",
        "Days open",
    ],
}


def good_rows() -> dict[str, list[list[object]]]:
    return {
        "Prison groups": [["GA", "Quarrendale group"], ["GB", "Tarnwick group"]],
        "Establishments": [
            ["QRA", "HMP Quarrendale", "GA", "local", "B", "public", 800, 760],
            ["TRW", "HMP Tarnwick", "GB", "Category C training", "category c", "Private", 600, 590],
            ["FEL", "Felkby Secure Training Centre", "GA", "stc", "youth", "public", 80, 70],
        ],
        "Probation regions": [["RA", "Ostmere region"]],
        "PDUs": [["RA-P1", "Ostmere North PDU", "RA"], ["RA-P2", "Ostmere South PDU", "RA"]],
        "Offices": [
            ["RA-P1-O1", "Ostmere, Lisk Street", "RA-P1", 8, datetime.time(8, 30), "17:00", 5],
            ["RA-P2-O1", "Ostmere, Varn Road", "RA-P2", 4, "09:00", "20:00", 6],
        ],
    }


def make_workbook(
    rows: dict[str, list[list[object]]] | None = None,
    *,
    headings: dict[str, list[str]] | None = None,
) -> bytes:
    rows = good_rows() if rows is None else rows
    headings = {**HEADINGS, **(headings or {})}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in rows.items():
        sheet = workbook.create_sheet(title)
        sheet.append(headings[title])
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int]:
    return OrganisationUnit.objects.count(), AuditEvent.objects.count()


def changed(rows, sheet: str, index: int, column: str, value) -> dict:
    rows[sheet][index][HEADINGS[sheet].index(column)] = value
    return rows


# --- A good file ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_creates_the_estate_with_one_event_per_unit():
    summary = do_import_estate(make_workbook(), acting_user=TEST_DATA, source="estate.xlsx")

    assert summary.created == {
        UnitKind.PRISON_GROUP: 2,
        UnitKind.ESTABLISHMENT: 3,
        UnitKind.PROBATION_REGION: 1,
        UnitKind.PDU: 2,
        UnitKind.OFFICE: 2,
    }
    assert summary.describe() == (
        "Added 2 prison groups, 3 establishments, 1 probation region, 2 PDUs and "
        "2 probation offices."
    )
    nation = OrganisationUnit.objects.get(kind=UnitKind.NATION)
    assert (nation.code, nation.name) == ("HMPPS", "England and Wales")
    tarnwick = Establishment.objects.get(code="TRW")
    assert tarnwick.path == "/HMPPS/GB/TRW/"
    assert (tarnwick.establishment_type, tarnwick.categories, tarnwick.operator) == (
        "cat_c",
        ["C"],
        "private",
    )
    assert tarnwick.status == "open"  # no Status column: a new establishment is open
    assert (tarnwick.operational_capacity, tarnwick.population) == (600, 590)
    office = ProbationOffice.objects.get(code="RA-P2-O1")
    assert office.path == "/HMPPS/RA/RA-P2/RA-P2-O1/"
    assert office.opening_hours == "09:00 to 20:00, 6 days a week"
    assert ProbationOffice.objects.get(code="RA-P1-O1").opens_at == datetime.time(8, 30)
    # 1 nation + 10 units created, and the import itself.
    assert AuditEvent.objects.filter(action="estate.create_unit").count() == 11
    event = AuditEvent.objects.get(action="estate.import")
    assert event.actor_name == "System (test data)"
    assert event.after["source"] == "estate.xlsx"
    assert event.after["created"]["establishment"] == 3


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    data = make_workbook()
    do_import_estate(data, acting_user=TEST_DATA)
    before = counts()
    versions = dict(OrganisationUnit.objects.values_list("code", "version"))

    summary = do_import_estate(data, acting_user=TEST_DATA)

    assert counts() == before
    assert dict(OrganisationUnit.objects.values_list("code", "version")) == versions
    assert not summary.changed_anything
    assert sum(summary.unchanged.values()) == 10
    assert summary.describe() == "Nothing changed: all 10 units already matched."


@pytest.mark.django_db
def test_a_changed_row_updates_that_unit_only_with_its_own_event():
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    rows = changed(good_rows(), "Establishments", 0, "Population", 790)
    changed(rows, "Offices", 1, "Closes at", "19:30")

    summary = do_import_estate(make_workbook(rows), acting_user=TEST_DATA)

    assert summary.updated[UnitKind.ESTABLISHMENT] == 1
    assert summary.updated[UnitKind.OFFICE] == 1
    assert sum(summary.unchanged.values()) == 8
    quarrendale = Establishment.objects.get(code="QRA")
    assert (quarrendale.population, quarrendale.version) == (790, 2)
    event = AuditEvent.objects.get(action="estate.update_establishment")
    assert (event.before, event.after) == ({"population": 760}, {"population": 790})
    office_event = AuditEvent.objects.get(action="estate.update_office")
    assert office_event.after == {"closes_at": "19:30:00"}
    assert AuditEvent.objects.filter(action="estate.import").count() == 2


@pytest.mark.django_db
def test_moving_an_establishment_to_another_group():
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    rows = changed(good_rows(), "Establishments", 0, "Group code", "GB")

    summary = do_import_estate(make_workbook(rows), acting_user=TEST_DATA)

    assert summary.updated[UnitKind.ESTABLISHMENT] == 1
    quarrendale = Establishment.objects.get(code="QRA")
    assert quarrendale.parent.code == "GB"
    assert quarrendale.path == "/HMPPS/GB/QRA/"
    event = AuditEvent.objects.get(action="estate.move_unit")
    assert event.summary == "Moved HMP Quarrendale from Quarrendale group to Tarnwick group"
    assert event.before == {"parent": "GA", "path": "/HMPPS/GA/QRA/"}
    assert event.after == {"parent": "GB", "path": "/HMPPS/GB/QRA/"}
    assert event.unit_path == "/HMPPS/GB/QRA/"
    assert OrganisationUnit.objects.get(code="GB").children.count() == 2


@pytest.mark.django_db
def test_moving_a_pdu_to_another_region_moves_its_offices_too():
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    rows = good_rows()
    rows["Probation regions"].append(["RB", "Harlscombe region"])
    changed(rows, "PDUs", 1, "Region code", "RB")

    do_import_estate(make_workbook(rows), acting_user=TEST_DATA)

    assert OrganisationUnit.objects.get(code="RA-P2").path == "/HMPPS/RB/RA-P2/"
    assert ProbationOffice.objects.get(code="RA-P2-O1").path == "/HMPPS/RB/RA-P2/RA-P2-O1/"
    assert ProbationOffice.objects.get(code="RA-P1-O1").path == "/HMPPS/RA/RA-P1/RA-P1-O1/"


@pytest.mark.django_db
def test_an_existing_nation_and_parents_already_in_the_service_are_used():
    nation = NationFactory()
    PrisonGroupFactory(parent=nation, code="GOLD", name="Existing group")
    rows = good_rows()
    rows["Establishments"].append(["NEW", "HMP Newhallow", "gold", "open", "D", "public", 300, 280])

    do_import_estate(make_workbook(rows), acting_user=TEST_DATA)

    assert OrganisationUnit.objects.filter(kind=UnitKind.NATION).count() == 1
    assert Establishment.objects.get(code="NEW").path == "/HMPPS/GOLD/NEW/"


@pytest.mark.django_db
def test_the_export_of_the_estate_imports_back_unchanged():
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    before = counts()

    summary = do_import_estate(workbook_bytes(export_sheets()), acting_user=TEST_DATA)

    assert counts() == before
    assert not summary.changed_anything


@pytest.mark.django_db
def test_only_an_administrator_may_import(person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    before = counts()
    with pytest.raises(NotAllowed):
        do_import_estate(make_workbook(), acting_user=governor)
    assert counts() == before


@pytest.mark.django_db
def test_an_administrator_import_is_attributed_to_them(person_with_role):
    admin = person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    do_import_estate(make_workbook(), acting_user=admin)
    rows = changed(good_rows(), "Establishments", 0, "Group code", "GB")
    changed(rows, "Prison groups", 0, "Name", "Quarrendale and Fells group")
    changed(rows, "Establishments", 1, "Population", 600)
    changed(rows, "Offices", 0, "Interview rooms", 9)

    summary = do_import_estate(make_workbook(rows), acting_user=admin)

    assert summary.updated == {
        UnitKind.PRISON_GROUP: 1,
        UnitKind.ESTABLISHMENT: 2,
        UnitKind.PROBATION_REGION: 0,
        UnitKind.PDU: 0,
        UnitKind.OFFICE: 1,
    }
    assert Establishment.objects.get(code="TRW").population == 600
    assert ProbationOffice.objects.get(code="RA-P1-O1").interview_rooms == 9
    assert Establishment.objects.get(code="QRA").parent.code == "GB"
    assert OrganisationUnit.objects.get(code="GA").name == "Quarrendale and Fells group"
    actors = set(AuditEvent.objects.filter(action__startswith="estate.").values_list("actor_name"))
    assert actors == {("Ada Admin",)}


# --- Bad files: every problem named, nothing written ------------------------------------------


def drop_sheet(title: str) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        del rows[title]
        return make_workbook(rows)

    return build


def _workbook_without_estate_sheets() -> bytes:
    workbook = Workbook()
    workbook.active.title = "Prisons"
    workbook.active.append(["Code", "Name"])
    workbook.active.append(["QRA", "HMP Quarrendale"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cell(sheet: str, index: int, column: str, value) -> Callable[[], bytes]:
    return lambda: make_workbook(changed(good_rows(), sheet, index, column, value))


def with_row(sheet: str, row: list) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        rows[sheet].append(row)
        return make_workbook(rows)

    return build


BAD_FILES = {
    "none of the sheets": (
        _workbook_without_estate_sheets,
        [
            Problem(
                "",
                None,
                None,
                "The file has none of the estate's sheets (Prison groups, Establishments, "
                "Probation regions, PDUs, Offices). Check the sheet names, or download the "
                "template.",
            )
        ],
    ),
    "missing column": (
        lambda: make_workbook(headings={"PDUs": ["Code", "Name", "Region"]}),
        [
            Problem("PDUs", 1, "Region code", "The column is missing"),
            Problem(
                "PDUs",
                1,
                "Region",
                "This column is not part of the format: remove it or correct its heading. "
                "The columns are: Code, Name, Region code",
            ),
        ],
    ),
    "no rows on any sheet": (
        lambda: make_workbook({title: [] for title in HEADINGS}),
        [
            Problem(
                "",
                None,
                None,
                "The file has no rows on any of its sheets: there is nothing to load.",
            )
        ],
    ),
    "unknown type": (
        with_cell("Establishments", 1, "Type", "Spaceport"),
        [
            Problem(
                "Establishments",
                3,
                "Type",
                "'Spaceport' is not a type of establishment. Use one of: local, high_security, "
                "cat_b, cat_c, open, womens, yoi, ycs_yoi, stc, sch, irc",
            )
        ],
    ),
    "unknown operator": (
        with_cell("Establishments", 0, "Public or private", "charity"),
        [
            Problem(
                "Establishments",
                2,
                "Public or private",
                "'charity' is not public or private. Use one of: public, private",
            )
        ],
    ),
    "duplicate code in a sheet": (
        with_row("Prison groups", ["GA", "Another group"]),
        [
            Problem(
                "Prison groups",
                4,
                "Code",
                "The code GA is already used on sheet 'Prison groups', row 2",
            )
        ],
    ),
    "duplicate code across sheets": (
        with_cell("PDUs", 1, "Code", "qra"),
        [
            Problem(
                "PDUs",
                3,
                "Code",
                "The code QRA is already used on sheet 'Establishments', row 2",
            ),
            # The office of that PDU now names a PDU that is not there.
            Problem(
                "Offices",
                3,
                "PDU code",
                "There is no probation delivery unit with the code RA-P2 in this file or in "
                "the service",
            ),
        ],
    ),
    "the nation's code": (
        with_cell("Prison groups", 1, "Code", "HMPPS"),
        [
            Problem(
                "Prison groups",
                3,
                "Code",
                "The code HMPPS is already used by the national England and Wales",
            ),
            Problem(
                "Establishments",
                3,
                "Group code",
                "There is no prison group with the code GB in this file or in the service",
            ),
        ],
    ),
    "pdu whose region does not exist": (
        with_cell("PDUs", 0, "Region code", "RZ"),
        [
            Problem(
                "PDUs",
                2,
                "Region code",
                "There is no probation region with the code RZ in this file or in the service",
            )
        ],
    ),
    "parent of the wrong kind": (
        with_cell("Establishments", 0, "Group code", "RA"),
        [
            Problem(
                "Establishments", 2, "Group code", "RA is a probation region, not a prison group"
            )
        ],
    ),
    "text where a number belongs": (
        with_cell("Establishments", 2, "Operational capacity", "eighty"),
        [Problem("Establishments", 4, "Operational capacity", "'eighty' is not a whole number")],
    ),
    "a fraction where a whole number belongs": (
        with_cell("Offices", 0, "Interview rooms", 2.5),
        [Problem("Offices", 2, "Interview rooms", "'2.5' is not a whole number")],
    ),
    "negative number": (
        with_cell("Establishments", 0, "Population", -4),
        [Problem("Establishments", 2, "Population", "The number cannot be negative")],
    ),
    "capacity of nought": (
        with_cell("Establishments", 0, "Operational capacity", 0),
        [Problem("Establishments", 2, "Operational capacity", "The number must be at least 1")],
    ),
    "days open out of range": (
        with_cell("Offices", 0, "Days open", 8),
        [Problem("Offices", 2, "Days open", "The number must be from 1 to 7")],
    ),
    "time in the wrong format": (
        with_cell("Offices", 1, "Opens at", "9am"),
        [Problem("Offices", 3, "Opens at", "'9am' is not a time. Use hh:mm, for example 08:30")],
    ),
    "closes before it opens": (
        with_cell("Offices", 0, "Closes at", "08:00"),
        [Problem("Offices", 2, "Closes at", "The office must close after it opens")],
    ),
    "empty required cell": (
        with_cell("Establishments", 1, "Name", None),
        [Problem("Establishments", 3, "Name", "Enter the name")],
    ),
    "code in the wrong form": (
        with_cell("Prison groups", 0, "Code", "G A!"),
        [
            Problem(
                "Prison groups",
                2,
                "Code",
                "Use 1 to 20 capital letters, digits or hyphens, starting with a letter or digit",
            ),
            Problem(
                "Establishments",
                2,
                "Group code",
                "There is no prison group with the code GA in this file or in the service",
            ),
            Problem(
                "Establishments",
                4,
                "Group code",
                "There is no prison group with the code GA in this file or in the service",
            ),
        ],
    ),
    "not a spreadsheet": (
        lambda: b"Code,Name\nGA,Quarrendale group\n",
        [
            Problem(
                "",
                None,
                None,
                "The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and "
                "try again.",
            )
        ],
    ),
    "a zip that is not a workbook": (
        lambda: _zip_with("hello.txt", b"hello"),
        [
            Problem(
                "",
                None,
                None,
                "The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and "
                "try again.",
            )
        ],
    ),
    "empty file": (lambda: b"", [Problem("", None, None, "The file is empty.")]),
}


def _zip_with(name: str, content: bytes) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_names_every_problem_and_writes_nothing(case):
    build, expected = BAD_FILES[case]
    before = counts()

    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(build(), acting_user=TEST_DATA)

    assert caught.value.problems == expected
    assert counts() == before


@pytest.mark.django_db
def test_a_code_already_used_by_another_kind_of_unit_is_refused():
    nation = NationFactory()
    PrisonGroupFactory(parent=nation, code="RA", name="Old group")
    before = counts()

    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(make_workbook(), acting_user=TEST_DATA)

    assert caught.value.problems == [
        Problem(
            "Probation regions",
            2,
            "Code",
            "The code RA is already used by the prison group Old group",
        )
    ]
    assert counts() == before


@pytest.mark.django_db
def test_every_problem_of_a_file_is_listed_at_once():
    rows = good_rows()
    changed(rows, "Establishments", 0, "Population", "lots")
    changed(rows, "Establishments", 1, "Type", "castle")
    changed(rows, "Offices", 1, "Opens at", "25:00")

    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(
            make_workbook(rows, headings={"Prison groups": ["Code", "Title"]}),
            acting_user=TEST_DATA,
        )

    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [
        ("Prison groups", 1, "Name"),
        ("Prison groups", 1, "Title"),
        ("Establishments", 2, "Population"),
        ("Establishments", 3, "Type"),
        ("Offices", 3, "Opens at"),
    ]
    assert str(caught.value) == "The file has 5 problems. Nothing has been changed."


@pytest.mark.django_db
def test_a_file_larger_than_the_limit_is_refused_unread(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(make_workbook(), acting_user=TEST_DATA)
    assert caught.value.problems == [Problem("", None, None, "The file is larger than 1 KB.")]
    assert OrganisationUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_unpacks_to_far_more_than_the_limit_is_refused_unread(settings):
    settings.MAX_UPLOAD_BYTES = 5 * 1024
    bomb = _zip_with("xl/worksheets/sheet1.xml", b"0" * (1024 * 1024))
    assert len(bomb) < settings.MAX_UPLOAD_BYTES

    with pytest.raises(InvalidUpload) as caught:
        do_import_estate(bomb, acting_user=TEST_DATA)

    assert caught.value.problems == [
        Problem(
            "",
            None,
            None,
            "The file is larger than 25 KB when unpacked: an upload may be at most 5 KB, "
            "and at most 25 KB once unpacked.",
        )
    ]


@pytest.mark.django_db
def test_the_export_reads_the_whole_estate_in_three_queries(django_assert_num_queries):
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    with django_assert_num_queries(3):
        sheets = export_sheets()
        assert [len(list(sheet.rows)) for sheet in sheets[:5]] == [2, 3, 1, 2, 2]


@pytest.mark.django_db
def test_headings_and_sheet_names_are_read_in_any_case_and_order():
    rows = good_rows()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in rows.items():
        sheet = workbook.create_sheet(f" {title.upper()} ")
        headings = list(reversed(HEADINGS[title]))
        sheet.append([f" {h.lower()}" for h in headings])
        for row in sheet_rows:
            sheet.append(list(reversed(row)))
        sheet.append([])  # a blank row is skipped
    workbook.create_sheet("Read me")
    buffer = io.BytesIO()
    workbook.save(buffer)

    summary = do_import_estate(buffer.getvalue(), acting_user=TEST_DATA)

    assert sum(summary.created.values()) == 10


# --- The command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_a_file_and_prints_the_summary(tmp_path):
    path = tmp_path / "estate.xlsx"
    path.write_bytes(make_workbook())
    out = io.StringIO()

    call_command("import_estate", str(path), stdout=out)

    assert "Added 2 prison groups, 3 establishments" in out.getvalue()
    assert Establishment.objects.count() == 3
    event = AuditEvent.objects.get(action="estate.import")
    assert event.after["source"] == "estate.xlsx"
    # The command runs as the named system actor: the trail says so, and names no person.
    assert (event.actor, event.actor_name) == (None, "System (command line)")


@pytest.mark.django_db
def test_the_command_lists_every_problem_and_fails(tmp_path):
    path = tmp_path / "estate.xlsx"
    path.write_bytes(make_workbook(changed(good_rows(), "Offices", 0, "Closes at", "07:00")))
    err = io.StringIO()

    with pytest.raises(CommandError, match="The file has 1 problem. Nothing has been changed."):
        call_command("import_estate", str(path), stderr=err)

    assert err.getvalue().strip() == (
        "Sheet 'Offices', row 2, column 'Closes at': The office must close after it opens"
    )
    assert OrganisationUnit.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_estate", str(tmp_path / "nope.xlsx"))


@pytest.mark.django_db
def test_the_command_writes_a_template_that_shows_the_format(tmp_path):
    path = tmp_path / "template.xlsx"
    out = io.StringIO()

    call_command("import_estate", "--template", str(path), stdout=out)

    workbook = load_workbook(path)
    assert workbook.sheetnames == [*HEADINGS, "Guidance"]
    current = {
        **HEADINGS,
        "Establishments": [
            "Code",
            "Name",
            "Group code",
            "Status",
            "Type",
            "Categories",
            "Public or private",
            "Operational capacity",
            "Population",
        ],
    }
    for title, headings in current.items():
        assert [c.value for c in workbook[title][1]] == headings
    guidance = {(r[0], r[1]): r[2] for r in workbook["Guidance"].iter_rows(values_only=True)}
    assert guidance[("Establishments", "Population")] == (
        "A whole number, 0 or more; empty if not known"
    )
    assert "irc (Immigration removal centre)" in guidance[("Establishments", "Type")]
    assert f"Wrote an empty estate workbook to {path}" in out.getvalue()


@pytest.mark.django_db
def test_the_command_exports_the_current_estate(tmp_path):
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    path = tmp_path / "export.xlsx"

    call_command("import_estate", "--export", str(path), stdout=io.StringIO())

    establishments = load_workbook(path)["Establishments"]
    assert [c.value for c in establishments[2]] == [
        "FEL",
        "Felkby Secure Training Centre",
        "GA",
        "Open",
        "Youth custody: secure training centre",
        "Youth secure estate",
        "Public",
        80,
        70,
    ]


# --- The page ---------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "estate.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("estate:import"), {"file": file})


@pytest.mark.django_db
def test_the_page_is_for_administrators_only(client, person_with_role):
    for role in (Role.GOVERNOR, Role.VIEWER, Role.CENTRAL_PANEL, Role.PROBATION_CENTRE):
        client.force_login(person_with_role(role))
        assert client.get(reverse("estate:import")).status_code == 403
        assert upload(client, make_workbook()).status_code == 403
    assert not Establishment.objects.filter(code="QRA").exists()


@pytest.mark.django_db
def test_an_administrator_uploads_a_good_file_and_sees_the_counts(client, person_with_role):
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    page = client.get(reverse("estate:import"))
    assert page.status_code == 200
    assert b"Download an empty template" in page.content

    response = upload(client, make_workbook())

    assert response.status_code == 302
    assert response.url == reverse("estate:import")
    banner = client.get(response.url).content.decode()
    assert (
        "Added 2 prison groups, 3 establishments, 1 probation region, 2 PDUs and 2 probation "
        "offices." in banner
    )
    assert "govuk-notification-banner--success" in banner
    assert Establishment.objects.get(code="QRA").parent.code == "GA"


@pytest.mark.django_db
def test_an_administrator_uploads_a_bad_file_and_sees_every_problem(client, person_with_role):
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    rows = changed(good_rows(), "Offices", 0, "Opens at", "half eight")
    changed(rows, "Establishments", 0, "Population", -1)
    before = counts()

    response = upload(client, make_workbook(rows))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "There is a problem" in html
    assert "The file has 2 problems. Nothing has been changed." in html
    assert (
        "<li>Sheet &#x27;Establishments&#x27;, row 2, column &#x27;Population&#x27;: The number "
        "cannot be negative</li>" in html
    )
    assert '<td class="govuk-table__cell">Opens at</td>' in html
    assert "&#x27;half eight&#x27; is not a time. Use hh:mm, for example 08:30" in html
    assert counts() == before


@pytest.mark.django_db
def test_an_upload_without_a_file_asks_for_one(client, person_with_role):
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    response = client.post(reverse("estate:import"), {})
    assert response.status_code == 200
    assert "Select an estate workbook (.xlsx)" in response.content.decode()


@pytest.mark.django_db
def test_the_page_offers_the_template_and_the_current_estate(client, person_with_role):
    client.force_login(person_with_role(Role.ADMINISTRATOR))

    template = client.get(reverse("estate:import") + "?download=template")
    export = client.get(reverse("estate:import") + "?download=estate")

    assert template["Content-Type"] == XLSX_CONTENT_TYPE
    assert load_workbook(io.BytesIO(template.content)).sheetnames == [*HEADINGS, "Guidance"]
    exported = load_workbook(io.BytesIO(export.content))
    assert [row[0].value for row in exported["Establishments"].iter_rows(min_row=2)] == [
        "EST1",
        "EST2",
    ]

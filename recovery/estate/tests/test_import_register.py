"""The estate file holds the real register: a status, several categories, every custody type,
unknown figures left empty, prisons-only and probation-only files, unexpected columns named."""

import io
from html import escape

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.scope import TEST_DATA
from recovery.core.xlsx import workbook_bytes
from recovery.estate.actions import do_import_estate
from recovery.estate.importer import export_sheets
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

ESTABLISHMENT_HEADINGS = [
    "Code",
    "Name",
    "Group code",
    "Status",
    "Type",
    "Categories",
    "Public or private",
    "Operational capacity",
    "Population",
]
GROUP_HEADINGS = ["Code", "Name"]
PROBATION = {
    "Probation regions": (["Code", "Name"], [["RA", "Ostmere region"]]),
    "PDUs": (["Code", "Name", "Region code"], [["RA-P1", "Ostmere North PDU", "RA"]]),
    "Offices": (
        ["Code", "Name", "PDU code", "Interview rooms", "Opens at", "Closes at", "Days open"],
        [["RA-P1-O1", "Ostmere, Lisk Street", "RA-P1", 8, "08:30", "17:00", 5]],
    ),
}


def workbook(sheets: dict[str, tuple[list[str], list[list[object]]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, (headings, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def prisons(rows, *, headings=ESTABLISHMENT_HEADINGS, groups=(("GA", "Quarrendale group"),)):
    return {
        "Prison groups": (GROUP_HEADINGS, [list(g) for g in groups]),
        "Establishments": (headings, rows),
    }


REGISTER_ROWS = [
    ["QRA", "HMP Quarrendale", "GA", "open", "local", "B", "public", 800, 760],
    ["TWO", "HMP Twinmoor", "GA", "", "Category C training", "C; b", "Public", 1000, 900],
    ["OLD", "HMP Oldwick", "GA", "Closed", "cat_c", "C", "public", 400, 0],
    ["IRC", "Fenmarsh Immigration Removal Centre", "GA", None, "irc", None, "private", 400, None],
    ["UNK", "HMP Unknowe", "GA", "open", "cat_b", "A, B", "public", None, None],
]


def counts() -> tuple[int, int]:
    return OrganisationUnit.objects.count(), AuditEvent.objects.count()


@pytest.mark.django_db
def test_the_real_register_loads_as_it_is():
    summary = do_import_estate(workbook(prisons(REGISTER_ROWS)), acting_user=TEST_DATA)

    assert summary.created["establishment"] == 5
    found = {
        e.code: (e.status, e.establishment_type, e.categories, e.operational_capacity, e.population)
        for e in Establishment.objects.all()
    }
    assert found == {
        "QRA": ("open", "local", ["B"], 800, 760),
        "TWO": ("open", "cat_c", ["B", "C"], 1000, 900),  # "C; b" in category order
        "OLD": ("closed", "cat_c", ["C"], 400, 0),
        "IRC": ("open", "irc", [], 400, None),  # not known: empty, never 0
        "UNK": ("open", "cat_b", ["A", "B"], None, None),
    }


@pytest.mark.django_db
def test_a_prisons_only_file_changes_nothing_of_probation():
    do_import_estate(workbook({**prisons(REGISTER_ROWS[:1]), **PROBATION}), acting_user=TEST_DATA)
    offices = list(ProbationOffice.objects.values_list("code", "name", "version"))

    summary = do_import_estate(workbook(prisons(REGISTER_ROWS[1:2])), acting_user=TEST_DATA)

    assert summary.created["establishment"] == 1
    assert list(ProbationOffice.objects.values_list("code", "name", "version")) == offices
    assert Establishment.objects.filter(code="QRA").exists()


@pytest.mark.django_db
def test_a_probation_only_file_and_an_establishments_only_file_are_accepted():
    summary = do_import_estate(workbook(PROBATION), acting_user=TEST_DATA)
    assert summary.created["office"] == 1
    do_import_estate(workbook(prisons(REGISTER_ROWS[:1])), acting_user=TEST_DATA)

    # Establishments alone: their group is looked for in the service.
    summary = do_import_estate(
        workbook({"Establishments": (ESTABLISHMENT_HEADINGS, REGISTER_ROWS[1:2])}),
        acting_user=TEST_DATA,
    )
    assert summary.created["establishment"] == 1
    assert Establishment.objects.get(code="TWO").parent.code == "GA"


@pytest.mark.django_db
def test_an_establishments_only_file_needs_its_groups_in_the_service():
    row = ["NEW", "HMP Newholm", "GZ", "open", "local", "B", "public", 500, 450]
    before = counts()

    with pytest.raises(InvalidUpload) as refused:
        do_import_estate(
            workbook({"Establishments": (ESTABLISHMENT_HEADINGS, [row])}), acting_user=TEST_DATA
        )

    assert refused.value.problems == [
        Problem(
            "Establishments",
            2,
            "Group code",
            "There is no prison group with the code GZ in this file or in the service",
        )
    ]
    assert counts() == before


@pytest.mark.django_db
def test_an_unexpected_column_is_reported_and_nothing_is_written():
    headings = [*ESTABLISHMENT_HEADINGS, "Active"]
    rows = [[*REGISTER_ROWS[0], "Y"]]
    before = counts()

    with pytest.raises(InvalidUpload) as refused:
        do_import_estate(workbook(prisons(rows, headings=headings)), acting_user=TEST_DATA)

    assert refused.value.problems == [
        Problem(
            "Establishments",
            1,
            "Active",
            "This column is not part of the format: remove it or correct its heading. The "
            "columns are: Code, Name, Group code, Status, Type, Categories, Public or private, "
            "Operational capacity, Population",
        )
    ]
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("Status", "mothballed", "'mothballed' is not a status. Use one of: open, closed"),
        (
            "Categories",
            "B, E",
            "'E' is not a category. Use one of: A, B, C, D, closed, open, youth",
        ),
        ("Categories", "B, b", "The category B is given more than once"),
        ("Operational capacity", 0, "The number must be at least 1"),
        ("Population", -3, "The number cannot be negative"),
    ],
)
def test_bad_register_values_are_named(column, value, reason):
    row = list(REGISTER_ROWS[0])
    row[ESTABLISHMENT_HEADINGS.index(column)] = value
    before = counts()

    with pytest.raises(InvalidUpload) as refused:
        do_import_estate(workbook(prisons([row])), acting_user=TEST_DATA)

    assert refused.value.problems == [Problem("Establishments", 2, column, reason)]
    assert counts() == before


@pytest.mark.django_db
def test_a_file_without_the_status_column_keeps_each_status():
    do_import_estate(workbook(prisons(REGISTER_ROWS)), acting_user=TEST_DATA)
    without_status = [h for h in ESTABLISHMENT_HEADINGS if h != "Status"]
    rows = [[v for i, v in enumerate(r) if i != 3] for r in REGISTER_ROWS]

    summary = do_import_estate(
        workbook(prisons(rows, headings=without_status)), acting_user=TEST_DATA
    )

    assert summary.describe() == "Nothing changed: all 6 units already matched."
    assert Establishment.objects.get(code="OLD").status == "closed"


@pytest.mark.django_db
def test_an_emptied_figure_becomes_not_known_and_a_status_change_is_audited():
    do_import_estate(workbook(prisons(REGISTER_ROWS)), acting_user=TEST_DATA)
    rows = [list(r) for r in REGISTER_ROWS]
    rows[0][8] = None  # HMP Quarrendale's population: no longer known
    rows[2][3] = "open"  # HMP Oldwick reopens

    summary = do_import_estate(workbook(prisons(rows)), acting_user=TEST_DATA)

    assert summary.updated["establishment"] == 2
    assert Establishment.objects.get(code="QRA").population is None
    assert Establishment.objects.get(code="OLD").status == "open"
    event = AuditEvent.objects.filter(action="estate.update_establishment").get(
        summary__contains="Oldwick"
    )
    assert (event.before, event.after) == ({"status": "closed"}, {"status": "open"})


@pytest.mark.django_db
def test_export_then_import_changes_nothing():
    do_import_estate(workbook({**prisons(REGISTER_ROWS), **PROBATION}), acting_user=TEST_DATA)
    before = (
        list(Establishment.objects.order_by("code").values()),
        AuditEvent.objects.count(),
    )

    summary = do_import_estate(workbook_bytes(export_sheets()), acting_user=TEST_DATA)

    assert summary.describe() == "Nothing changed: all 9 units already matched."
    assert (
        list(Establishment.objects.order_by("code").values()),
        AuditEvent.objects.count(),
    ) == before


@pytest.mark.django_db
def test_an_administrator_uploads_a_prisons_only_file(client, person_with_role):
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    file = io.BytesIO(workbook(prisons(REGISTER_ROWS[:2])))
    file.name = "prisons.xlsx"

    response = client.post(reverse("estate:import"), {"file": file})

    assert response.status_code == 302
    banner = client.get(response.url).content.decode()
    assert "Added 1 prison group and 2 establishments." in banner


NO_ESTATE_SHEET = (
    "The file has none of the estate's sheets (Prison groups, Establishments, Probation "
    "regions, PDUs, Offices). Check the sheet names, or download the template."
)


@pytest.mark.django_db
def test_a_file_with_none_of_the_sheets_is_refused_on_the_page_and_by_the_command(
    client, person_with_role, tmp_path
):
    data = workbook({"Prisons": (GROUP_HEADINGS, [["GA", "Quarrendale group"]])})
    before = counts()
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    file = io.BytesIO(data)
    file.name = "prisons.xlsx"

    response = client.post(reverse("estate:import"), {"file": file})

    assert response.status_code == 200  # the form again, with the problems
    page = response.content.decode()
    assert '<td class="govuk-table__cell">Whole file</td>' in page
    assert escape(NO_ESTATE_SHEET) in page
    path = tmp_path / "prisons.xlsx"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="The file has 1 problem. Nothing has been changed."):
        call_command("import_estate", str(path), stderr=err)
    assert err.getvalue().strip() == NO_ESTATE_SHEET
    assert counts() == before

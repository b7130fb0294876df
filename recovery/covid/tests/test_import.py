"""Loading Covid controls from a spreadsheet: all or nothing, every problem with its sheet, row
and column; rows naming an establishment outside the uploader's scope are problems."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload
from recovery.core.xlsx import workbook_bytes
from recovery.covid.actions import do_import_covid
from recovery.covid.factories import at_stage, declare, workbook
from recovery.covid.importer import covid_sheets
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.progression.constants import ChangeStatus
from recovery.progression.models import StageChange

pytestmark = pytest.mark.django_db

D = datetime.date
CONTROLS = [
    "Establishment code",
    "Figures as of",
    "Staff tested (%)",
    "Prisoners tested (%)",
    "Staff vaccinated (%)",
    "Prisoners vaccinated (%)",
    "Contact-tracing lead",
    "Contingency plan reviewed on",
]
PPE = ["Establishment code", "Item", "In stock", "Needed"]
OUTBREAKS = [
    "Establishment code",
    "Declared on",
    "Ended on",
    "Staff cases",
    "Prisoner cases",
    "Notes",
]


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR)


def _problems(error: InvalidUpload) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.reason) for p in error.problems]


def test_a_good_file_loads_controls_stock_and_outbreaks(small_estate, editor):
    ashgrove = small_estate.establishment_1
    upload = workbook(
        {
            "Controls": [
                CONTROLS,
                ["EST1", "01/03/2021", 82, 64, 71, 40, "Dr Ada Nurse", D(2021, 2, 20)],
            ],
            "PPE stock": [
                PPE,
                ["EST1", "Disposable gloves (pairs)", 300, 500],
                ["est1", "aprons", 90, 80],
            ],
            "Outbreaks": [OUTBREAKS, ["EST1", "2021-01-04", "2021-01-25", 2, 9, "Wing C"]],
        }
    )

    summary = do_import_covid(ashgrove, upload, acting_user=editor)

    controls = CovidControls.objects.get(establishment=ashgrove)
    assert (controls.staff_tested_percent, controls.prisoners_vaccinated_percent) == (82, 40)
    assert controls.contact_tracing_lead == "Dr Ada Nurse"
    assert controls.as_of == D(2021, 3, 1)
    assert controls.contingency_plan_reviewed_on == D(2021, 2, 20)
    stock = {s.item: (s.in_stock, s.needed) for s in PpeStock.objects.all()}
    assert stock == {"gloves": (300, 500), "aprons": (90, 80)}
    outbreak = Outbreak.objects.get()
    assert (outbreak.declared_on, outbreak.ended_on, outbreak.notes) == (
        D(2021, 1, 4),
        D(2021, 1, 25),
        "Wing C",
    )
    assert summary.describe() == (
        "The spreadsheet has been loaded: 1 establishment's controls, 2 PPE items, "
        "1 outbreak declared."
    )
    assert AuditEvent.objects.filter(action="covid.import").count() == 1


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_saved(small_estate, editor):
    upload = workbook(
        {
            "Controls": [CONTROLS, ["EST1", None, 101, 50, None, None, "Kit", "31/02/2021"]],
            "PPE stock": [
                PPE,
                ["EST1", "Gloves (boxes)", 10, 20],
                ["EST1", "Disposable aprons", -4, 20],
                ["EST1", "Visors and eye protection", 10, None],
            ],
            "Outbreaks": [
                OUTBREAKS,
                ["EST1", "2021-03-10", "2021-03-01", None, None, ""],
                ["EST2", "2021-03-10", None, None, None, ""],
            ],
        }
    )

    with pytest.raises(InvalidUpload) as refused:
        do_import_covid(small_estate.establishment_1, upload, acting_user=editor)

    assert _problems(refused.value) == [
        ("Controls", 2, "Staff tested (%)", "The number must be from 0 to 100"),
        (
            "Controls",
            2,
            "Contingency plan reviewed on",
            "'31/02/2021' is not a date. Use a date cell or 31/03/2021",
        ),
        (
            "PPE stock",
            2,
            "Item",
            "'Gloves (boxes)' is not an item of PPE counted here. Use one of: FFP3 respirator "
            "masks; Type IIR surgical masks; Disposable gloves (pairs); Disposable aprons; "
            "Fluid-resistant gowns; Visors and eye protection; Hand sanitiser (litres)",
        ),
        ("PPE stock", 3, "In stock", "The number cannot be negative"),
        ("PPE stock", 4, "Needed", "Enter the need as well as the stock, or leave both empty"),
        ("Outbreaks", 2, "Ended on", "The outbreak cannot end before it was declared"),
        (
            "Outbreaks",
            3,
            "Establishment code",
            "This page loads the Covid controls of HMP Ashgrove (EST1) only",
        ),
    ]
    assert refused.value.message == "The file has 7 problems. Nothing has been changed."
    assert not CovidControls.objects.exists()
    assert not PpeStock.objects.exists()
    assert not Outbreak.objects.exists()


def test_an_establishment_outside_the_scope_is_a_row_problem(small_estate, editor):
    """Loading for every establishment the person may record: one elsewhere is refused in the
    same words whether or not it exists."""
    upload = workbook({"PPE stock": [PPE, ["EST2", "aprons", 1, 2], ["NOPE", "aprons", 1, 2]]})

    with pytest.raises(InvalidUpload) as refused:
        do_import_covid(None, upload, acting_user=editor)

    reasons = {p.reason for p in refused.value.problems}
    assert [p.row for p in refused.value.problems] == [2, 3]
    assert reasons == {
        "There is no establishment with the code EST2 whose Covid controls you may record",
        "There is no establishment with the code NOPE whose Covid controls you may record",
    }
    assert not PpeStock.objects.exists()


def test_a_second_open_outbreak_in_the_file_is_a_problem(small_estate, editor):
    declare(small_estate.establishment_1, D(2021, 3, 1))
    upload = workbook({"Outbreaks": [OUTBREAKS, ["EST1", "2021-04-01", None, 1, 1, ""]]})

    with pytest.raises(InvalidUpload) as refused:
        do_import_covid(small_estate.establishment_1, upload, acting_user=editor)

    assert _problems(refused.value) == [
        (
            "Outbreaks",
            2,
            "Declared on",
            "HMP Ashgrove is already in outbreak (declared on 1 March 2021). End that outbreak "
            "before declaring another.",
        )
    ]


def test_a_file_can_end_the_open_outbreak_and_declare_the_next(
    small_estate, editor, person_with_role
):
    ashgrove = small_estate.establishment_1
    at_stage(ashgrove, 3)
    first = declare(ashgrove, D(2021, 3, 1))
    StageChange.objects.filter(status=ChangeStatus.PROPOSED).delete()
    upload = workbook(
        {
            "Outbreaks": [
                OUTBREAKS,
                ["EST1", "2021-03-01", "2021-03-21", None, None, ""],
                ["EST1", "2021-04-02", None, 4, None, "Second wave"],
            ]
        }
    )

    summary = do_import_covid(ashgrove, upload, acting_user=editor)

    assert Outbreak.objects.get(pk=first.pk).ended_on == D(2021, 3, 21)
    assert Outbreak.objects.get(declared_on=D(2021, 4, 2)).is_open
    assert (summary.outbreaks_ended, summary.outbreaks_declared) == (1, 1)
    proposal = StageChange.objects.get(status=ChangeStatus.PROPOSED)
    assert proposal.stage.number == 4


def test_the_template_loads_back_changing_nothing(small_estate, editor):
    ashgrove = small_estate.establishment_1
    declare(ashgrove, D(2021, 3, 1))
    file = io.BytesIO(workbook_bytes(covid_sheets([ashgrove])))
    file.name = "covid-controls-EST1.xlsx"
    titles = load_workbook(io.BytesIO(file.getvalue())).sheetnames
    events = AuditEvent.objects.count()

    summary = do_import_covid(ashgrove, file, acting_user=editor)

    assert titles == ["Controls", "PPE stock", "Outbreaks", "Guidance"]
    assert summary.describe() == "The spreadsheet has been loaded: nothing changed."
    assert AuditEvent.objects.exclude(action="covid.import").count() == events
    assert not PpeStock.objects.exists()


def test_a_file_with_none_of_the_sheets_is_refused(small_estate, editor):
    upload = workbook({"Sheet1": [["Anything"], ["at all"]]})

    with pytest.raises(InvalidUpload) as refused:
        do_import_covid(small_estate.establishment_1, upload, acting_user=editor)

    assert refused.value.problems[0].reason.startswith(
        "The file has none of the sheets Controls, PPE stock, Outbreaks"
    )

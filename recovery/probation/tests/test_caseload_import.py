"""Loading a caseload: what is refused (each case, with the row, column and words a person
reads) and that nothing is written then; what a good file writes; CSV and .xlsx alike."""

import pytest

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload, NotAllowed
from recovery.core.scope import COMMAND_LINE
from recovery.probation.actions import do_import_caseload, do_import_national_caseload
from recovery.probation.caseload import PSEUDONYMISED_ONLY
from recovery.probation.caseload_factories import HEADINGS, csv_upload, make_case, row, xlsx_upload
from recovery.probation.caseload_models import Case

pytestmark = pytest.mark.django_db


def problems_of(call) -> list[tuple]:
    with pytest.raises(InvalidUpload) as caught:
        call()
    return [(p.row, p.column, p.reason) for p in caught.value.problems]


@pytest.fixture
def head(small_estate, person_with_role):
    return person_with_role(Role.PDU_HEAD, small_estate.pdu_1)


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload])
def test_a_good_file_loads_every_case_with_its_category(small_estate, head, upload):
    summary = do_import_caseload(
        small_estate.pdu_1,
        upload(
            [
                row("X000001", "PDU1", "Very high", "Yes", "No", "Doorstep", "Yes", "No"),
                row("X000002", "pdu1", "high", "no", "no", "audio"),
                row("X000003", "PDU1", "Medium", "No", "Yes", "Video"),
                row("X000004", "PDU1", "Low", "Yes", "Yes", "Face to face"),
            ]
        ),
        acting_user=head,
    )
    cases = {c.reference: c for c in Case.objects.filter(pdu=small_estate.pdu_1)}
    assert {r: c.category for r, c in cases.items()} == {
        "X000001": 1,
        "X000002": 2,
        "X000003": 3,
        "X000004": 4,
    }
    assert cases["X000001"].lives_with_victim is True
    assert cases["X000004"].contact_mode == "face_to_face"
    assert summary.describe() == (
        "Caseload of PDU1 loaded: 4 cases (category 1: 1, category 2: 1, category 3: 1, "
        "category 4: 1)."
    )
    event = AuditEvent.objects.get(action="probation.import_caseload")
    assert event.after["cases"] == 4


def test_a_reimport_replaces_the_pdus_caseload(small_estate, head):
    make_case(small_estate.pdu_1, "X999999")
    other = make_case(small_estate.pdu_2, "X888888")
    do_import_caseload(small_estate.pdu_1, csv_upload([row("X000001", "PDU1")]), acting_user=head)
    assert list(
        Case.objects.filter(pdu=small_estate.pdu_1).values_list("reference", flat=True)
    ) == ["X000001"]
    assert Case.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "heading", ["Name", "First name", "Surname", "DOB", "Date of birth", "FullName", "birth_date"]
)
def test_a_name_or_date_of_birth_column_refuses_the_file(small_estate, head, heading):
    upload = csv_upload([[*row("X000001", "PDU1"), "Anything"]], headings=[*HEADINGS, heading])
    problems = problems_of(lambda: do_import_caseload(small_estate.pdu_1, upload, acting_user=head))
    assert problems == [(1, heading, PSEUDONYMISED_ONLY)]
    assert not Case.objects.exists()


def test_each_bad_row_is_named_and_nothing_is_written(small_estate, head):
    make_case(small_estate.pdu_1, "X777777")
    upload = csv_upload(
        [
            row("X000001", "PDU1", rosh="Severe"),
            row("X000002", "PDU1", mode="Home visit"),
            row("X000003", "PDU1"),
            row("X000003", "PDU1"),
            row("John Smith", "PDU1"),
            row("X000005", "PDU1", da="Maybe"),
            row("X000006", "PDU2"),
        ]
    )
    problems = problems_of(lambda: do_import_caseload(small_estate.pdu_1, upload, acting_user=head))
    assert problems == [
        (
            2,
            "RoSH level",
            "'Severe' is not a risk of serious harm level. Use one of: Low; Medium; High; "
            "Very high",
        ),
        (
            3,
            "Contact mode",
            "'Home visit' is not a contact mode. Use one of: Doorstep; Audio; Video; Face to face",
        ),
        (5, "Case reference", "X000003 appears twice (also on row 4): give each case one row"),
        (
            6,
            "Case reference",
            "'John Smith' is not a pseudonymised case reference: use letters and digits with "
            "at least one digit, such as X123456, never a name",
        ),
        (7, "Domestic abuse", "'Maybe' is not Yes or No"),
        (8, "PDU code", "This page loads the caseload of Eastmoor PDU (PDU1) only"),
    ]
    assert list(Case.objects.values_list("reference", flat=True)) == ["X777777"]
    assert not AuditEvent.objects.filter(action="probation.import_caseload").exists()


def test_the_national_import_refuses_a_pdu_that_does_not_exist(small_estate):
    upload = csv_upload([row("X000001", "PDU1"), row("X000002", "NOPE")])
    problems = problems_of(lambda: do_import_national_caseload(upload, acting_user=COMMAND_LINE))
    assert problems == [(3, "PDU code", "There is no PDU with the code NOPE")]
    assert not Case.objects.exists()


def test_the_national_import_loads_several_pdus(small_estate):
    summary = do_import_national_caseload(
        csv_upload([row("X000001", "PDU1"), row("X000002", "PDU2", rosh="Low")]),
        acting_user=COMMAND_LINE,
    )
    assert summary.pdus == ["PDU1", "PDU2"]
    assert summary.by_category == {"1": 1, "4": 1}


def test_a_pdu_head_cannot_load_another_pdu(small_estate, head):
    with pytest.raises(NotAllowed):
        do_import_caseload(small_estate.pdu_2, csv_upload([row("X1", "PDU2")]), acting_user=head)


def test_a_file_that_is_neither_xlsx_nor_utf8_csv_is_refused(small_estate, head):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("caseload.csv", "Case reference,PDU\n\xe9".encode("latin-1"))
    problems = problems_of(lambda: do_import_caseload(small_estate.pdu_1, upload, acting_user=head))
    assert problems == [
        (
            None,
            None,
            "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. Save it as "
            'an .xlsx workbook, or as "CSV UTF-8 (Comma delimited)", and try again.',
        )
    ]

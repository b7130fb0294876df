"""Answering a baseline: the rules hold whichever door the answer comes through."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.scope import TEST_DATA
from recovery.plans.actions import (
    do_add_evidence,
    do_remove_evidence,
    do_update_response,
)
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for
from recovery.plans.models import Evidence


def _update(response, acting_user=TEST_DATA, **changes):
    return do_update_response(
        response, expected_version=response.version, changes=changes, acting_user=acting_user
    )


def _refused(response, message: str, **changes):
    before = (response.status, response.version)
    with pytest.raises(DomainError) as error:
        _update(response, **changes)
    assert error.value.message == message
    response.refresh_from_db()
    assert (response.status, response.version) == before


def test_mandatory_baseline_is_never_not_applicable(adult_plan):
    response = response_for(adult_plan, "2.1")
    _refused(
        response,
        "Baseline 2.1 is mandatory, so it cannot be not applicable",
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="We have no visits hall",
    )


def test_desirable_baseline_may_be_not_applicable_with_a_reason(adult_plan):
    response = response_for(adult_plan, "3.1")
    _refused(
        response,
        "Give the reason baseline 3.1 does not apply",
        status=ResponseStatus.NOT_APPLICABLE,
    )
    answer(response, status=ResponseStatus.NOT_APPLICABLE, not_applicable_reason="No hall")
    assert response.status == ResponseStatus.NOT_APPLICABLE
    assert response.not_applicable_reason == "No hall"


def test_reason_is_cleared_when_the_baseline_applies_again(adult_plan):
    response = answer(
        response_for(adult_plan, "3.1"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="No hall",
    )
    answer(response, status=ResponseStatus.IN_PROGRESS)
    assert response.not_applicable_reason == ""


def test_partial_baseline_accepts_only_its_named_options(adult_plan):
    response = response_for(adult_plan, "1.2")
    _refused(
        response,
        "Choose one of the options for baseline 1.2: Video calls; Socially distanced visits",
        chosen_option="Window visits",
    )
    answer(response, chosen_option="Video calls")
    assert response.chosen_option == "Video calls"


def test_partial_baseline_needs_an_option_to_be_met(adult_plan):
    _refused(
        response_for(adult_plan, "1.2"),
        "Choose the option delivered before marking baseline 1.2 met",
        status=ResponseStatus.MET,
    )


def test_baseline_without_options_takes_none(adult_plan):
    _refused(
        response_for(adult_plan, "2.1"),
        "Baseline 2.1 has no options to choose from: leave the option empty",
        chosen_option="Video calls",
    )


def test_limited_baseline_needs_compliance_confirmed_to_be_met(adult_plan):
    response = response_for(adult_plan, "1.1")
    _refused(
        response,
        "Confirm that baseline 1.1 is delivered as stipulated before marking it met",
        status=ResponseStatus.MET,
    )
    answer(response, status=ResponseStatus.MET, compliance_confirmed=True)
    assert response.status == ResponseStatus.MET


def test_compliance_is_only_recorded_for_limited_baselines(adult_plan):
    _refused(
        response_for(adult_plan, "2.1"),
        "Only a limited-autonomy baseline records delivery as stipulated; baseline 2.1 is total",
        compliance_confirmed=True,
    )


def test_unknown_status_is_refused(adult_plan):
    _refused(
        response_for(adult_plan, "2.1"),
        "Status must be Not started, In progress, Met or Not applicable",
        status="done",
    )


def test_stale_edit_is_refused_not_overwritten(adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Ada", last_name="Ames")
    response = response_for(adult_plan, "2.1")
    opened_at = response.version
    do_update_response(
        response, expected_version=opened_at, changes={"owner": "Head of OMU"}, acting_user=editor
    )
    stale_copy = response_for(adult_plan, "2.1")
    with pytest.raises(StaleEditError) as error:
        do_update_response(
            stale_copy,
            expected_version=opened_at,
            changes={"owner": "Deputy Governor"},
            acting_user=editor,
        )
    assert error.value.message == (
        "Baseline 2.1 was changed by Ada Ames while you were editing it. Your changes have not "
        "been saved. Check the current values and make your changes again."
    )
    assert [(c.field, c.before, c.after) for c in error.value.changes] == [
        ("owner", "", "Head of OMU")
    ]
    stale_copy.refresh_from_db()
    assert stale_copy.owner == "Head of OMU"


def test_update_records_old_and_new_values(adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    _update(
        response,
        acting_user=editor,
        status=ResponseStatus.IN_PROGRESS,
        target_date=datetime.date(2021, 3, 31),
        owner="Head of OMU",
    )
    event = AuditEvent.objects.get(action="plans.update_response")
    assert event.actor == editor
    assert event.before == {"status": "not_started", "owner": "", "target_date": None}
    assert event.after == {
        "status": "in_progress",
        "owner": "Head of OMU",
        "target_date": "2021-03-31",
    }
    assert event.unit_id == adult_plan.establishment_id


def test_nothing_changed_records_nothing(adult_plan):
    response = response_for(adult_plan, "2.1")
    assert _update(response, owner="") == {}
    assert not AuditEvent.objects.filter(action="plans.update_response").exists()


@pytest.mark.parametrize("role", [Role.TRADE_UNION_REP, Role.PGD, Role.VIEWER])
def test_readers_cannot_answer(adult_plan, person_with_role, role):
    response = response_for(adult_plan, "2.1")
    with pytest.raises(NotAllowed):
        _update(response, acting_user=person_with_role(role), owner="Someone")


def test_other_establishment_cannot_answer(adult_plan, small_estate, person_with_role):
    other = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    with pytest.raises(NotAllowed):
        _update(response_for(adult_plan, "2.1"), acting_user=other, owner="Someone")


# --- Evidence ---------------------------------------------------------------------------------


def test_document_evidence_is_kept_with_its_size_and_type(adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    upload = SimpleUploadedFile("visits-risk-assessment.pdf", b"%PDF-1.4 test", "application/pdf")
    evidence = do_add_evidence(response, kind="file", upload=upload, acting_user=editor)
    assert (evidence.file_name, evidence.file_size, evidence.content_type) == (
        "visits-risk-assessment.pdf",
        13,
        "application/pdf",
    )
    event = AuditEvent.objects.get(action="plans.add_evidence")
    assert event.after["file_name"] == "visits-risk-assessment.pdf"


def test_evidence_of_a_forbidden_type_is_refused(adult_plan):
    upload = SimpleUploadedFile("run-me.exe", b"MZ", "application/octet-stream")
    with pytest.raises(DomainError) as error:
        do_add_evidence(
            response_for(adult_plan, "2.1"), kind="file", upload=upload, acting_user=TEST_DATA
        )
    assert error.value.message == (
        "The file must be a CSV, DOCX, JPEG, JPG, ODT, PDF, PNG, TXT or XLSX file"
    )
    assert not Evidence.objects.exists()


def test_evidence_too_large_is_refused(adult_plan):
    upload = SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1), "application/pdf")
    with pytest.raises(DomainError) as error:
        do_add_evidence(
            response_for(adult_plan, "2.1"), kind="file", upload=upload, acting_user=TEST_DATA
        )
    assert error.value.message == "The file must be smaller than 10 MB"
    assert not Evidence.objects.exists()


def test_link_and_note_evidence(adult_plan):
    response = response_for(adult_plan, "2.1")
    with pytest.raises(DomainError) as error:
        do_add_evidence(response, kind="link", url="intranet/visits", acting_user=TEST_DATA)
    assert error.value.message.startswith("Enter a web address starting with https://")
    do_add_evidence(
        response, kind="link", url="https://intranet.example/visits", acting_user=TEST_DATA
    )
    do_add_evidence(
        response, kind="note", note="Agreed at the regime meeting", acting_user=TEST_DATA
    )
    assert [e.kind for e in response.evidence.all()] == ["link", "note"]


def test_removing_evidence_keeps_it_and_records_it(adult_plan):
    response = response_for(adult_plan, "2.1")
    evidence = do_add_evidence(response, kind="note", note="Draft", acting_user=TEST_DATA)
    do_remove_evidence(evidence, acting_user=TEST_DATA)
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert AuditEvent.objects.filter(action="plans.remove_evidence").count() == 1
    with pytest.raises(DomainError):
        do_remove_evidence(evidence, acting_user=TEST_DATA)

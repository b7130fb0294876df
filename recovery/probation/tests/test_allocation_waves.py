"""Waves in the database: the capacity that counts, what a wave moves and records, the review
tasks it creates, the refusal of the next wave before the review, the review a week later, and
the national allocation of every PDU in one go."""

import datetime

import pytest
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE
from recovery.probation.actions import (
    do_allocate_national,
    do_allocate_wave,
    do_complete_review_tasks,
    do_review_wave,
)
from recovery.probation.caseload_factories import make_case, weekly_capacity
from recovery.probation.caseload_models import AllocationWave, Case, CaseMove, ReviewTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(small_estate, person_with_role):
    return person_with_role(Role.PDU_HEAD, small_estate.pdu_1)


@pytest.fixture
def caseload(small_estate):
    """PDU1 offers 4 appointments a week; 1 case is already face to face, so 3 places are free.
    Doorstep: two in category 1, one in category 2; audio: one in category 1."""
    weekly_capacity(small_estate.office_1, 4)
    pdu = small_estate.pdu_1
    make_case(pdu, "X000009", "high", domestic_abuse=True, lives_with_victim=True)  # 1
    make_case(pdu, "X000002", "very_high", child_safeguarding=True)  # 1
    make_case(pdu, "X000001", "high")  # 2
    make_case(pdu, "X000003", "high", domestic_abuse=True, mode="audio")  # 1, audio
    make_case(pdu, "X000004", "low", mode="face_to_face")
    return pdu


def test_a_wave_moves_doorstep_cases_by_category_and_records_everything(caseload, head):
    wave = do_allocate_wave(caseload, acting_user=head)
    assert wave.number == 1
    assert wave.moved == 3
    assert wave.review_due_on == timezone.localdate() + datetime.timedelta(days=7)
    moved = {m.reference: m for m in CaseMove.objects.filter(wave=wave)}
    # Category 1 doorstep (both), then category 2 doorstep; the audio case waits.
    assert sorted(moved) == ["X000001", "X000002", "X000009"]
    assert moved["X000009"].doorstep_alongside is True
    assert moved["X000002"].doorstep_alongside is False
    modes = dict(Case.objects.values_list("reference", "contact_mode"))
    assert modes["X000003"] == "audio"
    assert modes["X000009"] == "face_to_face"
    assert Case.objects.get(reference="X000009").doorstep_alongside is True
    assert wave.moved_by_category["1"] == {"doorstep": 2, "audio": 0, "video": 0}
    assert wave.moved_by_category["2"] == {"doorstep": 1, "audio": 0, "video": 0}
    event = AuditEvent.objects.get(action="probation.allocate_wave")
    assert event.after["moved"] == 3


def test_every_change_of_contact_mode_creates_two_review_tasks(caseload, head):
    wave = do_allocate_wave(caseload, acting_user=head)
    tasks = sorted(ReviewTask.objects.filter(wave=wave).values_list("reference", "kind"))
    assert tasks == [
        ("X000001", "rmp"),
        ("X000001", "sentence_plan"),
        ("X000002", "rmp"),
        ("X000002", "sentence_plan"),
        ("X000009", "rmp"),
        ("X000009", "sentence_plan"),
    ]
    assert do_complete_review_tasks(wave, acting_user=head) == 6
    assert not ReviewTask.objects.filter(completed_on__isnull=True).exists()


def test_the_next_wave_is_refused_until_the_previous_one_is_reviewed(caseload, head):
    wave = do_allocate_wave(caseload, limit=1, acting_user=head)
    with pytest.raises(DomainError) as refused:
        do_allocate_wave(caseload, acting_user=head)
    assert refused.value.message == (
        f"Wave 1 of Eastmoor PDU is awaiting its review (due on "
        f"{wave.review_due_on:%-d %B %Y}): the next wave waits until it has been reviewed."
    )
    assert AllocationWave.objects.count() == 1


def test_a_review_is_refused_before_a_week_and_then_the_next_wave_may_start(caseload, head):
    wave = do_allocate_wave(caseload, limit=1, acting_user=head)
    with pytest.raises(DomainError, match="a wave is reviewed after one week"):
        do_review_wave(wave, notes="Went well", acting_user=head)
    AllocationWave.objects.filter(pk=wave.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=7),
        review_due_on=timezone.localdate(),
    )
    wave.refresh_from_db()
    do_review_wave(wave, notes="All attended; no incidents.", acting_user=head)
    second = do_allocate_wave(caseload, acting_user=head)
    assert second.number == 2
    # Wave 1 took X000002 (category 1 first by reference); wave 2 the other category 1
    # doorstep case and the category 2 one.
    assert sorted(CaseMove.objects.filter(wave=second).values_list("reference", flat=True)) == [
        "X000001",
        "X000009",
    ]


def test_no_capacity_means_no_wave(small_estate, head):
    make_case(small_estate.pdu_1, "X000001")
    with pytest.raises(DomainError, match="no face-to-face capacity that counts"):
        do_allocate_wave(small_estate.pdu_1, acting_user=head)
    assert not AllocationWave.objects.exists()


def test_another_pdus_head_may_not_make_a_wave(caseload, small_estate, person_with_role):
    other = person_with_role(Role.PDU_HEAD, small_estate.pdu_2)
    with pytest.raises(DomainError):
        do_allocate_wave(caseload, acting_user=other)


def test_the_national_allocation_makes_a_wave_for_every_free_pdu(caseload, small_estate, head):
    weekly_capacity(small_estate.office_2, 2)
    make_case(small_estate.pdu_2, "Y000001", "medium", domestic_abuse=True, mode="video")
    make_case(small_estate.pdu_2, "Y000002", "high")
    make_case(small_estate.pdu_2, "Y000003", "low")
    result = do_allocate_national(acting_user=COMMAND_LINE)
    assert result.waves == 2
    assert result.moved == 5  # PDU1: 3; PDU2: 2 (category 2 doorstep, then category 3 video)
    assert result.tasks == 10
    assert sorted(
        CaseMove.objects.filter(wave__pdu=small_estate.pdu_2).values_list("reference", flat=True)
    ) == ["Y000001", "Y000002"]
    # Again at once: both PDUs wait for their reviews, nothing moves.
    again = do_allocate_national(acting_user=COMMAND_LINE)
    assert again.waves == 0
    assert again.awaiting_review == ["PDU1", "PDU2"]

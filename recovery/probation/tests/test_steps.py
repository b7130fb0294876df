"""Which step a region or PDU is at: the pure rules (recovery.probation.steps) against dates
worked out by hand, then the same through the actions a region and the centre take."""

import datetime

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import COMMAND_LINE
from recovery.probation import queries
from recovery.probation.actions import (
    do_ask_step_change,
    do_decide_step_request,
    do_open_probation_step,
)
from recovery.probation.constants import RequestKind, RequestStatus
from recovery.probation.steps import Opening, Override, StepTimeline, national_step, unit_step

D = datetime.date
OPENINGS = (Opening(2, D(2020, 6, 29)), Opening(3, D(2020, 8, 3)))


def test_the_national_step_is_one_until_a_gateway_takes_effect():
    assert national_step((), D(2020, 9, 1)) == 1
    assert national_step(OPENINGS, D(2020, 6, 28)) == 1
    assert national_step(OPENINGS, D(2020, 6, 29)) == 2
    assert national_step(OPENINGS, D(2020, 8, 2)) == 2
    assert national_step(OPENINGS, D(2020, 8, 3)) == 3


def test_a_held_back_region_stays_when_the_country_moves_forward():
    held = (Override(2, D(2020, 7, 20), follows_parent=False),)
    t = StepTimeline(OPENINGS, held)
    assert t.step_on(D(2020, 8, 3)) == 2
    assert t.step_on(D(2021, 1, 1)) == 2
    assert t.since(D(2021, 1, 1)) == D(2020, 6, 29)  # at step 2 since the country reached it


def test_a_unit_is_never_above_its_parent():
    # Held at step 2 before the country had opened step 2: step 1 until it does.
    assert unit_step(1, (Override(2, D(2020, 6, 1), False),), D(2020, 6, 10)) == 1


def test_moving_forward_to_the_parents_step_rejoins_it():
    overrides = (
        Override(1, D(2020, 9, 1), follows_parent=False, order=1),  # stepped back to 1
        Override(2, D(2020, 10, 1), follows_parent=False, order=2),  # forward to 2, country at 3
        Override(3, D(2020, 11, 1), follows_parent=True, order=3),  # forward to 3: rejoins
    )
    t = StepTimeline(OPENINGS, overrides)
    assert [t.step_on(d) for d in (D(2020, 8, 31), D(2020, 9, 1), D(2020, 10, 1))] == [3, 1, 2]
    assert t.step_on(D(2020, 11, 1)) == 3
    assert t.since(D(2020, 12, 1)) == D(2020, 11, 1)


def test_a_pdu_moves_with_its_region_unless_held_itself():
    region_held = (Override(2, D(2020, 7, 20), False),)
    pdu_back = (Override(1, D(2020, 9, 1), False),)
    assert StepTimeline(OPENINGS, region_held, ()).step_on(D(2020, 9, 1)) == 2
    t = StepTimeline(OPENINGS, region_held, pdu_back)
    assert t.step_on(D(2020, 8, 31)) == 2
    assert t.step_on(D(2020, 9, 1)) == 1
    assert t.since(D(2020, 9, 5)) == D(2020, 9, 1)


def test_since_is_none_for_a_unit_at_step_one_from_the_start():
    assert StepTimeline(OPENINGS).since(D(2020, 6, 1)) is None


# --- Through the actions ----------------------------------------------------------------------


def _open(step: int, effect: D):
    do_open_probation_step(
        step,
        decided_on=effect - datetime.timedelta(days=20),
        reasons="Ministers agreed",
        staff_told_on=effect - datetime.timedelta(days=14),
        takes_effect_on=effect,
        acting_user=COMMAND_LINE,
    )


def _days_ago(n: int) -> D:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.mark.django_db
def test_hold_back_agreed_then_the_country_opens_step_three(small_estate, person_with_role):
    region = small_estate.region_1
    asker = person_with_role(Role.PROBATION_REGION)
    centre = person_with_role(Role.PROBATION_CENTRE)
    _open(2, D(2020, 6, 29))
    request = do_ask_step_change(
        region, kind=RequestKind.HOLD_BACK, reasons="Cases rising", acting_user=asker
    )
    assert (request.from_step, request.step, request.status) == (2, 2, RequestStatus.REQUESTED)
    do_decide_step_request(
        request,
        agree=True,
        reasons="Agreed",
        takes_effect_on=D(2020, 7, 20),
        expected_version=request.version,
        acting_user=centre,
    )
    _open(3, D(2020, 8, 3))
    assert queries.effective_step(region) == 2
    assert queries.effective_step(small_estate.region_2) == 3
    assert queries.effective_step(small_estate.pdu_1) == 2  # its PDU moves with it


@pytest.mark.django_db
def test_moving_forward_needs_two_weeks_notice_and_rejoins_the_country(
    small_estate, person_with_role
):
    region = small_estate.region_1
    asker = person_with_role(Role.PROBATION_REGION)
    _open(2, _days_ago(200))
    back = do_ask_step_change(region, kind=RequestKind.STEP_BACK, reasons="R", acting_user=asker)
    assert back.step == 1
    do_decide_step_request(
        back,
        agree=True,
        reasons="Agreed",
        takes_effect_on=_days_ago(100),
        expected_version=1,
        acting_user=COMMAND_LINE,
    )
    assert queries.effective_step(region) == 1
    forward = do_ask_step_change(
        region, kind=RequestKind.MOVE_FORWARD, reasons="Cases down", acting_user=asker
    )
    assert forward.step == 2
    with pytest.raises(DomainError, match="it would take effect 13 days later"):
        do_decide_step_request(
            forward,
            agree=True,
            reasons="Agreed",
            takes_effect_on=_days_ago(1),
            staff_told_on=_days_ago(14),
            expected_version=1,
            acting_user=COMMAND_LINE,
        )
    forward.refresh_from_db()
    assert forward.status == RequestStatus.REQUESTED  # unchanged
    decided = do_decide_step_request(
        forward,
        agree=True,
        reasons="Agreed",
        takes_effect_on=_days_ago(1),
        staff_told_on=_days_ago(15),
        expected_version=1,
        acting_user=COMMAND_LINE,
    )
    assert decided.follows_parent
    assert queries.effective_step(region) == 2


@pytest.mark.django_db
def test_requests_that_make_no_sense_are_refused(small_estate, person_with_role):
    asker = person_with_role(Role.PROBATION_REGION)
    with pytest.raises(DomainError, match="is at step 1: there is no lower step"):
        do_ask_step_change(
            small_estate.region_1, kind=RequestKind.STEP_BACK, reasons="R", acting_user=asker
        )
    with pytest.raises(DomainError, match="already at the step of the country"):
        do_ask_step_change(
            small_estate.region_1, kind=RequestKind.MOVE_FORWARD, reasons="R", acting_user=asker
        )
    do_ask_step_change(
        small_estate.pdu_1, kind=RequestKind.HOLD_BACK, reasons="R", acting_user=asker
    )
    with pytest.raises(DomainError, match="is already waiting for a decision"):
        do_ask_step_change(
            small_estate.pdu_1, kind=RequestKind.HOLD_BACK, reasons="R", acting_user=asker
        )
    with pytest.raises(DomainError, match="Give the reasons for the request"):
        do_ask_step_change(
            small_estate.region_1, kind=RequestKind.HOLD_BACK, reasons=" ", acting_user=asker
        )


@pytest.mark.django_db
def test_a_region_asks_only_for_itself_and_its_pdus(small_estate, person_with_role):
    asker = person_with_role(Role.PROBATION_REGION)
    for elsewhere in (small_estate.region_2, small_estate.pdu_2):
        with pytest.raises(NotAllowed):
            do_ask_step_change(
                elsewhere, kind=RequestKind.HOLD_BACK, reasons="R", acting_user=asker
            )
    head = person_with_role(Role.PDU_HEAD)
    with pytest.raises(NotAllowed):
        do_ask_step_change(
            small_estate.pdu_1, kind=RequestKind.HOLD_BACK, reasons="R", acting_user=head
        )


@pytest.mark.django_db
def test_a_decided_request_cannot_be_decided_again(small_estate, person_with_role):
    asker = person_with_role(Role.PROBATION_REGION)
    request = do_ask_step_change(
        small_estate.region_1, kind=RequestKind.HOLD_BACK, reasons="R", acting_user=asker
    )
    do_decide_step_request(
        request, agree=False, reasons="Not needed", expected_version=1, acting_user=COMMAND_LINE
    )
    with pytest.raises(DomainError) as refused:
        do_decide_step_request(
            request,
            agree=True,
            reasons="Changed our mind",
            takes_effect_on=D(2020, 7, 1),
            expected_version=2,
            acting_user=COMMAND_LINE,
        )
    assert refused.value.message == (
        "This request is refused: it can be agreed only when it is waiting for the Business "
        "Recovery Programme. Nothing was changed."
    )

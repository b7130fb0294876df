"""Ministers' gateway decisions and the two weeks' notice: the boundaries a person meets, with
the words they read. Government step 2 starts on 1 June 2020 and step 3 on 4 July 2020 (the
reference data of migration 0002, from Annex A of the roadmap)."""

import datetime

import pytest

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import COMMAND_LINE
from recovery.probation.actions import do_open_probation_step
from recovery.probation.models import GatewayDecision, GovernmentStep

pytestmark = pytest.mark.django_db

D = datetime.date


def open_step(step=2, *, told, effect, exceptional=False, why="", user=COMMAND_LINE):
    return do_open_probation_step(
        step,
        decided_on=D(2020, 6, 1),
        reasons="Infection rate falling",
        staff_told_on=told,
        takes_effect_on=effect,
        exceptional=exceptional,
        exceptional_reason=why,
        acting_user=user,
    )


@pytest.fixture
def nation(small_estate):
    return small_estate.nation


def test_thirteen_days_notice_is_refused_and_nothing_is_written(nation):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        open_step(told=D(2020, 6, 16), effect=D(2020, 6, 29))
    assert refused.value.message == (
        "Staff must be told at least 14 days before a move up a step takes effect: told on "
        "16 June 2020, it would take effect 13 days later, on 29 June 2020. Choose a later "
        "date, or mark it exceptional and say why"
    )
    assert not GatewayDecision.objects.exists()
    assert AuditEvent.objects.count() == events


def test_fourteen_days_notice_is_accepted(nation):
    decision = open_step(told=D(2020, 6, 15), effect=D(2020, 6, 29))
    assert (decision.step.number, decision.takes_effect_on) == (2, D(2020, 6, 29))
    assert not decision.exceptional


def test_exceptional_with_a_reason_is_accepted_with_less_notice(nation):
    decision = open_step(
        told=D(2020, 6, 26),
        effect=D(2020, 6, 29),
        exceptional=True,
        why="Court backlog needs staff in court from Monday",
    )
    assert decision.exceptional
    assert decision.exceptional_reason == "Court backlog needs staff in court from Monday"


def test_exceptional_without_a_reason_is_refused(nation):
    with pytest.raises(DomainError) as refused:
        open_step(told=D(2020, 6, 26), effect=D(2020, 6, 29), exceptional=True, why="  ")
    assert refused.value.message.startswith("Say why this is exceptional")
    assert not GatewayDecision.objects.exists()


def test_staff_told_after_it_takes_effect_is_refused(nation):
    with pytest.raises(DomainError, match="Staff must be told before the move takes effect"):
        open_step(told=D(2020, 7, 1), effect=D(2020, 6, 29), exceptional=True, why="Urgent")


def test_a_probation_step_never_starts_before_the_governments_step(nation):
    with pytest.raises(DomainError) as refused:
        open_step(told=D(2020, 5, 10), effect=D(2020, 5, 31))
    assert refused.value.message == (
        "Probation step 2 cannot take effect on 31 May 2020: the government's wider step 2 "
        "starts on 1 June 2020, and a probation step never starts before the government's "
        "wider step"
    )
    decision = open_step(told=D(2020, 5, 18), effect=D(2020, 6, 1))  # the same day: allowed
    assert decision.takes_effect_on == D(2020, 6, 1)


def test_a_step_the_government_has_not_dated_cannot_open(nation):
    GovernmentStep.objects.filter(number=2).update(starts_on=None)
    with pytest.raises(DomainError, match="The government has not set a date for its step 2"):
        open_step(told=D(2020, 6, 15), effect=D(2020, 6, 29))


def test_steps_open_one_at_a_time_and_once(nation):
    with pytest.raises(DomainError, match="The next step to open is step 2"):
        open_step(3, told=D(2020, 7, 10), effect=D(2020, 7, 30))
    open_step(2, told=D(2020, 6, 15), effect=D(2020, 6, 29))
    with pytest.raises(DomainError, match="The next step to open is step 3"):
        open_step(2, told=D(2020, 6, 15), effect=D(2020, 6, 30))
    with pytest.raises(DomainError) as refused:
        open_step(3, told=D(2020, 6, 1), effect=D(2020, 7, 1))
    assert "step 3 starts on 4 July 2020" in refused.value.message
    open_step(3, told=D(2020, 7, 17), effect=D(2020, 8, 3))
    with pytest.raises(DomainError, match="Every probation step is open"):
        open_step(3, told=D(2020, 7, 17), effect=D(2020, 8, 4))


def test_only_the_probation_centre_records_a_gateway_decision(nation, person_with_role):
    region = person_with_role(Role.PROBATION_REGION)
    with pytest.raises(NotAllowed):
        open_step(told=D(2020, 6, 15), effect=D(2020, 6, 29), user=region)
    centre = person_with_role(Role.PROBATION_CENTRE, first_name="Cora", last_name="Centre")
    decision = open_step(told=D(2020, 6, 15), effect=D(2020, 6, 29), user=centre)
    assert decision.recorded_by_name == "Cora Centre"


def test_a_government_step_cannot_move_after_the_probation_step_that_followed_it(nation):
    from recovery.probation.actions import do_update_government_step

    open_step(told=D(2020, 6, 15), effect=D(2020, 6, 29))
    government = GovernmentStep.objects.get(number=2)
    with pytest.raises(DomainError) as refused:
        do_update_government_step(
            government,
            expected_version=1,
            changes={"starts_on": D(2020, 7, 1), "summary": ""},
            acting_user=COMMAND_LINE,
        )
    assert refused.value.message == (
        "Probation step 2 took effect on 29 June 2020: the government's step 2 cannot start "
        "after it"
    )
    government.refresh_from_db()
    assert government.starts_on == D(2020, 6, 1)
    do_update_government_step(
        government,
        expected_version=1,
        changes={"starts_on": D(2020, 6, 29), "summary": "From 29 June"},
        acting_user=COMMAND_LINE,
    )
    assert GovernmentStep.objects.get(number=2).starts_on == D(2020, 6, 29)

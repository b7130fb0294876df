"""Reminders of target dates: one before the date, one when it has passed, to the person the
baseline is assigned to; never twice, never to a deactivated account, never for work done."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import NotAllowed
from recovery.core.scope import COMMAND_LINE
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for
from recovery.plans.models import ReminderSent
from recovery.plans.reminders import do_send_baseline_reminders

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def robin(person_with_role, small_estate):
    return person_with_role(
        Role.ESTABLISHMENT_EDITOR,
        small_estate.establishment_1,
        email="robin@example.test",
        first_name="Robin",
        last_name="Example",
    )


def _give(plan, number, person, target, **more):
    return answer(response_for(plan, number), assignee=person, target_date=target, **more)


def _send(days_before=7, today=TODAY, capture=None):
    with capture(execute=True):
        return do_send_baseline_reminders(
            today=today, days_before=days_before, acting_user=COMMAND_LINE
        )


def test_a_date_coming_up_and_a_date_passed_are_each_reminded_once(
    adult_plan, robin, django_capture_on_commit_callbacks
):
    _give(adult_plan, "1.1", robin, TODAY + datetime.timedelta(days=3))  # due in 3 days
    _give(adult_plan, "1.2", robin, TODAY - datetime.timedelta(days=1))  # passed yesterday
    _give(adult_plan, "2.1", robin, TODAY + datetime.timedelta(days=30))  # not yet
    mail.outbox.clear()

    report = _send(capture=django_capture_on_commit_callbacks)

    assert (report.due_soon, report.overdue) == (1, 1)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Due in 3 days: EDM 901 baseline 1.1 at HMP Ashgrove",
        "Overdue: EDM 901 baseline 1.2 at HMP Ashgrove (target date 4 December 2026)",
    ]
    assert all(m.to == ["robin@example.test"] for m in mail.outbox)
    assert AuditEvent.objects.filter(action="plans.send_reminder").count() == 2

    again = _send(capture=django_capture_on_commit_callbacks)
    assert (again.due_soon, again.overdue) == (0, 0)
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_a_new_target_date_gets_its_own_reminder(
    adult_plan, robin, django_capture_on_commit_callbacks
):
    response = _give(adult_plan, "1.1", robin, TODAY + datetime.timedelta(days=2))
    _send(capture=django_capture_on_commit_callbacks)
    answer(response, target_date=TODAY + datetime.timedelta(days=5))
    mail.outbox.clear()

    report = _send(capture=django_capture_on_commit_callbacks)

    assert report.due_soon == 1
    assert [m.subject for m in mail.outbox] == [
        "Due in 5 days: EDM 901 baseline 1.1 at HMP Ashgrove"
    ]


def test_nothing_for_work_done_or_a_deactivated_account(
    adult_plan, robin, django_capture_on_commit_callbacks
):
    _give(adult_plan, "2.1", robin, TODAY - datetime.timedelta(days=1), status=ResponseStatus.MET)
    mail.outbox.clear()
    assert _send(capture=django_capture_on_commit_callbacks).overdue == 0  # done: no reminder

    _give(adult_plan, "2.2", robin, TODAY - datetime.timedelta(days=1))
    robin.is_active = False
    robin.save()
    assert _send(capture=django_capture_on_commit_callbacks).overdue == 0  # deactivated
    assert mail.outbox == []


def test_only_the_system_or_an_administrator_sends_them(adult_plan, robin):
    with pytest.raises(NotAllowed):
        do_send_baseline_reminders(today=TODAY, acting_user=robin)


def test_the_command_says_what_it_sent(adult_plan, robin, capsys):
    call_command("send_baseline_reminders", "--days-before", "10000")
    assert "Sent 0 reminder(s) of a target date coming up, 0 of a target date passed." in (
        capsys.readouterr().out
    )

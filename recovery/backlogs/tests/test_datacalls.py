"""Data calls: sent to the establishments chosen, who has answered, the live national total,
reminders recorded and never twice a day, closing, and the establishment's home page."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.backlogs import factories
from recovery.backlogs.constants import DataCallStatus, MetricUnit
from recovery.backlogs.datacalls import (
    answers,
    chosen_establishments,
    do_close_data_call,
    do_create_data_call,
    do_remind_data_call,
    live_totals,
    open_calls_for,
)
from recovery.backlogs.models import DataCall, DataCallReminder
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.estate.constants import EstablishmentType
from recovery.estate.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2026, 10, 5)


@pytest.fixture
def centre(person_with_role):
    return person_with_role(Role.CENTRAL_PANEL, first_name="Cleo", last_name="Centre")


@pytest.fixture
def metrics(db):
    return [
        factories.metric(name="Parole reports outstanding", unit=MetricUnit.CASES),
        factories.metric(name="HDC cases outstanding", unit=MetricUnit.CASES),
    ]


def _call(small_estate, chosen, centre, **fields):
    defaults = {
        "title": "Offender management backlog",
        "period_start": PERIOD,
        "deadline": timezone.now() + datetime.timedelta(days=7),
        "metrics": chosen,
        "establishments": [small_estate.establishment_1, small_estate.establishment_2],
        "acting_user": centre,
    }
    defaults.update(fields)
    return do_create_data_call(**defaults)


def test_an_establishment_has_answered_when_every_metric_is_in(small_estate, metrics, centre):
    parole, hdc = metrics
    factories.series(small_estate.establishment_1, parole, {PERIOD: 12})
    factories.series(small_estate.establishment_1, hdc, {PERIOD: 3})
    factories.series(small_estate.establishment_2, parole, {PERIOD: 8})  # HDC missing
    call = _call(small_estate, metrics, centre)

    rows = {a.establishment.code: a for a in answers(call)}

    assert rows["EST1"].answered is True
    assert rows["EST2"].answered is False
    assert (rows["EST2"].given, rows["EST2"].asked) == (1, 2)
    # Not answered first.
    assert [a.establishment.code for a in answers(call)] == ["EST2", "EST1"]


def test_a_value_of_another_period_does_not_answer(small_estate, metrics, centre):
    for metric in metrics:
        factories.series(small_estate.establishment_1, metric, {PERIOD - datetime.timedelta(7): 1})
    call = _call(small_estate, metrics, centre)

    assert {a.establishment.code: a.answered for a in answers(call)}["EST1"] is False


def test_the_national_total_moves_as_returns_land(small_estate, metrics, centre):
    parole, _ = metrics
    call = _call(small_estate, metrics, centre)
    totals = {t.metric.pk: t.figure for t in live_totals(call)}
    assert totals[parole.pk].value is None
    assert totals[parole.pk].reporting == 0

    factories.series(small_estate.establishment_1, parole, {PERIOD: 12})
    factories.series(small_estate.establishment_2, parole, {PERIOD: 8})

    totals = {t.metric.pk: t.figure for t in live_totals(call)}
    assert totals[parole.pk].value == 20
    assert (totals[parole.pk].reporting, totals[parole.pk].expected) == (2, 2)


def test_reminders_go_to_the_governor_and_editors_of_those_who_have_not_answered(
    small_estate, metrics, centre, person_with_role
):
    for metric in metrics:
        factories.series(small_estate.establishment_1, metric, {PERIOD: 5})
    governor = person_with_role(Role.GOVERNOR, small_estate.establishment_2, email="gov@b.test")
    editor = person_with_role(
        Role.ESTABLISHMENT_EDITOR, small_estate.establishment_2, email="ed@b.test"
    )
    person_with_role(Role.TRADE_UNION_REP, small_estate.establishment_2, email="tu@b.test")
    person_with_role(Role.GOVERNOR, small_estate.establishment_1, email="gov@a.test")
    call = _call(small_estate, metrics, centre)

    with TestCase.captureOnCommitCallbacks(execute=True):
        reminded = do_remind_data_call(call, acting_user=centre)

    assert [e.code for e in reminded.establishments] == ["EST2"]
    assert sorted(m.to[0] for m in mail.outbox) == [editor.email, governor.email]
    assert "Offender management backlog" in mail.outbox[0].subject
    assert f"/backlogs/EST2/returns/{PERIOD.isoformat()}/" in mail.outbox[0].body
    reminder = DataCallReminder.objects.get()
    assert (reminder.establishment, reminder.sent_by) == (small_estate.establishment_2, centre)


def test_an_establishment_is_not_reminded_twice_within_a_day(small_estate, metrics, centre):
    call = _call(small_estate, metrics, centre)
    first = do_remind_data_call(call, acting_user=centre)
    assert len(first.establishments) == 2

    again = do_remind_data_call(call, acting_user=centre)

    assert again.establishments == []
    assert sorted(e.code for e in again.skipped) == ["EST1", "EST2"]
    assert DataCallReminder.objects.count() == 2
    assert again.describe() == (
        "Every establishment yet to answer was reminded within the last day"
    )


def test_a_day_later_it_is_reminded_again(small_estate, metrics, centre):
    call = _call(small_estate, metrics, centre)
    do_remind_data_call(call, acting_user=centre)
    DataCallReminder.objects.update(
        sent_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )

    again = do_remind_data_call(call, acting_user=centre)

    assert len(again.establishments) == 2
    assert DataCallReminder.objects.count() == 4


def test_closing_a_call_ends_reminders_and_takes_it_off_home_pages(small_estate, metrics, centre):
    call = _call(small_estate, metrics, centre)
    assert [c.data_call for c in open_calls_for(small_estate.establishment_1)] == [call]

    closed = do_close_data_call(call, acting_user=centre)

    assert closed.status == DataCallStatus.CLOSED
    assert open_calls_for(small_estate.establishment_1) == []
    with pytest.raises(DomainError, match="closed"):
        do_remind_data_call(closed, acting_user=centre)
    with pytest.raises(DomainError, match="only when it is open"):
        do_close_data_call(closed, acting_user=centre)


@pytest.mark.parametrize("role", [Role.PGD, Role.VIEWER, Role.GOVERNOR, Role.FRAMEWORK_AUTHOR])
def test_only_the_central_panel_sends_a_data_call(small_estate, metrics, person_with_role, role):
    with pytest.raises(NotAllowed):
        _call(small_estate, metrics, person_with_role(role))
    assert not DataCall.objects.exists()
    assert not AuditEvent.objects.filter(action="backlogs.create_data_call").exists()


def test_establishments_are_chosen_by_group_and_type(small_estate):
    yoi = EstablishmentFactory(
        parent=small_estate.group_2, establishment_type=EstablishmentType.YCS_YOI
    )

    assert chosen_establishments() == sorted(
        [small_estate.establishment_1, small_estate.establishment_2, yoi], key=lambda e: e.name
    )
    assert chosen_establishments(groups=["GRP1"]) == [small_estate.establishment_1]
    assert chosen_establishments(types=[EstablishmentType.YCS_YOI]) == [yoi]
    assert chosen_establishments(groups=["GRP1"], types=[EstablishmentType.YCS_YOI]) == []


def test_an_establishment_whose_type_reports_none_of_the_metrics_is_not_asked(small_estate, centre):
    only_yoi = factories.metric(establishment_types=[EstablishmentType.YCS_YOI])
    yoi = EstablishmentFactory(
        parent=small_estate.group_2, establishment_type=EstablishmentType.YCS_YOI
    )

    call = _call(
        small_estate,
        [only_yoi],
        centre,
        establishments=[small_estate.establishment_1, yoi],
    )

    assert list(call.establishments.all()) == [yoi]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "Enter a title"),
        ({"period_start": datetime.date(2099, 1, 5)}, "The period must have started"),
        ({"deadline": timezone.now() - datetime.timedelta(days=2)}, "The deadline must be"),
        ({"metrics": []}, "Choose at least one metric"),
        ({"establishments": []}, "No open establishment matches"),
    ],
)
def test_a_data_call_that_cannot_be_sent_is_refused(small_estate, metrics, centre, fields, message):
    with pytest.raises(DomainError, match=message):
        _call(small_estate, metrics, centre, **fields)
    assert not DataCall.objects.exists()


def test_the_home_page_lists_open_data_calls_with_deadline_and_return_link(
    client, small_estate, metrics, centre, person_with_role
):
    call = _call(small_estate, metrics, centre, title="Weekly return: October")
    _call(small_estate, metrics, centre, title="Closed one")
    do_close_data_call(DataCall.objects.get(title="Closed one"), acting_user=centre)
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_1)
    client.force_login(editor)

    body = client.get("/").content.decode()

    assert "Weekly return: October" in body
    assert "Closed one" not in body
    assert f"/backlogs/EST1/returns/{PERIOD.isoformat()}/" in body
    assert timezone.localtime(call.deadline).strftime("%-d %B %Y") in body
    assert "Not answered" in body


def test_the_trade_union_rep_home_page_has_no_data_calls(
    client, small_estate, metrics, centre, person_with_role
):
    _call(small_estate, metrics, centre, title="Weekly return: October")
    client.force_login(person_with_role(Role.TRADE_UNION_REP, small_estate.establishment_1))

    assert "Weekly return: October" not in client.get("/").content.decode()

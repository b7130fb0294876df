"""Releases: figures frozen when published, revised figures in a later release, the publisher
safe to run twice, small numbers suppressed, and past releases read in a bounded number of
queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.backlogs import factories
from recovery.backlogs.constants import Aggregation, MetricUnit
from recovery.backlogs.models import Release, ReleaseFigure, ReturnSettings, ReturnValue
from recovery.backlogs.releases import (
    do_publish_release,
    due_periods,
    figures_as_at,
    latest_release,
    release_time,
    suppress,
)
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import COMMAND_LINE

pytestmark = pytest.mark.django_db

W1 = datetime.date(2026, 10, 5)  # Mondays: periods of the default settings
W2 = datetime.date(2026, 10, 12)
W3 = datetime.date(2026, 10, 19)


def correct(establishment, metric, period, value):
    """A correction as the returns door makes it: a new current revision, the old one kept."""
    old = ReturnValue.objects.get(
        establishment=establishment, metric=metric, period_start=period, current=True
    )
    ReturnValue.objects.filter(pk=old.pk).update(current=False)
    return ReturnValue.objects.create(
        return_record=old.return_record,
        establishment=establishment,
        metric=metric,
        period_start=period,
        value=Decimal(value),
        revision=old.revision + 1,
        entered_at=timezone.now(),
        entered_by_name="Test correction",
    )


@pytest.fixture
def figures(small_estate):
    """Parole reports outstanding at two prisons of two groups, for three weeks."""
    metric = factories.metric(name="Parole reports outstanding", unit=MetricUnit.CASES)
    factories.series(small_estate.establishment_1, metric, {W1: 30, W2: 28, W3: 25})
    factories.series(small_estate.establishment_2, metric, {W1: 12, W2: 11, W3: 9})
    return metric


def test_a_release_freezes_national_and_group_figures(small_estate, figures):
    release = do_publish_release(W1, acting_user=COMMAND_LINE)

    assert release.number == 1
    national = figures_as_at(release, small_estate.nation, [figures], [W1])
    group_1 = figures_as_at(release, small_estate.group_1, [figures], [W1])
    group_2 = figures_as_at(release, small_estate.group_2, [figures], [W1])
    assert national[(figures.pk, W1)].value == Decimal(42)
    assert national[(figures.pk, W1)].reporting == 2
    assert group_1[(figures.pk, W1)].value == Decimal(30)
    assert group_2[(figures.pk, W1)].value == Decimal(12)
    event = AuditEvent.objects.get(action="backlogs.publish_release")
    assert event.actor_name == "System (command line)"
    assert event.after["number"] == 1


def test_a_correction_after_a_release_leaves_it_unchanged_and_the_next_shows_it_revised(
    small_estate, figures
):
    first = do_publish_release(W1, acting_user=COMMAND_LINE)
    correct(small_estate.establishment_1, figures, W1, "35")

    # The first release still says what it said.
    assert figures_as_at(first, small_estate.nation, [figures], [W1])[(figures.pk, W1)].value == 42

    second = do_publish_release(W2, acting_user=COMMAND_LINE)

    as_at_second = figures_as_at(second, small_estate.nation, [figures], [W1, W2])
    assert as_at_second[(figures.pk, W1)].value == Decimal(47)  # 35 + 12
    assert as_at_second[(figures.pk, W1)].revised is True
    assert as_at_second[(figures.pk, W2)].value == Decimal(39)  # 28 + 11
    assert as_at_second[(figures.pk, W2)].revised is False
    # Still frozen: the first release reads the same after the second.
    assert figures_as_at(first, small_estate.nation, [figures], [W1])[(figures.pk, W1)].value == 42
    # Only the changed figures were stored again: the nation and group 1, not group 2.
    revised = ReleaseFigure.objects.filter(release=second, revised=True)
    assert sorted(r.unit.code for r in revised) == sorted(
        [small_estate.nation.code, small_estate.group_1.code]
    )


def test_an_unchanged_earlier_period_is_not_published_again(small_estate, figures):
    do_publish_release(W1, acting_user=COMMAND_LINE)
    second = do_publish_release(W2, acting_user=COMMAND_LINE)

    assert not ReleaseFigure.objects.filter(release=second, revised=True).exists()
    periods = ReleaseFigure.objects.filter(release=second).values_list("period_start", flat=True)
    assert set(periods) == {W2}


def test_a_period_is_released_once(small_estate, figures):
    do_publish_release(W1, acting_user=COMMAND_LINE)

    with pytest.raises(DomainError, match="already released"):
        do_publish_release(W1, acting_user=COMMAND_LINE)
    assert Release.objects.count() == 1


def test_only_the_service_or_the_central_panel_publishes(small_estate, figures, person_with_role):
    with pytest.raises(NotAllowed):
        do_publish_release(W1, acting_user=person_with_role(Role.PGD))
    assert not Release.objects.exists()


def test_a_release_is_due_after_the_deadline_and_the_delay():
    settings = ReturnSettings(deadline_days=3, release_delay_hours=24)
    # W1 runs Monday 5 to Sunday 11 October; due Wednesday 14; released 24 hours after the
    # end of that day: midnight at the end of Thursday 15 October (local time).
    expected = timezone.make_aware(datetime.datetime(2026, 10, 16, 0, 0))
    assert release_time(W1, settings) == expected


def test_due_periods_start_at_the_first_return_and_end_at_the_latest_due(small_estate, figures):
    now = timezone.make_aware(datetime.datetime(2026, 10, 23, 1, 0))  # W2 due 23 Oct 00:00

    assert due_periods(now) == [W1, W2]
    just_before = timezone.make_aware(datetime.datetime(2026, 10, 22, 23, 59))
    assert due_periods(just_before) == [W1]


def test_publishing_due_releases_twice_publishes_each_period_once(small_estate, figures):
    now = timezone.make_aware(datetime.datetime(2026, 10, 23, 1, 0))

    call_command("publish_due_releases", now=now.isoformat())
    call_command("publish_due_releases", now=now.isoformat())

    assert list(Release.objects.order_by("number").values_list("number", "period_start")) == [
        (1, W1),
        (2, W2),
    ]
    assert AuditEvent.objects.filter(action="backlogs.publish_release").count() == 2
    assert latest_release().number == 2


def test_reading_a_release_takes_one_query_whatever_the_number_of_releases(
    small_estate, figures, django_assert_num_queries
):
    other = factories.metric(name="HDC cases outstanding")
    factories.series(small_estate.establishment_1, other, {W1: 5, W2: 6, W3: 7})
    for period in (W1, W2, W3):
        do_publish_release(period, acting_user=COMMAND_LINE)
        correct(small_estate.establishment_2, figures, W1, str(20 + period.day))
    release = latest_release()

    with django_assert_num_queries(1):
        found = figures_as_at(release, small_estate.nation, [figures, other], [W1, W2, W3])

    assert len(found) == 6
    # W1 was corrected after each release: the third release re-published it with 30 + 31.
    assert found[(figures.pk, W1)].value == Decimal(30 + 20 + W2.day)
    assert found[(figures.pk, W1)].release_number == 3


# --- Suppression ---------------------------------------------------------------------------


@pytest.fixture
def counted(db):
    return factories.metric(unit=MetricUnit.PEOPLE)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal(0), Decimal(0)),
        (Decimal(1), "fewer than 5"),
        (Decimal(4), "fewer than 5"),
        (Decimal(5), Decimal(5)),
        (Decimal(120), Decimal(120)),
        (None, None),
    ],
)
def test_counts_from_one_to_threshold_minus_one_are_suppressed(counted, value, shown):
    assert suppress(value, counted, ReturnSettings(suppression_threshold=5)) == shown


def test_a_threshold_of_zero_switches_suppression_off(counted):
    assert suppress(Decimal(1), counted, ReturnSettings(suppression_threshold=0)) == Decimal(1)


def test_the_threshold_is_the_centres_setting(counted):
    settings = ReturnSettings(suppression_threshold=10)
    assert suppress(Decimal(9), counted, settings) == "fewer than 10"
    assert suppress(Decimal(10), counted, settings) == Decimal(10)


@pytest.mark.parametrize(
    "fields",
    [
        {"unit": MetricUnit.HOURS},
        {"unit": MetricUnit.DAYS},
        {"unit": MetricUnit.PERCENT, "aggregation": Aggregation.WEIGHTED_MEAN},
        {"unit": MetricUnit.PEOPLE, "aggregation": Aggregation.WEIGHTED_MEAN},
    ],
)
def test_hours_days_percentages_and_means_are_never_suppressed(db, fields):
    metric = factories.metric(**fields)
    assert suppress(Decimal(2), metric, ReturnSettings(suppression_threshold=5)) == Decimal(2)


def test_a_release_records_what_the_rule_suppressed(small_estate):
    metric = factories.metric(unit=MetricUnit.PEOPLE)
    factories.series(small_estate.establishment_1, metric, {W1: 3})
    factories.series(small_estate.establishment_2, metric, {W1: 4})

    release = do_publish_release(W1, acting_user=COMMAND_LINE)

    by_unit = {f.unit_id: f for f in ReleaseFigure.objects.filter(release=release, metric=metric)}
    assert by_unit[small_estate.group_1.pk].suppressed is True  # 3
    assert by_unit[small_estate.nation.pk].suppressed is False  # 7

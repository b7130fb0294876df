"""National and group figures against sums and means worked out by hand: totals of counts,
means weighted by the weight metric, plain means, how many establishments reported of how many
are expected, closed establishments left out, corrected values counted once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from recovery.backlogs import factories
from recovery.backlogs.aggregates import NATION, Figure, aggregate
from recovery.backlogs.constants import Aggregation, MetricUnit
from recovery.backlogs.models import ReturnValue
from recovery.estate.constants import EstablishmentStatus, EstablishmentType
from recovery.estate.factories import EstablishmentFactory, NationFactory, PrisonGroupFactory

W1 = datetime.date(2026, 11, 2)
W2 = datetime.date(2026, 11, 9)


@pytest.fixture
def estate(db):
    """Two groups: North (A, B, a closed C) and South (D, an open prison E)."""
    nation = NationFactory()
    north = PrisonGroupFactory(parent=nation, code="NORTH", name="North group")
    south = PrisonGroupFactory(parent=nation, code="SOUTH", name="South group")
    a = EstablishmentFactory(parent=north, code="A", name="HMP A")
    b = EstablishmentFactory(parent=north, code="B", name="HMP B")
    c = EstablishmentFactory(
        parent=north, code="C", name="HMP C", status=EstablishmentStatus.CLOSED
    )
    d = EstablishmentFactory(parent=south, code="D", name="HMP D")
    e = EstablishmentFactory(
        parent=south, code="E", name="HMP E", establishment_type=EstablishmentType.OPEN
    )
    return dict(north=north, south=south, a=a, b=b, c=c, d=d, e=e)


def test_counts_are_summed_for_the_nation_and_each_group(estate):
    cases = factories.metric(unit=MetricUnit.CASES)
    for site, (w1, w2) in {"a": (10, 12), "b": (5, 4), "c": (100, 100), "d": (7, 1)}.items():
        factories.series(estate[site], cases, {W1: w1, W2: w2})
    # E reports only the second week.
    factories.series(estate["e"], cases, {W2: 3})

    figures = aggregate([cases], [W1, W2], groups=True)

    north, south = estate["north"].pk, estate["south"].pk
    # Nation, week 1: A 10 + B 5 + D 7 = 22 (C is closed); 3 of the 4 open reported.
    assert figures[(cases.pk, NATION, W1)] == Figure(Decimal("22"), 3, 4)
    # Week 2: 12 + 4 + 1 + 3 = 20, all 4.
    assert figures[(cases.pk, NATION, W2)] == Figure(Decimal("20"), 4, 4)
    assert figures[(cases.pk, north, W1)] == Figure(Decimal("15"), 2, 2)
    assert figures[(cases.pk, south, W1)] == Figure(Decimal("7"), 1, 2)
    assert figures[(cases.pk, south, W2)] == Figure(Decimal("4"), 2, 2)


def test_a_mean_is_weighted_by_the_weight_metric_at_the_same_establishment_and_period(estate):
    staff = factories.metric(unit=MetricUnit.PEOPLE, name="Staff in post")
    leave = factories.metric(
        unit=MetricUnit.HOURS,
        aggregation=Aggregation.WEIGHTED_MEAN,
        weight_metric=staff,
        name="Leave carried over per person",
    )
    factories.series(estate["a"], staff, {W1: 100, W2: 300})
    factories.series(estate["a"], leave, {W1: 10, W2: 20})
    factories.series(estate["b"], staff, {W1: 300, W2: 100})
    factories.series(estate["b"], leave, {W1: 30, W2: Decimal("40.5")})
    # D reports leave but no staff in week 1: left out that week.
    factories.series(estate["d"], leave, {W1: 1000, W2: 5})
    factories.series(estate["d"], staff, {W2: 100})

    figures = aggregate([leave], [W1, W2], groups=True)

    # Week 1: (10 x 100 + 30 x 300) / (100 + 300) = 10,000 / 400 = 25.00 (a plain mean: 20).
    assert figures[(leave.pk, NATION, W1)] == Figure(Decimal("25.00"), 2, 4)
    # Week 2: (20 x 300 + 40.5 x 100 + 5 x 100) / 500 = 10,550 / 500 = 21.10.
    assert figures[(leave.pk, NATION, W2)] == Figure(Decimal("21.10"), 3, 4)
    # North, week 2: (6,000 + 4,050) / 400 = 25.125: 25.13, rounded half up as by hand.
    assert figures[(leave.pk, estate["north"].pk, W2)] == Figure(Decimal("25.13"), 2, 2)
    assert figures[(leave.pk, estate["south"].pk, W2)] == Figure(Decimal("5.00"), 1, 2)


def test_a_mean_without_a_weight_is_the_plain_mean_of_establishments(estate):
    percent = factories.metric(
        unit=MetricUnit.PERCENT, aggregation=Aggregation.WEIGHTED_MEAN, name="Regime delivered"
    )
    factories.series(estate["a"], percent, {W1: 90})
    factories.series(estate["b"], percent, {W1: 60})
    factories.series(estate["d"], percent, {W1: 70})

    figures = aggregate([percent], [W1])

    # (90 + 60 + 70) / 3 = 73.33...
    assert figures[(percent.pk, NATION, W1)] == Figure(Decimal("73.33"), 3, 4)


def test_only_establishment_types_that_report_a_metric_are_expected(estate):
    closed_only = factories.metric(establishment_types=[EstablishmentType.OPEN])
    factories.series(estate["e"], closed_only, {W1: 8})

    figures = aggregate([closed_only], [W1], groups=True)

    assert figures[(closed_only.pk, NATION, W1)] == Figure(Decimal("8"), 1, 1)
    assert figures[(closed_only.pk, estate["north"].pk, W1)] == Figure(None, 0, 0)


def test_nobody_reporting_is_no_figure_not_zero(estate):
    cases = factories.metric()
    assert aggregate([cases], [W1])[(cases.pk, NATION, W1)] == Figure(None, 0, 4)


def test_a_corrected_value_counts_once_at_its_latest_revision(estate):
    cases = factories.metric()
    (first,) = factories.series(estate["a"], cases, {W1: 10})
    ReturnValue.objects.filter(pk=first.pk).update(current=False)
    ReturnValue.objects.create(
        return_record=first.return_record,
        establishment=estate["a"],
        metric=cases,
        period_start=W1,
        value=Decimal("13"),
        revision=2,
        entered_at=timezone.now(),
    )
    factories.series(estate["b"], cases, {W1: 1})

    assert aggregate([cases], [W1])[(cases.pk, NATION, W1)] == Figure(Decimal("14"), 2, 4)


def test_the_estate_can_be_limited_to_some_establishments(estate):
    cases = factories.metric()
    staff = factories.metric()
    mean = factories.metric(aggregation=Aggregation.WEIGHTED_MEAN, weight_metric=staff)
    for site, value in {"a": 1, "b": 2, "d": 4}.items():
        factories.series(estate[site], cases, {W1: value})
        factories.series(estate[site], staff, {W1: 10})
        factories.series(estate[site], mean, {W1: value * 10})

    figures = aggregate([cases, mean], [W1], establishments=[estate["a"].pk, estate["d"].pk])

    assert figures[(cases.pk, NATION, W1)] == Figure(Decimal("5"), 2, 2)
    # (10 x 10 + 40 x 10) / 20 = 25.
    assert figures[(mean.pk, NATION, W1)] == Figure(Decimal("25.00"), 2, 2)


def test_closed_establishments_leave_weighted_means_too(estate):
    staff = factories.metric()
    mean = factories.metric(aggregation=Aggregation.WEIGHTED_MEAN, weight_metric=staff)
    for site, value in {"a": 10, "c": 1000}.items():
        factories.series(estate[site], staff, {W1: 5})
        factories.series(estate[site], mean, {W1: value})

    assert aggregate([mean], [W1])[(mean.pk, NATION, W1)] == Figure(Decimal("10.00"), 1, 4)


def test_the_query_count_is_fixed_whatever_the_estate(estate, django_assert_max_num_queries):
    staff = factories.metric()
    metrics = [
        factories.metric(),
        factories.metric(aggregation=Aggregation.WEIGHTED_MEAN),
        factories.metric(aggregation=Aggregation.WEIGHTED_MEAN, weight_metric=staff),
    ]
    for index in range(30):
        site = EstablishmentFactory(parent=estate["south"] if index % 2 else estate["north"])
        for metric in [staff, *metrics]:
            factories.series(site, metric, {W1: index + 1, W2: index + 2})

    with django_assert_max_num_queries(3):
        figures = aggregate(metrics, [W1, W2], groups=True)
    # 30 new sites: values 1..30 in week 1; summed: 465.
    assert figures[(metrics[0].pk, NATION, W1)] == Figure(Decimal("465"), 30, 34)

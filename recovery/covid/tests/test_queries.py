"""What other apps read: who was in outbreak on a date, counts in a fixed number of queries, and
one establishment's controls."""

import datetime

import pytest

from recovery.core.scope import TEST_DATA
from recovery.covid.actions import PpeCount, do_set_ppe_stock
from recovery.covid.factories import declare, ended
from recovery.covid.queries import controls_of, in_outbreak_ids, outbreak_counts
from recovery.estate.factories import EstablishmentFactory
from recovery.estate.models import Establishment

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def register(small_estate):
    """Ashgrove: ended outbreak 1-20 March 2021, open one from 1 May 2021.
    Birchwood: open since 10 March 2021. A third prison in group 1: never in outbreak."""
    ashgrove, birchwood = small_estate.establishment_1, small_estate.establishment_2
    EstablishmentFactory(parent=small_estate.group_1, code="EST3", name="HMP Cedars")
    ended(ashgrove, D(2021, 3, 1), D(2021, 3, 20))
    declare(ashgrove, D(2021, 5, 1))
    declare(birchwood, D(2021, 3, 10))
    return small_estate


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2021, 2, 28), set()),  # before anything
        (D(2021, 3, 1), {"EST1"}),  # declared that day
        (D(2021, 3, 10), {"EST1", "EST2"}),
        (D(2021, 3, 19), {"EST1", "EST2"}),
        (D(2021, 3, 20), {"EST2"}),  # the end date is the first day out of outbreak
        (D(2021, 4, 30), {"EST2"}),
        (D(2021, 5, 1), {"EST1", "EST2"}),
    ],
)
def test_in_outbreak_on_a_date(register, day, expected):
    ids = in_outbreak_ids(on=day)

    assert set(Establishment.objects.filter(pk__in=ids).values_list("code", flat=True)) == expected


def test_counts_by_group_on_a_date(register):
    counts = outbreak_counts(Establishment.objects.all(), on=D(2021, 3, 15))

    assert counts.establishments == 3
    assert counts.in_outbreak == 2
    assert counts.by_group == {register.group_1.pk: 1, register.group_2.pk: 1}


def test_counts_of_a_group_only(register):
    counts = outbreak_counts(
        Establishment.objects.filter(parent=register.group_1), on=D(2021, 4, 1)
    )

    assert (counts.establishments, counts.in_outbreak) == (2, 0)


def test_counts_take_the_same_queries_for_more_establishments(register, django_assert_num_queries):
    with django_assert_num_queries(2):
        outbreak_counts(Establishment.objects.all(), on=D(2021, 3, 15))
    for n in range(20):
        site = EstablishmentFactory(parent=register.group_2, code=f"X{n:02d}")
        declare(site, D(2021, 3, 1))
    with django_assert_num_queries(2):
        counts = outbreak_counts(Establishment.objects.all(), on=D(2021, 3, 15))
    with django_assert_num_queries(1):
        in_outbreak_ids(on=D(2021, 3, 15))
    assert counts.in_outbreak == 22


def test_controls_of_an_establishment(register):
    ashgrove = register.establishment_1
    do_set_ppe_stock(
        ashgrove,
        [PpeCount("gloves", 300, 500), PpeCount("aprons", 90, 80)],
        acting_user=TEST_DATA,
    )

    picture = controls_of(ashgrove)

    assert picture.open_outbreak.declared_on == D(2021, 5, 1)
    assert [o.declared_on for o in picture.outbreaks] == [D(2021, 5, 1), D(2021, 3, 1)]
    assert [(p.item, p.in_stock, p.needed, p.short_by) for p in picture.ppe_short] == [
        ("gloves", 300, 500, 200)
    ]
    assert len(picture.ppe_not_counted) == 5
    assert picture.coverage.staff_tested is None
    assert picture.contingency_plan_reviewed_on is None


def test_controls_and_list_rows_take_fixed_queries(register, django_assert_num_queries):
    from recovery.covid.queries import covid_rows

    with django_assert_num_queries(3):
        controls_of(register.establishment_1)
    few = list(Establishment.objects.select_related("parent"))
    with django_assert_num_queries(3):
        covid_rows(few)
    for n in range(15):
        declare(EstablishmentFactory(parent=register.group_1, code=f"Y{n:02d}"), D(2021, 3, 1))
    many = list(Establishment.objects.select_related("parent"))
    with django_assert_num_queries(3):
        rows = covid_rows(many)
    assert sum(1 for r in rows if r.open_outbreak_declared_on) == 17

"""Sequencing by weighting and weighted progress."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from recovery.plans.constants import ResponseStatus, Sequence
from recovery.plans.progress import Item, progress_of, sequence_of

NS, IP, MET, NA = (
    ResponseStatus.NOT_STARTED,
    ResponseStatus.IN_PROGRESS,
    ResponseStatus.MET,
    ResponseStatus.NOT_APPLICABLE,
)

items_strategy = st.lists(
    st.builds(
        Item,
        edm=st.sampled_from([18, 901, 902]),
        weighting=st.integers(min_value=1, max_value=3),
        mandatory=st.booleans(),
        status=st.sampled_from(ResponseStatus.values),
        target_date=st.none() | st.dates(),
    ),
    max_size=60,
)


@given(items_strategy)
def test_progress_is_between_nought_and_one(items):
    for mandatory in (None, True, False):
        fraction = progress_of(items, mandatory=mandatory).fraction
        assert fraction is None or 0 <= fraction <= 1


@given(items_strategy)
def test_all_met_is_complete(items):
    met = [Item(i.edm, i.weighting, i.mandatory, MET) for i in items]
    progress = progress_of(met)
    assert progress.fraction == (1 if met else None)


@given(items_strategy)
def test_mandatory_and_desirable_add_up_to_the_whole(items):
    assert progress_of(items, mandatory=True) + progress_of(items, mandatory=False) == (
        progress_of(items)
    )


def test_progress_is_weighted_not_counted():
    items = [Item(1, 3, True, MET), Item(1, 1, True, NS), Item(1, 2, False, NA)]
    progress = progress_of(items)
    assert (progress.met_weight, progress.applicable_weight, progress.percent) == (3, 4, 75)


def test_weight_two_and_one_wait_on_the_precursors_of_their_own_edm():
    items = [
        Item(18, 3, True, IP),
        Item(18, 2, True, NS),
        Item(18, 1, True, IP),
        Item(901, 3, True, MET),
        Item(901, 2, True, NS),
        Item(901, 1, True, NS),
    ]
    assert sequence_of(items) == [
        Sequence.NEXT,
        Sequence.WAITING,
        Sequence.WAITING,
        Sequence.DONE,
        Sequence.NEXT,
        Sequence.LATER,
    ]


def test_precursor_not_applicable_releases_the_others():
    items = [Item(1, 3, False, NA), Item(1, 1, True, NS)]
    assert sequence_of(items) == [Sequence.DONE, Sequence.NEXT]


def test_overdue_only_when_not_done():
    today = datetime.date(2021, 3, 1)
    late = datetime.date(2021, 2, 1)
    assert Item(1, 3, True, IP, late).overdue(today)
    assert not Item(1, 3, True, MET, late).overdue(today)
    assert not Item(1, 3, True, IP, today).overdue(today)

"""Percentages round half up, as people round by hand. Expected values worked out by hand."""

import pytest

from recovery.core.numbers import percent


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (2, 12, 17),  # 16.67%
        (1, 8, 13),  # 12.5%: half up (Python's round gives 12)
        (3, 8, 38),  # 37.5%: half up (round gives 38 too, by going to even)
        (1, 200, 1),  # 0.5%
        (1, 201, 0),  # 0.4975%
        (1, 3, 33),  # 33.33%
        (2, 3, 67),  # 66.67%
        (199, 200, 100),  # 99.5%
        (397, 400, 99),  # 99.25%
        (0, 5, 0),
        (5, 5, 100),
        (550, 600, 92),  # 91.67%
        (1300, 1000, 130),  # over capacity
    ],
)
def test_percentages_round_half_up(part, whole, expected):
    assert percent(part, whole) == expected


def test_nothing_to_count_has_no_percentage():
    assert percent(0, 0) is None


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        percent(-1, 4)

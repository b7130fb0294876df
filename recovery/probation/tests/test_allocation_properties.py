"""The order of allocation, as properties over any caseload and capacity (hypothesis), and the
roadmap's table of categories written out by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery.probation.allocation import plan_wave
from recovery.probation.caseload import category_of

MODES = ["doorstep", "audio", "video", "face_to_face"]


@pytest.mark.parametrize(
    ("rosh", "da", "cs", "expected"),
    [
        ("very_high", True, False, 1),
        ("very_high", False, True, 1),
        ("high", True, True, 1),
        ("high", False, False, 2),
        ("very_high", False, False, 2),
        ("medium", True, False, 3),
        ("medium", False, True, 3),
        ("medium", False, False, 4),
        ("low", True, True, 4),
        ("low", False, False, 4),
    ],
)
def test_the_roadmaps_categories(rosh, da, cs, expected):
    assert category_of(rosh, da, cs) == expected


cases = st.lists(
    st.tuples(
        st.integers(1, 4),  # category
        st.sampled_from(MODES),
        st.booleans(),  # lives with victim
        st.booleans(),  # lives with children at risk
    ),
    max_size=60,
)


def _rows(drawn):
    return [
        (i, f"X{i:06d}", category, mode, victim, children)
        for i, (category, mode, victim, children) in enumerate(drawn)
    ]


@settings(max_examples=300, deadline=None)
@given(drawn=cases, capacity=st.integers(0, 80), limit=st.one_of(st.none(), st.integers(1, 40)))
def test_capacity_is_never_exceeded(drawn, capacity, limit):
    rows = _rows(drawn)
    face = sum(1 for r in rows if r[3] == "face_to_face")
    plan = plan_wave(rows, capacity=capacity, face_to_face=face, limit=limit)
    assert face + len(plan.moves) <= max(capacity, face)
    if limit is not None:
        assert len(plan.moves) <= limit
    assert all(m.from_mode != "face_to_face" for m in plan.moves)
    assert len({m.case_id for m in plan.moves}) == len(plan.moves)


@settings(max_examples=300, deadline=None)
@given(drawn=cases, capacity=st.integers(0, 80))
def test_no_lower_priority_case_moves_while_a_higher_one_waits(drawn, capacity):
    """No category-2 case moves while a category-1 doorstep case waits (and so on down the
    order: doorstep 1, 2, 3, then audio/video 1, 2, 3, then category 4)."""
    rows = _rows(drawn)
    face = sum(1 for r in rows if r[3] == "face_to_face")
    plan = plan_wave(rows, capacity=capacity, face_to_face=face)
    moved = {m.case_id for m in plan.moves}
    left = [r for r in rows if r[3] != "face_to_face" and r[0] not in moved]

    def rank(category, mode):
        remote = mode != "doorstep"
        return (category == 4, remote, category)

    for m in plan.moves:
        for r in left:
            assert rank(r[2], r[3]) >= rank(m.category, m.from_mode), (
                f"{m.reference} (category {m.category}, {m.from_mode}) moved while "
                f"{r[1]} (category {r[2]}, {r[3]}) waits"
            )
    if left:  # places remain only when nobody is left waiting
        assert face + len(plan.moves) >= capacity


@settings(max_examples=200, deadline=None)
@given(drawn=cases, capacity=st.integers(0, 80))
def test_doorstep_continues_alongside_for_those_living_with_the_victim_or_children(drawn, capacity):
    rows = {r[0]: r for r in _rows(drawn)}
    face = sum(1 for r in rows.values() if r[3] == "face_to_face")
    plan = plan_wave(rows.values(), capacity=capacity, face_to_face=face)
    for m in plan.moves:
        r = rows[m.case_id]
        assert m.doorstep_alongside == (r[3] == "doorstep" and (r[4] or r[5]))


def test_within_a_category_the_order_is_by_reference():
    rows = [
        (1, "X000300", 1, "doorstep", False, False),
        (2, "X000100", 1, "doorstep", False, False),
        (3, "X000200", 2, "doorstep", False, False),
        (4, "A000001", 1, "audio", False, False),
    ]
    plan = plan_wave(rows, capacity=2, face_to_face=0)
    assert [m.reference for m in plan.moves] == ["X000100", "X000300"]
    plan = plan_wave(rows, capacity=4, face_to_face=0)
    assert [m.reference for m in plan.moves] == ["X000100", "X000300", "X000200", "A000001"]


def test_free_places_are_capacity_less_those_already_face_to_face():
    rows = [(i, f"X{i:06d}", 1, "doorstep", False, False) for i in range(10)]
    assert len(plan_wave(rows, capacity=8, face_to_face=5).moves) == 3
    assert plan_wave(rows, capacity=4, face_to_face=5).moves == []

"""Object rules in the scope engine: a permission that also depends on the object (its status,
who submitted it, who signed an earlier step), checked by the one `require`.

Tried on a tiny test-only permission and a plain stand-in object, so the mechanism is proven
apart from any app that will use it (the sign-off chain)."""

from dataclasses import dataclass, field

import pytest
import rules

from recovery.core.constants import Role, UnitKind
from recovery.core.errors import NotAllowed
from recovery.core.scope import (
    COMMAND_LINE,
    PERMISSIONS,
    allows,
    not_an_earlier_signer,
    not_submitted_by_actor,
    register,
    require,
    status_is,
)

DECIDE = "tests.decide_thing"


@pytest.fixture(autouse=True)
def decide_permission():
    """Decide a submitted thing at your own establishment: not one you submitted, and not one
    whose earlier step you signed."""
    register(
        DECIDE,
        {Role.GOVERNOR},
        unit_kinds={UnitKind.ESTABLISHMENT},
        description="Decide a submitted thing (tests only)",
        object_rules=[
            status_is("submitted", message="Only a submitted thing can be decided."),
            not_submitted_by_actor(message="You cannot decide something you submitted."),
            not_an_earlier_signer(
                lambda thing: thing.signed_by_ids,
                message="You signed an earlier step of this, so someone else must decide it.",
            ),
        ],
    )
    yield
    del PERMISSIONS[DECIDE]
    rules.remove_perm(DECIDE)


@dataclass
class Thing:
    """A stand-in for an assessment: it belongs to an establishment and has a status."""

    scope_unit: object
    status: str = "submitted"
    submitted_by_id: int | None = None
    signed_by_ids: list[int] = field(default_factory=list)


@pytest.fixture
def governor(person_with_role):
    return person_with_role(Role.GOVERNOR)


@pytest.fixture
def other_governor(person_with_role, small_estate):
    return person_with_role(Role.GOVERNOR, small_estate.establishment_1)


def test_a_submitted_thing_in_scope_may_be_decided(small_estate, governor, other_governor):
    thing = Thing(small_estate.establishment_1, submitted_by_id=other_governor.pk)

    assert allows(governor, DECIDE, thing)
    require(governor, DECIDE, thing)  # no error


@pytest.mark.parametrize("status", ["draft", "approved", "returned"])
def test_the_status_rule_refuses_other_states_with_its_own_message(
    small_estate, governor, other_governor, status
):
    thing = Thing(small_estate.establishment_1, status=status, submitted_by_id=other_governor.pk)

    assert not allows(governor, DECIDE, thing)
    with pytest.raises(NotAllowed) as refused:
        require(governor, DECIDE, thing)
    assert refused.value.message == "Only a submitted thing can be decided."


def test_nobody_decides_what_they_submitted(small_estate, governor):
    thing = Thing(small_estate.establishment_1, submitted_by_id=governor.pk)

    assert not allows(governor, DECIDE, thing)
    with pytest.raises(NotAllowed) as refused:
        require(governor, DECIDE, thing)
    assert refused.value.message == "You cannot decide something you submitted."


def test_nobody_signs_two_steps_of_the_same_thing(small_estate, governor, other_governor):
    thing = Thing(
        small_estate.establishment_1, submitted_by_id=other_governor.pk, signed_by_ids=[governor.pk]
    )

    with pytest.raises(NotAllowed) as refused:
        require(governor, DECIDE, thing)
    assert refused.value.message == (
        "You signed an earlier step of this, so someone else must decide it."
    )


def test_out_of_scope_is_refused_before_any_object_rule(small_estate, governor):
    """The scope answer comes first and says nothing about the object."""
    thing = Thing(small_estate.establishment_2, status="draft", submitted_by_id=governor.pk)

    with pytest.raises(NotAllowed) as refused:
        require(governor, DECIDE, thing)
    assert refused.value.message == "You do not have permission to do that here."


def test_a_role_without_the_permission_is_refused(small_estate, person_with_role, governor):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    thing = Thing(small_estate.establishment_1, submitted_by_id=governor.pk)

    with pytest.raises(NotAllowed):
        require(editor, DECIDE, thing)


def test_no_acting_user_is_never_allowed(small_estate, other_governor):
    """No check is skipped because no user was passed: system work names its actor."""
    thing = Thing(small_estate.establishment_1, submitted_by_id=other_governor.pk)

    assert not allows(None, DECIDE, thing)
    with pytest.raises(NotAllowed) as refused:
        require(None, DECIDE, thing)
    assert "system actor" in refused.value.message


def test_a_system_actor_has_every_scope_but_still_obeys_object_rules(small_estate):
    in_scope = Thing(small_estate.establishment_2)
    wrong_state = Thing(small_estate.establishment_2, status="draft")

    require(COMMAND_LINE, DECIDE, in_scope)
    with pytest.raises(NotAllowed) as refused:
        require(COMMAND_LINE, DECIDE, wrong_state)
    assert refused.value.message == "Only a submitted thing can be decided."


def test_has_perm_applies_the_object_rules_too(small_estate, governor):
    thing = Thing(small_estate.establishment_1, submitted_by_id=governor.pk)

    assert not governor.has_perm(DECIDE, thing)

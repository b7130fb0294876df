"""The one workflow mechanism (recovery.core.workflow): a declared table of transitions, each
needing a scope permission on the object.

Tried on a tiny test-only workflow (a "request" that is drafted, sent, then granted or refused)
and a plain stand-in object, so the mechanism is proven apart from the apps that use it."""

from dataclasses import dataclass

import pytest
import rules
from django.db import models

from recovery.core.constants import Role, UnitKind
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import COMMAND_LINE, PERMISSIONS, register
from recovery.core.workflow import Workflow, transition

SEND = "tests.send_request"
DECIDE = "tests.decide_request"


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


S = RequestStatus

REQUEST_WORKFLOW = Workflow(
    "request",
    S,
    [
        transition("send", S.DRAFT, S.SENT, permission=SEND, label="Send", past="sent"),
        transition("grant", S.SENT, S.GRANTED, permission=DECIDE, label="Grant", past="granted"),
        transition(
            "refuse", [S.SENT, S.GRANTED], S.REFUSED, permission=DECIDE, label="Refuse",
            past="refused",
        ),
    ],
    noun="request",
)  # fmt: skip


@pytest.fixture(autouse=True)
def request_permissions():
    """An establishment's editor sends a request; its governor decides it."""
    register(
        SEND,
        {Role.ESTABLISHMENT_EDITOR},
        unit_kinds={UnitKind.ESTABLISHMENT},
        description="Send a request (tests only)",
    )
    register(
        DECIDE,
        {Role.GOVERNOR},
        unit_kinds={UnitKind.ESTABLISHMENT},
        description="Decide a request (tests only)",
    )
    yield
    for name in (SEND, DECIDE):
        del PERMISSIONS[name]
        rules.remove_perm(name)


@dataclass
class Request:
    scope_unit: object
    status: str = S.DRAFT


def test_the_table_says_what_may_follow_what():
    assert REQUEST_WORKFLOW.table() == {
        "draft": {"sent"},
        "sent": {"granted", "refused"},
        "granted": {"refused"},
        "refused": set(),
    }


def test_a_transition_to_an_unknown_state_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("broken", S, [transition("lose", S.DRAFT, "lost", permission=SEND, label="",
                                          past="lost")])  # fmt: skip


def test_moving_sets_the_state_and_says_before_and_after(small_estate, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_1)
    request = Request(small_estate.establishment_1)

    assert REQUEST_WORKFLOW.move(editor, request, "send") == ("draft", "sent")
    assert request.status == "sent"


def test_a_step_from_the_wrong_state_names_the_state_and_changes_nothing(
    small_estate, person_with_role
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_1)
    request = Request(small_estate.establishment_1, status=S.SENT)

    with pytest.raises(DomainError) as refused:
        REQUEST_WORKFLOW.move(editor, request, "send")

    assert refused.value.message == (
        "This request is sent: it can be sent only when it is draft. Nothing was changed."
    )
    assert request.status == "sent"


def test_a_step_from_several_states_names_them_all(small_estate):
    request = Request(small_estate.establishment_1, status=S.REFUSED)

    with pytest.raises(DomainError) as refused:
        REQUEST_WORKFLOW.check(request, "refuse")

    assert "it can be refused only when it is sent or granted." in refused.value.message


def test_a_person_out_of_scope_learns_nothing_about_the_state(small_estate, person_with_role):
    """Scope before state: an editor elsewhere gets the same refusal whatever the state."""
    elsewhere = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_2)
    refusals = []
    for status in S.values:
        request = Request(small_estate.establishment_1, status=status)
        with pytest.raises(NotAllowed) as refused:
            REQUEST_WORKFLOW.move(elsewhere, request, "send")
        refusals.append(refused.value.message)
        assert request.status == status

    assert len(set(refusals)) == 1
    assert not any(label.lower() in refusals[0].lower() for label in S.labels)


def test_a_person_without_the_role_is_refused_before_the_state(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR, small_estate.establishment_1)
    request = Request(small_estate.establishment_1, status=S.GRANTED)

    with pytest.raises(NotAllowed):
        REQUEST_WORKFLOW.require(governor, request, "send")


def test_nobody_acting_is_refused(small_estate):
    with pytest.raises(NotAllowed, match="No one is acting"):
        REQUEST_WORKFLOW.move(None, Request(small_estate.establishment_1), "send")


def test_available_lists_the_steps_this_person_may_take_now(small_estate, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_1)
    governor = person_with_role(Role.GOVERNOR, small_estate.establishment_1)
    other_governor = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    draft = Request(small_estate.establishment_1)
    sent = Request(small_estate.establishment_1, status=S.SENT)

    def names(user, request):
        return [t.name for t in REQUEST_WORKFLOW.available(user, request)]

    assert names(editor, draft) == ["send"]
    assert names(editor, sent) == []
    assert names(governor, draft) == []
    assert names(governor, sent) == ["grant", "refuse"]
    assert names(other_governor, sent) == []
    assert names(COMMAND_LINE, sent) == ["grant", "refuse"]


def test_the_edm_workflow_is_declared_in_the_same_table_form():
    from recovery.frameworks.rules import EDM_WORKFLOW

    assert EDM_WORKFLOW.table() == {
        "draft": {"published"},
        "published": {"withdrawn"},
        "withdrawn": set(),
    }
    assert {t.permission for t in EDM_WORKFLOW.transitions.values()} == {"frameworks.author"}

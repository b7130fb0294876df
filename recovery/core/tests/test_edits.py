"""The one door for versioned edits (recovery.core.edits), tried on the stage ladder: a small
versioned object with a text, a choice and a long text field."""

import pytest
from django.test import RequestFactory

from recovery.core.constants import Role
from recovery.core.edits import check_one_edit_each, edit_versioned
from recovery.core.errors import DomainError, StaleEditError
from recovery.frameworks.actions import do_update_stage
from recovery.frameworks.forms import StageForm
from recovery.frameworks.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(person_with_role):
    return (
        person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Ada", last_name="Able"),
        person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Olu", last_name="Other"),
    )


def _as_sent(form) -> dict:
    """The form's fields as a browser would send them, unchanged."""
    return {name: form[name].value() for name in form.fields}


def _post(person, stage, data) -> object:
    request = RequestFactory().post("/edit/", data)
    request.user = person
    return edit_versioned(request, stage, form_class=StageForm, action=do_update_stage)


def _stage() -> Stage:
    return Stage.objects.get(number=3)


def _other_saves(other, **changes) -> None:
    stage = _stage()
    do_update_stage(stage, expected_version=stage.version, changes=changes, acting_user=other)


@pytest.mark.parametrize("with_snapshot", [True, False], ids=["snapshot", "audit trail"])
def test_a_stale_edit_keeps_only_what_the_person_changed(people, with_snapshot):
    person, other = people
    opened = _as_sent(StageForm.opened_on(_stage()))
    if not with_snapshot:
        opened["opened"] = ""
    _other_saves(other, meaning="Regime restarts in full.", colour="teal")

    outcome = _post(person, _stage(), {**opened, "name": "Reopen"})

    assert not outcome.saved
    assert outcome.stale.changed_by == "Olu Other"
    assert {c.field: c.after for c in outcome.stale.changes} == {
        "meaning": "Regime restarts in full.",
        "colour": "teal",
    }
    assert outcome.kept == {"name": "Reopen"}
    shown = _as_sent(outcome.form)
    assert shown["name"] == "Reopen"
    assert (shown["meaning"], shown["colour"]) == ("Regime restarts in full.", "teal")
    assert shown["version"] == 2
    assert _stage().name != "Reopen"

    again = _post(person, _stage(), shown)

    assert again.saved and again.result == {"name": "Reopen"}
    stage = _stage()
    assert (stage.name, stage.meaning, stage.colour) == (
        "Reopen",
        "Regime restarts in full.",
        "teal",
    )


def test_a_field_both_changed_keeps_the_persons_value(people):
    person, other = people
    opened = _as_sent(StageForm.opened_on(_stage()))
    _other_saves(other, name="Recover")

    outcome = _post(person, _stage(), {**opened, "name": "Reopen"})

    assert outcome.kept == {"name": "Reopen"}
    assert _as_sent(outcome.form)["name"] == "Reopen"


def test_line_endings_and_spaces_a_browser_adds_are_not_a_change(people):
    person, other = people
    opened = _as_sent(StageForm.opened_on(_stage()))
    _other_saves(other, meaning="Regime restarts in full.")

    sent = {**opened, "name": f" {opened['name']} ", "meaning": opened["meaning"] + "\r\n"}
    outcome = _post(person, _stage(), sent)

    assert outcome.kept == {}
    assert _as_sent(outcome.form)["meaning"] == "Regime restarts in full."


def test_a_snapshot_of_another_object_is_not_trusted(people):
    """A snapshot is signed for one object: one copied from another stage's form is ignored and
    the values the person started from are rebuilt from the audit trail instead."""
    person, other = people
    opened = _as_sent(StageForm.opened_on(_stage()))
    borrowed = _as_sent(StageForm.opened_on(Stage.objects.get(number=2)))["opened"]
    _other_saves(other, meaning="Regime restarts in full.")

    outcome = _post(person, _stage(), {**opened, "opened": borrowed})

    assert outcome.kept == {}
    assert _as_sent(outcome.form)["meaning"] == "Regime restarts in full."


def test_a_tampered_snapshot_is_not_trusted(people):
    person, other = people
    opened = _as_sent(StageForm.opened_on(_stage()))
    _other_saves(other, meaning="Regime restarts in full.")

    outcome = _post(person, _stage(), {**opened, "opened": opened["opened"][:-3] + "abc"})

    assert outcome.kept == {}


def test_without_a_snapshot_a_part_locked_by_its_whole_keeps_all_that_was_sent(people):
    """An area of a draft is locked by the draft, whose audit trail says nothing of the area's
    own values: without a snapshot nothing tells changed from untouched, so nothing the person
    sent is dropped."""
    opened = _as_sent(StageForm.opened_on(_stage()))
    form = StageForm({**opened, "opened": "", "name": "Reopen"})
    assert form.is_valid()
    refusal = StaleEditError(object_label="The draft", object_key="frameworks.edmversion:1")

    _, kept = form.after_stale(_stage(), refusal, lock=7)

    untouched = ("colour", "meaning", "visits", "education", "work", "rotl")
    assert kept == {"name": "Reopen", **{name: opened[name] for name in untouched}}


def test_a_batch_naming_one_object_twice_is_refused_naming_it():
    with pytest.raises(DomainError) as refused:
        check_one_edit_each([4, 7, 4], describe=lambda key: f"Answer {key}")

    assert refused.value.message == (
        "Answer 4 is updated more than once in this request. Send one update for each, with "
        "all its changes. Nothing has been changed."
    )
    check_one_edit_each([4, 7], describe=str)  # each once: nothing to refuse

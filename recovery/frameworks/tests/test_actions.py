"""Writes to the framework library: loading (idempotent), publishing and withdrawing (each
from the right state only, with its audit event), and the reference data."""

import pytest
from django.core.exceptions import PermissionDenied

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import (
    do_add_regime_element,
    do_load_edm,
    do_publish_edm_version,
    do_update_stage,
    do_withdraw_edm_version,
    load_library,
)
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.factories import (
    DraftEdmVersionFactory,
    PublishedEdmVersionFactory,
    WithdrawnEdmVersionFactory,
    edm_text,
)
from recovery.frameworks.models import Baseline, EdmArea, EdmVersion, RegimeElement, Stage

pytestmark = pytest.mark.django_db

STATE_FACTORIES = {
    EdmStatus.DRAFT: DraftEdmVersionFactory,
    EdmStatus.PUBLISHED: PublishedEdmVersionFactory,
    EdmStatus.WITHDRAWN: WithdrawnEdmVersionFactory,
}


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- Loading ----------------------------------------------------------------------------------


def test_loading_creates_a_draft_with_its_areas_and_baselines(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)

    result = do_load_edm(edm_text(), acting_user=author)

    version = result.edm_version
    assert result.outcome == "created"
    assert version.status == EdmStatus.DRAFT
    assert version.loaded_by == author
    assert [a.number for a in version.areas.order_by("position")] == ["1", "2"]
    assert [b.number for b in version.baselines.order_by("area__position", "position")] == [
        "1.1",
        "1.2",
        "2.1",
    ]
    [event] = events("frameworks.load_edm")
    assert event.actor == author
    assert event.summary == "Loaded EDM 950 version 1.0 (Test visits) as a draft"


def test_loading_the_same_file_again_changes_nothing():
    first = do_load_edm(edm_text(), acting_user=TEST_DATA, publish=True)

    again = do_load_edm(edm_text(), acting_user=TEST_DATA, publish=True)

    assert again.outcome == "unchanged"
    assert again.edm_version.pk == first.edm_version.pk
    assert EdmVersion.objects.count() == 1
    assert Baseline.objects.count() == 3
    assert len(events("frameworks.load_edm")) == 1
    assert len(events("frameworks.publish_edm")) == 1


def test_loading_the_library_twice_is_idempotent():
    first = load_library(acting_user=TEST_DATA)
    counts = (EdmVersion.objects.count(), Baseline.objects.count(), AuditEvent.objects.count())

    second = load_library(acting_user=TEST_DATA)

    assert {r.outcome for r in first} == {"created"}
    assert {r.outcome for r in second} == {"unchanged"}
    after = (EdmVersion.objects.count(), Baseline.objects.count(), AuditEvent.objects.count())
    assert after == counts
    assert set(EdmVersion.objects.values_list("status", flat=True)) == {EdmStatus.PUBLISHED}


def test_a_draft_is_replaced_by_a_changed_file():
    draft = DraftEdmVersionFactory(number=950)
    changed = edm_text().replace("Run a booking line.", "Run a booking line every day.")

    result = do_load_edm(changed, acting_user=TEST_DATA)

    assert result.outcome == "replaced"
    assert result.edm_version.pk == draft.pk
    assert Baseline.objects.get(number="1.1").text == "Run a booking line every day."
    assert Baseline.objects.count() == 3
    assert len(events("frameworks.replace_edm_draft")) == 1


@pytest.mark.parametrize("status", [EdmStatus.PUBLISHED, EdmStatus.WITHDRAWN])
def test_a_published_or_withdrawn_version_is_never_changed_by_a_file(status):
    version = STATE_FACTORIES[status](number=950)
    changed = edm_text().replace("Run a booking line.", "Run a booking line every day.")

    with pytest.raises(DomainError) as refused:
        do_load_edm(changed, acting_user=TEST_DATA)

    label = "published" if status == EdmStatus.PUBLISHED else "withdrawn"
    assert refused.value.message == (
        f"EDM 950 version 1.0 is {label} and cannot be changed. Give the changed file a new "
        "version number."
    )
    assert Baseline.objects.get(edm_version=version, number="1.1").text == "Run a booking line."


def test_a_published_version_refuses_changes_through_any_door():
    version = PublishedEdmVersionFactory()
    baseline = Baseline.objects.filter(edm_version=version).first()

    version.title = "Something else"
    with pytest.raises(PermissionDenied):
        version.save()
    baseline.text = "Something else"
    with pytest.raises(PermissionDenied):
        baseline.save()
    with pytest.raises(PermissionDenied):
        EdmArea.objects.filter(edm_version=version).first().delete()


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.CENTRAL_PANEL, Role.ADMINISTRATOR])
def test_only_a_framework_author_loads_edms(small_estate, person_with_role, role):
    with pytest.raises(NotAllowed):
        do_load_edm(edm_text(), acting_user=person_with_role(role))

    assert not EdmVersion.objects.exists()


# --- Publishing and withdrawing ---------------------------------------------------------------


def test_publishing_a_draft_records_who_and_what_changed(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    draft = DraftEdmVersionFactory()

    diff = do_publish_edm_version(draft, acting_user=author)

    draft.refresh_from_db()
    assert draft.status == EdmStatus.PUBLISHED
    assert draft.published_by == author
    assert draft.published_at is not None
    assert diff.old_version is None
    [event] = events("frameworks.publish_edm")
    assert event.actor == author
    assert event.before == {"status": "draft"}
    assert event.after["status"] == "published"
    assert event.summary.endswith("First published version: 3 baselines")


@pytest.mark.parametrize("status", [EdmStatus.PUBLISHED, EdmStatus.WITHDRAWN])
def test_only_a_draft_can_be_published(status):
    version = STATE_FACTORIES[status](number=950)
    before = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        do_publish_edm_version(version, acting_user=TEST_DATA)

    assert refused.value.message == (
        f"EDM 950 version 1.0 is {EdmStatus(status).label.lower()}: it can be published only "
        "when it is a draft. Nothing was changed."
    )
    version.refresh_from_db()
    assert version.status == status
    assert AuditEvent.objects.count() == before


def test_withdrawing_a_published_version(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    version = PublishedEdmVersionFactory()

    do_withdraw_edm_version(version, acting_user=author)

    version.refresh_from_db()
    assert version.status == EdmStatus.WITHDRAWN
    assert version.withdrawn_at is not None
    [event] = events("frameworks.withdraw_edm")
    assert (event.actor, event.before, event.after) == (
        author,
        {"status": "published"},
        {"status": "withdrawn"},
    )


@pytest.mark.parametrize("status", [EdmStatus.DRAFT, EdmStatus.WITHDRAWN])
def test_only_a_published_version_can_be_withdrawn(status):
    version = STATE_FACTORIES[status](number=950)
    before = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        do_withdraw_edm_version(version, acting_user=TEST_DATA)

    assert refused.value.message == (
        f"EDM 950 version 1.0 is {EdmStatus(status).label.lower()}: it can be withdrawn only "
        "when it is published. Nothing was changed."
    )
    version.refresh_from_db()
    assert version.status == status
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [(do_publish_edm_version, {}), (do_withdraw_edm_version, {})],
)
def test_transitions_need_a_framework_author(small_estate, person_with_role, action, kwargs):
    version = DraftEdmVersionFactory()

    with pytest.raises(NotAllowed):
        action(version, acting_user=person_with_role(Role.CENTRAL_PANEL), **kwargs)

    version.refresh_from_db()
    assert version.status == EdmStatus.DRAFT


def test_an_older_version_cannot_be_published_after_a_newer_one():
    PublishedEdmVersionFactory(number=950, version="2.0")
    older = DraftEdmVersionFactory(number=950, version="1.5")

    with pytest.raises(DomainError) as refused:
        do_publish_edm_version(older, acting_user=TEST_DATA)

    assert refused.value.message == (
        "Version 2.0 of EDM 950 is already published; give this file a higher version number "
        "than 2.0."
    )
    older.refresh_from_db()
    assert older.status == EdmStatus.DRAFT


def test_publishing_fails_whole_when_the_audit_cannot_be_written(monkeypatch):
    draft = DraftEdmVersionFactory()

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("recovery.frameworks.actions.record_event", broken)
    with pytest.raises(RuntimeError):
        do_publish_edm_version(draft, acting_user=TEST_DATA)

    draft.refresh_from_db()
    assert draft.status == EdmStatus.DRAFT
    assert draft.published_at is None


def test_loading_fails_whole_when_the_audit_cannot_be_written(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("recovery.frameworks.actions.record_event", broken)
    with pytest.raises(RuntimeError):
        do_load_edm(edm_text(), acting_user=TEST_DATA)

    assert not EdmVersion.objects.exists()
    assert not Baseline.objects.exists()


# --- Reference data ---------------------------------------------------------------------------


def test_the_default_stage_ladder_and_elements_are_loaded():
    assert list(Stage.objects.order_by("-number").values_list("number", "name")) == [
        (5, "Lockdown"),
        (4, "Restrict"),
        (3, "Reduce"),
        (2, "Prepare"),
        (1, "Restore"),
    ]
    codes = set(RegimeElement.objects.values_list("code", flat=True))
    assert {"meals", "visits", "education", "gym-and-pe", "resettlement", "exercise"} <= codes


def test_a_stage_is_renamed_with_an_audit_event(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    stage = Stage.objects.get(number=3)

    changed = do_update_stage(
        stage,
        expected_version=stage.version,
        changes={"name": "Recover", "colour": "teal", "meaning": stage.meaning},
        acting_user=author,
    )

    assert changed == {"name": "Recover", "colour": "teal"}
    stage.refresh_from_db()
    assert (stage.name, stage.colour, stage.version) == ("Recover", "teal", 2)
    [event] = events("frameworks.update_stage")
    assert event.before == {"name": "Reduce", "colour": "yellow"}


def test_a_stale_stage_edit_is_refused(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    stage = Stage.objects.get(number=3)
    do_update_stage(stage, expected_version=1, changes={"name": "Recover"}, acting_user=author)

    with pytest.raises(StaleEditError):
        do_update_stage(
            Stage.objects.get(number=3),
            expected_version=1,
            changes={"name": "Reopen"},
            acting_user=author,
        )

    assert Stage.objects.get(number=3).name == "Recover"


def test_a_regime_element_is_added_once(small_estate, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)

    element = do_add_regime_element(
        name="Library", description="Borrowing books.", acting_user=author
    )

    assert element.code == "library"
    assert len(events("frameworks.add_regime_element")) == 1
    with pytest.raises(DomainError) as refused:
        do_add_regime_element(name="library", acting_user=author)
    assert refused.value.message == "There is already a regime element called library"

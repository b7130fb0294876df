"""Starting a plan: built from every published EDM that applies to the establishment's type."""

import pytest

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.estate.constants import EstablishmentType
from recovery.estate.factories import EstablishmentFactory
from recovery.plans.actions import do_start_plan
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, load_library_edm, make_edm_version, stage, start_plan
from recovery.plans.models import Plan, Response


@pytest.fixture
def library(db):
    return {
        "edm18": load_library_edm("edm-18-ycs-resettlement-1.0.yaml"),
        "visits": load_library_edm("edm-901-visits-illustrative-1.0.yaml"),
        "education": load_library_edm("edm-902-education-illustrative-1.0.yaml"),
    }


def _edm_numbers(plan: Plan) -> set[int]:
    return set(plan.plan_edms.values_list("edm__number", flat=True))


def test_youth_custody_site_gets_edm_18(small_estate, library):
    youth = EstablishmentFactory(
        parent=small_estate.group_1,
        code="YCS1",
        name="Oakhill Secure Training Centre",
        establishment_type=EstablishmentType.STC,
    )
    plan = start_plan(youth)
    assert _edm_numbers(plan) == {18, 902}
    edm18_baselines = library["edm18"].baselines.count()
    assert plan.responses.filter(baseline__edm_version=library["edm18"]).count() == edm18_baselines
    assert set(plan.responses.values_list("status", flat=True)) == {ResponseStatus.NOT_STARTED}


def test_adult_site_does_not_get_edm_18(small_estate, library):
    plan = start_plan(small_estate.establishment_1)  # a category C prison
    assert _edm_numbers(plan) == {901, 902}
    assert not plan.responses.filter(baseline__edm_version=library["edm18"]).exists()


def test_newest_published_version_is_used_and_drafts_ignored(small_estate, db):
    make_edm_version(950, [B("1.1")], version="1.0")
    newest = make_edm_version(950, [B("1.1"), B("1.2")], version="1.1")
    make_edm_version(950, [B("1.1")], version="2.0", publish=False)
    plan = start_plan(small_estate.establishment_1)
    assert plan.plan_edms.get().edm_version == newest
    assert plan.responses.count() == 2


def test_edm_for_another_stage_is_left_out(small_estate, db):
    make_edm_version(951, [B("1.1")], stage_number=2)
    make_edm_version(952, [B("1.1")], stage_number=3)
    plan = start_plan(small_estate.establishment_1, 3)
    assert _edm_numbers(plan) == {952}


def test_second_plan_for_same_stage_is_refused(small_estate, library):
    start_plan(small_estate.establishment_1)
    with pytest.raises(DomainError) as error:
        start_plan(small_estate.establishment_1)
    assert error.value.message == "HMP Ashgrove already has a plan for stage 3."
    assert Plan.objects.count() == 1


def test_nothing_to_plan_is_refused(small_estate, db):
    with pytest.raises(DomainError) as error:
        start_plan(small_estate.establishment_1)
    assert error.value.message == (
        "No published EDM applies to HMP Ashgrove at stage 3 yet, so there is nothing to plan."
    )
    assert not Plan.objects.exists()


def test_starting_records_an_audit_event(small_estate, library, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    plan = do_start_plan(small_estate.establishment_1, stage(3), acting_user=editor)
    event = AuditEvent.objects.get(action="plans.start_plan")
    assert event.actor == editor
    assert event.object_id == str(plan.pk)
    assert event.unit_id == small_estate.establishment_1.pk
    assert event.after["stage"] == 3
    assert event.after["baselines"] == Response.objects.filter(plan=plan).count()


@pytest.mark.parametrize("role", [Role.TRADE_UNION_REP, Role.PGD, Role.CENTRAL_PANEL])
def test_only_the_establishment_may_start_its_plan(small_estate, library, person_with_role, role):
    person = person_with_role(role)
    with pytest.raises(NotAllowed):
        do_start_plan(small_estate.establishment_1, stage(3), acting_user=person)
    assert not Plan.objects.exists()


def test_editor_cannot_start_another_establishments_plan(small_estate, library, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    with pytest.raises(NotAllowed):
        do_start_plan(small_estate.establishment_2, stage(3), acting_user=editor)
    assert not AuditEvent.objects.filter(action="plans.start_plan").exists()


def test_start_failing_half_way_writes_nothing(small_estate, library, monkeypatch):
    from recovery.plans import actions

    def failing(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "record_event", failing)
    with pytest.raises(RuntimeError):
        start_plan(small_estate.establishment_1)
    assert not Plan.objects.exists()
    assert not Response.objects.exists()

"""Moving plans to a new EDM version: unchanged answers carry over, changed baselines are
flagged for review, removed ones archived with their answers. Nothing is lost."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import NotAllowed
from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import do_load_edm
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import EdmVersion
from recovery.plans.actions import do_move_plans_to_version
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, load_library_edm, response_for, start_plan
from recovery.plans.models import PlanEdm, Response

VISITS_1_1 = "edm-901-visits-illustrative-1.1.yaml"


def version_1_1_published_without_moving():
    """EDM 901 version 1.1, marked published in the database alone so that plans still answer
    1.0 (publishing it through the service moves them at once: test_publish_moves_plans.py)."""
    text = (Path(settings.BASE_DIR) / "library" / "edms" / VISITS_1_1).read_text()
    draft = do_load_edm(text, acting_user=TEST_DATA).edm_version
    EdmVersion.objects.filter(pk=draft.pk).update(
        status=EdmStatus.PUBLISHED, published_at=timezone.now()
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def moved(small_estate, person_with_role):
    old = load_library_edm("edm-901-visits-illustrative-1.0.yaml")
    plan = start_plan(small_estate.establishment_1)
    answer(response_for(plan, "1.1"), status=ResponseStatus.IN_PROGRESS, owner="Visits manager")
    answer(response_for(plan, "2.2"), status=ResponseStatus.IN_PROGRESS, approach="Two sessions")
    answer(
        response_for(plan, "3.2"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="Family days are a stage 2 matter here",
    )
    new = version_1_1_published_without_moving()
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    report = do_move_plans_to_version(old, new, acting_user=author)
    return plan, old, new, report


def test_plan_answers_the_new_version(moved):
    plan, _, new, report = moved
    assert PlanEdm.objects.get(plan=plan).edm_version == new
    assert report.plans_moved == 1
    assert report.establishments == ["EST1"]


def test_unchanged_answer_carries_over(moved):
    plan, _, new, _ = moved
    response = response_for(plan, "1.1")
    assert response.baseline.edm_version == new
    assert (response.status, response.owner, response.needs_review) == (
        ResponseStatus.IN_PROGRESS,
        "Visits manager",
        False,
    )


def test_changed_baseline_keeps_its_answer_flagged_for_review(moved):
    plan, _, _, _ = moved
    response = response_for(plan, "2.2")
    assert response.approach == "Two sessions"
    assert response.needs_review
    assert response.review_note == "Baseline 2.2 changed: requirement changed"


def test_removed_baseline_is_archived_with_its_answer(moved):
    plan, old, _, report = moved
    archived = Response.objects.get(plan=plan, archived_at__isnull=False)
    assert archived.baseline.edm_version == old
    assert archived.baseline.number == "3.2"
    assert archived.not_applicable_reason == "Family days are a stage 2 matter here"
    assert report.archived == 1


def test_new_baseline_gets_a_fresh_answer(moved):
    plan, _, _, report = moved
    assert response_for(plan, "1.3").status == ResponseStatus.NOT_STARTED
    assert report.added == 1


def test_the_move_is_in_the_audit_trail(moved):
    plan, _, _, report = moved
    event = AuditEvent.objects.get(action="plans.move_plan_version")
    assert event.object_id == str(plan.pk)
    assert event.before == {"edm_version": "1.0"}
    assert event.after["edm_version"] == "1.1"
    assert event.after["archived_baselines"] == ["3.2"]
    assert set(event.after["needs_review_baselines"]) >= {"2.2"}


def test_stale_edit_from_before_the_move_is_refused(small_estate):
    from recovery.core.errors import StaleEditError
    from recovery.plans.actions import do_update_response

    old = load_library_edm("edm-901-visits-illustrative-1.0.yaml")
    plan = start_plan(small_estate.establishment_1)
    before_move = response_for(plan, "2.2")
    new = version_1_1_published_without_moving()
    do_move_plans_to_version(old, new, acting_user=TEST_DATA)
    with pytest.raises(StaleEditError):
        do_update_response(
            before_move,
            expected_version=before_move.version,
            changes={"owner": "Someone"},
            acting_user=TEST_DATA,
        )


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.PGD, Role.CENTRAL_PANEL])
def test_only_the_centres_authors_move_plans(small_estate, person_with_role, role):
    old = load_library_edm("edm-901-visits-illustrative-1.0.yaml")
    start_plan(small_estate.establishment_1)
    new = version_1_1_published_without_moving()
    with pytest.raises(NotAllowed):
        do_move_plans_to_version(old, new, acting_user=person_with_role(role))
    assert PlanEdm.objects.get().edm_version == old


def test_operator_command_moves_plans(small_estate):
    import io

    from django.core.management import call_command

    load_library_edm("edm-901-visits-illustrative-1.0.yaml")
    start_plan(small_estate.establishment_1)
    version_1_1_published_without_moving()
    out = io.StringIO()
    call_command("move_plans_to_version", "901", "1.0", "1.1", stdout=out)
    assert out.getvalue().startswith("Moved 1 plans from EDM 901 version 1.0 to 1.1:")
    assert PlanEdm.objects.get().edm_version.version_number == "1.1"

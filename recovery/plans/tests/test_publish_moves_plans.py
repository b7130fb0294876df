"""Publishing a new version of an EDM moves every plan that answers the old one, in the same
transaction: unchanged answers carry over, changed baselines are flagged for review, removed ones
are archived with their answers. If the move fails, nothing is published."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.frameworks.actions import do_load_edm, do_publish_edm_version
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import EdmVersion
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, load_library_edm, response_for, start_plan
from recovery.plans.models import PlanEdm, Response

VISITS_1_0 = "edm-901-visits-illustrative-1.0.yaml"
VISITS_1_1 = "edm-901-visits-illustrative-1.1.yaml"


def library_text(filename: str) -> str:
    return (Path(settings.BASE_DIR) / "library" / "edms" / filename).read_text()


@pytest.fixture
def author(person_with_role):
    return person_with_role(Role.FRAMEWORK_AUTHOR)


@pytest.fixture
def two_plans(small_estate):
    """Version 1.0 of EDM 901 published, and answered by two establishments."""
    old = load_library_edm(VISITS_1_0)
    plans = [start_plan(small_estate.establishment_1), start_plan(small_estate.establishment_2)]
    for plan, owner in zip(plans, ["Visits manager", "Head of Residence"], strict=True):
        answer(response_for(plan, "1.1"), status=ResponseStatus.IN_PROGRESS, owner=owner)
        answer(
            response_for(plan, "2.2"),
            status=ResponseStatus.MET,
            compliance_confirmed=True,
            approach="One hour slots",
        )
        answer(
            response_for(plan, "3.2"),
            status=ResponseStatus.NOT_APPLICABLE,
            not_applicable_reason="Family days are a stage 2 matter here",
        )
    return old, plans


@pytest.fixture
def draft_1_1(author):
    return do_load_edm(library_text(VISITS_1_1), acting_user=author).edm_version


def test_publishing_moves_every_plan_to_the_new_version(two_plans, draft_1_1, author):
    _, plans = two_plans

    result = do_publish_edm_version(draft_1_1, acting_user=author)

    for plan in plans:
        assert PlanEdm.objects.get(plan=plan).edm_version == draft_1_1
    assert result.consequences == (
        "2 plans moved to version 1.1: 8 answers carried over, 4 flagged for review, "
        "2 archived, 2 new baselines.",
    )


def test_unchanged_answers_carry_over(two_plans, draft_1_1, author):
    _, plans = two_plans

    do_publish_edm_version(draft_1_1, acting_user=author)

    for plan, owner in zip(plans, ["Visits manager", "Head of Residence"], strict=True):
        response = response_for(plan, "1.1")
        assert response.baseline.edm_version == draft_1_1
        assert (response.status, response.owner, response.needs_review) == (
            ResponseStatus.IN_PROGRESS,
            owner,
            False,
        )


def test_changed_baselines_keep_their_answers_flagged_for_review(two_plans, draft_1_1, author):
    _, plans = two_plans

    do_publish_edm_version(draft_1_1, acting_user=author)

    for plan in plans:
        response = response_for(plan, "2.2")
        assert (response.status, response.approach) == (ResponseStatus.MET, "One hour slots")
        assert response.needs_review
        assert response.review_note == "Baseline 2.2 changed: requirement changed"


def test_removed_baselines_are_archived_with_their_answers(two_plans, draft_1_1, author):
    old, plans = two_plans

    do_publish_edm_version(draft_1_1, acting_user=author)

    for plan in plans:
        archived = Response.objects.get(plan=plan, archived_at__isnull=False)
        assert (archived.baseline.edm_version, archived.baseline.number) == (old, "3.2")
        assert archived.not_applicable_reason == "Family days are a stage 2 matter here"
        assert response_for(plan, "1.3").status == ResponseStatus.NOT_STARTED


def test_the_publish_and_the_moves_are_recorded_together(two_plans, draft_1_1, author):
    _, plans = two_plans
    last_before = AuditEvent.objects.order_by("pk").last().pk

    do_publish_edm_version(draft_1_1, acting_user=author)

    events = list(AuditEvent.objects.filter(pk__gt=last_before).order_by("pk"))
    assert [e.action for e in events] == [
        "frameworks.publish_edm",
        "plans.move_plan_version",
        "plans.move_plan_version",
    ]
    assert {e.actor for e in events} == {author}
    assert sorted(e.object_id for e in events[1:]) == sorted(str(p.pk) for p in plans)
    assert events[1].after["archived_baselines"] == ["3.2"]


def test_a_failed_move_publishes_nothing(two_plans, draft_1_1, author, monkeypatch):
    old, plans = two_plans
    answers_before = list(Response.objects.order_by("pk").values())
    events_before = AuditEvent.objects.count()

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    # The first plan's answers are moved before its audit event fails.
    monkeypatch.setattr("recovery.plans.actions.record_event", broken)
    with pytest.raises(RuntimeError):
        do_publish_edm_version(draft_1_1, acting_user=author)

    draft_1_1.refresh_from_db()
    assert (draft_1_1.status, draft_1_1.published_at) == (EdmStatus.DRAFT, None)
    assert [p.edm_version for p in PlanEdm.objects.filter(plan__in=plans)] == [old, old]
    assert list(Response.objects.order_by("pk").values()) == answers_before
    assert AuditEvent.objects.count() == events_before


def test_publishing_a_first_version_moves_nothing(two_plans, author):
    from recovery.frameworks.factories import edm_text

    old, _ = two_plans
    draft = do_load_edm(edm_text(950), acting_user=author).edm_version

    result = do_publish_edm_version(draft, acting_user=author)

    # The new EDM is added to the plans (test_publish_adds_edms.py); nothing moves.
    assert result.consequences == ("2 plans now answer EDM 950.",)
    assert not AuditEvent.objects.filter(action="plans.move_plan_version").exists()
    assert {p.edm_version for p in PlanEdm.objects.filter(edm__number=901)} == {old}


def test_a_new_version_nobody_answers_says_so(small_estate, draft_1_1, author):
    load_library_edm(VISITS_1_0)

    result = do_publish_edm_version(draft_1_1, acting_user=author)

    assert result.consequences == ("No plan answered version 1.0, so none moved.",)


def test_plans_still_on_a_version_before_a_withdrawn_one_move_too(small_estate, author):
    """1.1 was withdrawn, so new plans started on 1.0; publishing 1.2 moves them as well."""
    from recovery.frameworks.actions import do_withdraw_edm_version
    from recovery.frameworks.factories import replace_line

    load_library_edm(VISITS_1_0)
    moved_early = start_plan(small_estate.establishment_1)
    withdrawn = do_load_edm(library_text(VISITS_1_1), acting_user=author, publish=True)
    do_withdraw_edm_version(withdrawn.edm_version, acting_user=author)
    started_late = start_plan(small_estate.establishment_2)
    assert PlanEdm.objects.get(plan=started_late).edm_version.version_number == "1.0"
    text_1_2 = replace_line(library_text(VISITS_1_1), 'version: "1.1"', 'version: "1.2"')

    result = do_load_edm(text_1_2, acting_user=author, publish=True)

    assert {p.edm_version.version_number for p in PlanEdm.objects.all()} == {"1.2"}
    assert {p.plan for p in PlanEdm.objects.all()} == {moved_early, started_late}
    # 1.0 -> 1.2 for one plan; 1.1 -> 1.2 (the same content) for the other.
    assert result.message.endswith(
        "2 plans moved to version 1.2: 11 answers carried over, 2 flagged for review, "
        "1 archived, 1 new baseline."
    )


def test_the_publisher_reads_how_many_plans_moved(two_plans, draft_1_1, author):
    client = Client()
    client.force_login(author)

    page = client.post("/frameworks/edms/901/versions/1.1/publish/", follow=True)

    assert (
        "EDM 901 version 1.1 published. Against version 1.0: 1 added, 1 removed, 2 changed, "
        "4 unchanged. 2 plans moved to version 1.1: 8 answers carried over, 4 flagged for "
        "review, 2 archived, 2 new baselines."
    ) in page.content.decode()
    assert EdmVersion.objects.get(pk=draft_1_1.pk).status == EdmStatus.PUBLISHED

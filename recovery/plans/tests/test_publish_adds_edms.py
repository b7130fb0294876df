"""Publishing the first version of a new EDM adds it, in the same transaction, to every existing
plan of its stage whose establishment's type it applies to: a plan answers every published EDM
that applies, whenever it was started. Publishing a later version moves only the plans of
establishments it still applies to; the others keep their answers where they are."""

import pytest
from django.test import Client

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.estate.constants import EstablishmentType
from recovery.estate.factories import EstablishmentFactory
from recovery.frameworks.actions import do_load_edm, do_publish_edm_version
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.factories import edm_text, replace_line
from recovery.frameworks.models import EdmVersion
from recovery.plans.actions import do_add_edm_to_plans, do_move_plans_to_version
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.plans.models import PlanEdm, Response

# edm_text(950): stage 3, applies to local and category C prisons, baselines 1.1, 1.2 and 2.1.


@pytest.fixture
def author(person_with_role):
    return person_with_role(Role.FRAMEWORK_AUTHOR)


@pytest.fixture
def plans(small_estate):
    """Plans started before EDM 950 exists: two it will apply to, one of another stage and one
    of an establishment type it does not cover."""
    make_edm_version(901, [B("1.1"), B("1.2")], stage_number=3)
    make_edm_version(902, [B("1.1")], stage_number=2)
    open_prison = EstablishmentFactory(
        parent=small_estate.group_2,
        code="EST4",
        name="HMP Dunmore",
        establishment_type=EstablishmentType.OPEN,
    )
    local = EstablishmentFactory(
        parent=small_estate.group_1,
        code="EST3",
        name="HMP Cedarbank",
        establishment_type=EstablishmentType.LOCAL,
    )
    return {
        "cat_c_stage_3": start_plan(small_estate.establishment_1, 3),
        "local_stage_3": start_plan(local, 3),
        "cat_c_stage_2": start_plan(small_estate.establishment_1, 2),
        "open_stage_3": start_plan(open_prison, 3),
    }


@pytest.fixture
def draft_950(author):
    return do_load_edm(edm_text(950), acting_user=author).edm_version


def test_a_new_edm_joins_every_plan_of_its_stage_and_type(plans, draft_950, author):
    do_publish_edm_version(draft_950, acting_user=author)

    for key in ("cat_c_stage_3", "local_stage_3"):
        plan = plans[key]
        assert PlanEdm.objects.get(plan=plan, edm__number=950).edm_version == draft_950
        responses = Response.objects.filter(plan=plan, baseline__edm_version=draft_950)
        assert sorted(r.baseline.number for r in responses) == ["1.1", "1.2", "2.1"]
        assert {r.status for r in responses} == {ResponseStatus.NOT_STARTED}
        # What the plan answered before is still there.
        assert response_for(plan, "1.1", edm=901).status == ResponseStatus.NOT_STARTED


def test_plans_of_another_stage_or_type_are_untouched(plans, draft_950, author):
    others = [plans["cat_c_stage_2"], plans["open_stage_3"]]
    before = list(Response.objects.filter(plan__in=others).order_by("pk").values())
    edms_before = list(PlanEdm.objects.filter(plan__in=others).order_by("pk").values())

    do_publish_edm_version(draft_950, acting_user=author)

    assert list(Response.objects.filter(plan__in=others).order_by("pk").values()) == before
    assert list(PlanEdm.objects.filter(plan__in=others).order_by("pk").values()) == edms_before


def test_each_plan_the_edm_joins_is_recorded_with_the_publish(plans, draft_950, author):
    last_before = AuditEvent.objects.order_by("pk").last().pk

    do_publish_edm_version(draft_950, acting_user=author)

    events = list(AuditEvent.objects.filter(pk__gt=last_before).order_by("pk"))
    assert [e.action for e in events] == [
        "frameworks.publish_edm",
        "plans.add_edm",
        "plans.add_edm",
    ]
    assert {e.actor for e in events} == {author}
    assert sorted(e.object_id for e in events[1:]) == sorted(
        str(plans[key].pk) for key in ("cat_c_stage_3", "local_stage_3")
    )
    assert [(e.before, e.after) for e in events[1:]] == [
        ({}, {"edm": "EDM 950 version 1.0", "baselines": 3})
    ] * 2
    assert events[1].summary.startswith("Added EDM 950 version 1.0 to the Regime Recovery Plan")


def test_publishing_fails_whole_if_adding_to_plans_fails(plans, draft_950, author, monkeypatch):
    answers_before = list(Response.objects.order_by("pk").values())
    edms_before = list(PlanEdm.objects.order_by("pk").values())
    events_before = AuditEvent.objects.count()

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    # The responses are written before the first plan's audit event fails.
    monkeypatch.setattr("recovery.plans.actions.record_event", broken)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        do_publish_edm_version(draft_950, acting_user=author)

    draft_950.refresh_from_db()
    assert (draft_950.status, draft_950.published_at) == (EdmStatus.DRAFT, None)
    assert list(PlanEdm.objects.order_by("pk").values()) == edms_before
    assert list(Response.objects.order_by("pk").values()) == answers_before
    assert AuditEvent.objects.count() == events_before


def test_the_publisher_reads_how_many_plans_now_answer_the_edm(plans, draft_950, author):
    client = Client()
    client.force_login(author)

    page = client.post("/frameworks/edms/950/versions/1.0/publish/", follow=True)

    text = page.content.decode()
    assert "EDM 950 version 1.0 published. First published version: 3 baselines" in text
    assert "2 plans now answer EDM 950." in text
    assert EdmVersion.objects.get(pk=draft_950.pk).status == EdmStatus.PUBLISHED


def test_a_new_edm_no_plan_needs_says_nothing(plans, author):
    youth = replace_line(edm_text(951), "applies_to: [local, cat_c]", "applies_to: [stc]")
    draft = do_load_edm(youth, acting_user=author).edm_version

    result = do_publish_edm_version(draft, acting_user=author)

    assert result.consequences == ()
    assert not PlanEdm.objects.filter(edm__number=951).exists()
    assert not AuditEvent.objects.filter(action="plans.add_edm").exists()


def test_do_add_edm_to_plans_leaves_plans_already_answering_it_alone(plans, draft_950, author):
    do_publish_edm_version(draft_950, acting_user=author)
    events_before = AuditEvent.objects.count()

    report = do_add_edm_to_plans(draft_950, acting_user=author)

    assert (report.plans_added, report.establishments) == (0, [])
    assert AuditEvent.objects.count() == events_before
    assert PlanEdm.objects.filter(edm__number=950).count() == 2


def test_do_add_edm_to_plans_adds_and_records(plans, author):
    version = make_edm_version(
        905, [B("1.1"), B("1.2")], stage_number=2, applies_to=[EstablishmentType.CAT_C]
    )

    report = do_add_edm_to_plans(version, acting_user=author)

    assert (report.plans_added, report.baselines, report.establishments) == (1, 2, ["EST1"])
    event = AuditEvent.objects.get(action="plans.add_edm")
    assert (event.actor, event.object_id) == (author, str(plans["cat_c_stage_2"].pk))
    assert event.after == {"edm": "EDM 905 version 1.0", "baselines": 2}


def test_do_add_edm_to_plans_refuses_a_draft(plans, draft_950, author):
    with pytest.raises(DomainError) as refused:
        do_add_edm_to_plans(draft_950, acting_user=author)

    assert refused.value.message == "Only a published EDM version can be added to plans."
    assert not PlanEdm.objects.filter(edm__number=950).exists()


def test_do_add_edm_to_plans_refuses_a_governor(plans, person_with_role):
    version = make_edm_version(905, [B("1.1")], stage_number=3)

    with pytest.raises(NotAllowed):
        do_add_edm_to_plans(version, acting_user=person_with_role(Role.GOVERNOR))

    assert not PlanEdm.objects.filter(edm__number=905).exists()


# --- The mover leaves plans the new version no longer applies to ----------------------------


@pytest.fixture
def narrowed_950(small_estate, author):
    """EDM 950 1.0 answered by a category C and a local prison; a draft 1.1 for local only."""
    do_load_edm(edm_text(950), acting_user=author, publish=True)
    local = EstablishmentFactory(
        parent=small_estate.group_1,
        code="EST3",
        name="HMP Cedarbank",
        establishment_type=EstablishmentType.LOCAL,
    )
    cat_c_plan, local_plan = start_plan(small_estate.establishment_1), start_plan(local)
    answer(response_for(cat_c_plan, "2.1"), status=ResponseStatus.IN_PROGRESS, owner="Visits")
    text = replace_line(edm_text(950, "1.1"), "applies_to: [local, cat_c]", "applies_to: [local]")
    draft = do_load_edm(text, acting_user=author).edm_version
    return cat_c_plan, local_plan, draft


def test_a_plan_the_new_version_no_longer_applies_to_keeps_its_answers(narrowed_950, author):
    cat_c_plan, local_plan, draft = narrowed_950
    kept = list(Response.objects.filter(plan=cat_c_plan).order_by("pk").values())

    result = do_publish_edm_version(draft, acting_user=author)

    assert PlanEdm.objects.get(plan=local_plan, edm__number=950).edm_version == draft
    old = PlanEdm.objects.get(plan=cat_c_plan, edm__number=950).edm_version
    assert old.version_number == "1.0"
    assert list(Response.objects.filter(plan=cat_c_plan).order_by("pk").values()) == kept
    assert response_for(cat_c_plan, "2.1").owner == "Visits"
    assert result.consequences == (
        "1 plan moved to version 1.1: 3 answers carried over, 0 flagged for review, "
        "0 archived, 0 new baselines. 1 plan stays on its earlier version with its answers "
        "as they were, because version 1.1 no longer applies to its establishment (EST1).",
    )
    moved = AuditEvent.objects.filter(action="plans.move_plan_version")
    assert [e.object_id for e in moved] == [str(local_plan.pk)]


def test_do_move_plans_to_version_reports_plans_left_where_they_were(narrowed_950, author):
    cat_c_plan, local_plan, draft = narrowed_950
    old = PlanEdm.objects.get(plan=cat_c_plan).edm_version
    # Published without its handlers, so the move below is the only one.
    EdmVersion.objects.filter(pk=draft.pk).update(status=EdmStatus.PUBLISHED)
    draft.refresh_from_db()

    report = do_move_plans_to_version(old, draft, acting_user=author)

    assert (report.plans_moved, report.establishments) == (1, ["EST3"])
    assert (report.stayed, report.stayed_establishments) == (1, ["EST1"])
    assert PlanEdm.objects.get(plan=cat_c_plan).edm_version == old
    assert AuditEvent.objects.filter(action="plans.move_plan_version").count() == 1


def test_a_later_version_for_more_kinds_of_establishment_joins_their_plans(small_estate, author):
    do_load_edm(edm_text(950), acting_user=author, publish=True)  # local and category C
    make_edm_version(
        901,
        [B("1.1")],
        stage_number=3,
        applies_to=[EstablishmentType.OPEN, EstablishmentType.CAT_C],
    )
    open_prison = EstablishmentFactory(
        parent=small_estate.group_2,
        code="EST4",
        name="HMP Dunmore",
        establishment_type=EstablishmentType.OPEN,
    )
    cat_c_plan, open_plan = start_plan(small_estate.establishment_1), start_plan(open_prison)
    assert not PlanEdm.objects.filter(plan=open_plan, edm__number=950).exists()
    text = replace_line(
        edm_text(950, "1.1"), "applies_to: [local, cat_c]", "applies_to: [local, cat_c, open]"
    )
    draft = do_load_edm(text, acting_user=author).edm_version

    result = do_publish_edm_version(draft, acting_user=author)

    assert PlanEdm.objects.get(plan=open_plan, edm__number=950).edm_version == draft
    assert PlanEdm.objects.get(plan=cat_c_plan, edm__number=950).edm_version == draft
    assert PlanEdm.objects.filter(plan=cat_c_plan, edm__number=950).count() == 1
    assert result.consequences[-1] == "1 plan now answers EDM 950."

"""Covid actions: declaring and ending outbreaks, the refusals a person reads, the emergency
move back a stage an outbreak proposes, coverage through the edit door and PPE stock."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.covid.actions import (
    PpeCount,
    controls_of_establishment,
    do_declare_outbreak,
    do_end_outbreak,
    do_set_ppe_stock,
    do_update_controls,
)
from recovery.covid.factories import at_stage, declare, ended
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.progression.constants import ChangeKind, ChangeStatus
from recovery.progression.models import StageChange

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2021, 3, 1)


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Eda", last_name="Editwell")


@pytest.fixture
def ashgrove(small_estate):
    return small_estate.establishment_1


# --- Declaring and ending ----------------------------------------------------------------------


def test_declaring_an_outbreak_opens_it_with_who_declared_it(ashgrove, editor):
    outbreak = do_declare_outbreak(
        ashgrove, declared_on=MARCH_1, cases_staff=3, cases_prisoners=11, acting_user=editor
    )

    stored = Outbreak.objects.get(pk=outbreak.pk)
    assert stored.is_open
    assert (stored.declared_on, stored.cases_staff, stored.cases_prisoners) == (MARCH_1, 3, 11)
    assert stored.declared_by == editor
    assert stored.declared_by_name == "Eda Editwell"


def test_ending_an_outbreak_records_the_day_and_who(ashgrove, editor):
    outbreak = do_declare_outbreak(ashgrove, declared_on=MARCH_1, acting_user=editor)

    do_end_outbreak(outbreak, ended_on=datetime.date(2021, 3, 29), acting_user=editor)

    stored = Outbreak.objects.get(pk=outbreak.pk)
    assert stored.ended_on == datetime.date(2021, 3, 29)
    assert stored.ended_by_name == "Eda Editwell"


def test_a_second_open_outbreak_is_refused(ashgrove, editor):
    do_declare_outbreak(ashgrove, declared_on=MARCH_1, acting_user=editor)

    with pytest.raises(DomainError) as refused:
        do_declare_outbreak(ashgrove, declared_on=datetime.date(2021, 3, 5), acting_user=editor)

    assert refused.value.message == (
        "HMP Ashgrove is already in outbreak (declared on 1 March 2021). End that outbreak "
        "before declaring another."
    )
    assert Outbreak.objects.filter(establishment=ashgrove).count() == 1


def test_an_outbreak_declared_in_the_future_is_refused(ashgrove, editor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        do_declare_outbreak(ashgrove, declared_on=tomorrow, acting_user=editor)

    assert refused.value.field == "declared_on"
    assert refused.value.message.startswith(
        "The date the outbreak was declared must be today or in the past"
    )
    assert not Outbreak.objects.exists()


def test_an_outbreak_cannot_end_before_it_was_declared(ashgrove, editor):
    outbreak = do_declare_outbreak(ashgrove, declared_on=MARCH_1, acting_user=editor)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        do_end_outbreak(outbreak, ended_on=datetime.date(2021, 2, 27), acting_user=editor)

    assert refused.value.field == "ended_on"
    assert refused.value.message == (
        "The outbreak cannot end before it was declared (declared on 1 March 2021)"
    )
    assert Outbreak.objects.get(pk=outbreak.pk).ended_on is None
    assert AuditEvent.objects.count() == events


def test_a_new_outbreak_cannot_start_inside_an_ended_one(ashgrove, editor):
    ended(ashgrove, MARCH_1, datetime.date(2021, 3, 20))

    with pytest.raises(DomainError) as refused:
        do_declare_outbreak(ashgrove, declared_on=datetime.date(2021, 3, 10), acting_user=editor)

    assert refused.value.message == (
        "This overlaps the outbreak at HMP Ashgrove declared on 1 March 2021 and ended on "
        "20 March 2021"
    )


def test_a_new_outbreak_may_start_the_day_the_last_one_ended(ashgrove, editor):
    ended(ashgrove, MARCH_1, datetime.date(2021, 3, 20))

    do_declare_outbreak(ashgrove, declared_on=datetime.date(2021, 3, 20), acting_user=editor)

    assert Outbreak.objects.filter(establishment=ashgrove).count() == 2


def test_an_outbreak_already_ended_cannot_be_ended_again(ashgrove, editor):
    outbreak = ended(ashgrove, MARCH_1, datetime.date(2021, 3, 20))

    with pytest.raises(DomainError, match="This outbreak already ended on 20 March 2021"):
        do_end_outbreak(outbreak, ended_on=datetime.date(2021, 3, 25), acting_user=editor)


def test_nobody_outside_the_establishment_declares_its_outbreak(small_estate, person_with_role):
    elsewhere = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    pgd = person_with_role(Role.PGD)

    for person in (elsewhere, pgd):
        with pytest.raises(NotAllowed):
            do_declare_outbreak(
                small_estate.establishment_1, declared_on=MARCH_1, acting_user=person
            )
    with pytest.raises(NotAllowed):
        do_declare_outbreak(small_estate.establishment_1, declared_on=MARCH_1, acting_user=None)
    assert not Outbreak.objects.exists()


# --- The move back a stage an outbreak proposes -------------------------------------------------


def test_an_outbreak_above_lockdown_proposes_a_move_back_and_tells_the_pgd(
    ashgrove, small_estate, editor, person_with_role, django_capture_on_commit_callbacks
):
    pgd = person_with_role(Role.PGD, first_name="Pat", last_name="Groves")
    elsewhere_pgd = person_with_role(Role.PGD, small_estate.group_2)
    at_stage(ashgrove, 3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outbreak = do_declare_outbreak(ashgrove, declared_on=MARCH_1, acting_user=editor)

    proposal = StageChange.objects.get(establishment=ashgrove, status=ChangeStatus.PROPOSED)
    assert proposal.stage.number == 4
    assert proposal.previous_stage.number == 3
    assert proposal.kind == ChangeKind.EMERGENCY
    assert proposal.outbreak == outbreak
    assert [m.to for m in mail.outbox] == [[pgd.email]]
    assert elsewhere_pgd.email not in mail.outbox[0].to
    assert mail.outbox[0].subject == (
        "Outbreak at HMP Ashgrove: a move back to stage 4 is proposed"
    )


def test_an_outbreak_at_the_lockdown_stage_proposes_nothing(
    ashgrove, editor, person_with_role, django_capture_on_commit_callbacks
):
    person_with_role(Role.PGD)
    at_stage(ashgrove, 5)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        do_declare_outbreak(ashgrove, declared_on=MARCH_1, acting_user=editor)

    assert not StageChange.objects.filter(status=ChangeStatus.PROPOSED).exists()
    assert mail.outbox == []


def test_a_refused_declaration_proposes_nothing(ashgrove, editor, person_with_role):
    at_stage(ashgrove, 3)
    declare(ashgrove, MARCH_1)
    proposals = StageChange.objects.filter(status=ChangeStatus.PROPOSED).count()

    with pytest.raises(DomainError):
        declare(ashgrove, datetime.date(2021, 3, 2), acting_user=editor)

    assert StageChange.objects.filter(status=ChangeStatus.PROPOSED).count() == proposals


# --- Coverage, lead and plan review through the edit door --------------------------------------


def test_coverage_is_saved_and_versioned(ashgrove, editor):
    changed = do_update_controls(
        controls_of_establishment(ashgrove),
        expected_version=1,
        changes={"staff_tested_percent": 85, "contact_tracing_lead": "Dr Ada Nurse"},
        acting_user=editor,
    )

    stored = CovidControls.objects.get(establishment=ashgrove)
    assert changed == {"staff_tested_percent": 85, "contact_tracing_lead": "Dr Ada Nurse"}
    assert (stored.staff_tested_percent, stored.contact_tracing_lead) == (85, "Dr Ada Nurse")
    assert stored.version == 2


@pytest.mark.parametrize("value", [101, -1])
def test_coverage_outside_0_to_100_is_a_field_error_and_nothing_is_saved(ashgrove, editor, value):
    with pytest.raises(DomainError) as refused:
        do_update_controls(
            controls_of_establishment(ashgrove),
            expected_version=1,
            changes={"prisoners_vaccinated_percent": value, "contact_tracing_lead": "Kit"},
            acting_user=editor,
        )

    assert refused.value.field == "prisoners_vaccinated_percent"
    assert refused.value.message == "Prisoners vaccinated must be a whole number from 0 to 100"
    assert not CovidControls.objects.exists()


def test_a_plan_review_in_the_future_is_refused(ashgrove, editor):
    with pytest.raises(DomainError) as refused:
        do_update_controls(
            controls_of_establishment(ashgrove),
            expected_version=1,
            changes={
                "contingency_plan_reviewed_on": timezone.localdate() + datetime.timedelta(days=3)
            },
            acting_user=editor,
        )

    assert refused.value.field == "contingency_plan_reviewed_on"
    assert not CovidControls.objects.exists()


def test_a_stale_edit_of_the_controls_is_refused(ashgrove, editor, person_with_role):
    governor = person_with_role(Role.GOVERNOR, first_name="Gil", last_name="Governs")
    opened = controls_of_establishment(ashgrove)
    do_update_controls(
        opened, expected_version=1, changes={"staff_tested_percent": 70}, acting_user=governor
    )

    with pytest.raises(StaleEditError) as refused:
        do_update_controls(
            controls_of_establishment(ashgrove),
            expected_version=1,
            changes={"staff_tested_percent": 90},
            acting_user=editor,
        )

    assert "changed by Gil Governs" in refused.value.message
    assert CovidControls.objects.get(establishment=ashgrove).staff_tested_percent == 70


# --- PPE stock ----------------------------------------------------------------------------------


def test_ppe_stock_is_recorded_against_need(ashgrove, editor):
    changed = do_set_ppe_stock(
        ashgrove,
        [PpeCount("gloves", 300, 500, 0), PpeCount("aprons", 90, 80, 0)],
        counted_on=datetime.date(2021, 3, 2),
        acting_user=editor,
    )

    gloves = PpeStock.objects.get(establishment=ashgrove, item="gloves")
    assert sorted(changed) == ["aprons", "gloves"]
    assert (gloves.in_stock, gloves.needed, gloves.short_by) == (300, 500, 200)
    assert gloves.counted_on == datetime.date(2021, 3, 2)


def test_negative_stock_is_a_field_error_and_nothing_is_saved(ashgrove, editor):
    with pytest.raises(DomainError) as refused:
        do_set_ppe_stock(
            ashgrove,
            [PpeCount("aprons", 90, 80, 0), PpeCount("gloves", -5, 500, 0)],
            acting_user=editor,
        )

    assert refused.value.field == "gloves_in_stock"
    assert refused.value.message == "Disposable gloves (pairs) in stock cannot be negative"
    assert not PpeStock.objects.exists()


def test_a_stale_stock_count_is_refused(ashgrove, editor):
    do_set_ppe_stock(ashgrove, [PpeCount("gloves", 300, 500, 0)], acting_user=editor)

    with pytest.raises(StaleEditError):
        do_set_ppe_stock(ashgrove, [PpeCount("gloves", 100, 500, 0)], acting_user=editor)

    assert PpeStock.objects.get(item="gloves").in_stock == 300

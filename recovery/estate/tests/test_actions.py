"""Correcting an establishment's or an office's details: who may, what is recorded, and what
happens when two people edit at once."""

import datetime

import pytest

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.estate import actions
from recovery.estate.actions import do_update_establishment, do_update_office
from recovery.estate.models import Establishment, ProbationOffice

pytestmark = pytest.mark.django_db


def fresh(unit):
    return type(unit).objects.get(pk=unit.pk)


def test_update_establishment_records_who_and_what(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR, first_name="Gwen", last_name="Governor")
    est = fresh(small_estate.establishment_1)
    changed = do_update_establishment(
        est,
        expected_version=1,
        changes={"population": 575, "operational_capacity": 600},
        acting_user=governor,
    )
    assert changed == {"population": 575}
    est.refresh_from_db()
    assert est.population == 575 and est.version == 2
    event = AuditEvent.objects.get()
    assert event.action == "estate.update_establishment"
    assert event.actor == governor and event.actor_name == "Gwen Governor"
    assert event.before == {"population": 550} and event.after == {"population": 575}
    assert event.object_version == 2
    assert event.summary == "Changed population of HMP Ashgrove"


def test_saving_without_a_change_records_nothing(small_estate, person_with_role):
    est = fresh(small_estate.establishment_1)
    changed = do_update_establishment(
        est,
        expected_version=1,
        changes={"population": 550},
        acting_user=person_with_role(Role.GOVERNOR),
    )
    assert changed == {}
    assert fresh(est).version == 1
    assert not AuditEvent.objects.exists()


def test_stale_edit_is_refused_and_says_what_changed(small_estate, person_with_role):
    first = person_with_role(Role.GOVERNOR, first_name="Ffion", last_name="First")
    second = person_with_role(Role.ADMINISTRATOR)
    do_update_establishment(
        fresh(small_estate.establishment_1),
        expected_version=1,
        changes={"population": 560},
        acting_user=first,
    )
    with pytest.raises(StaleEditError) as refused:
        do_update_establishment(
            fresh(small_estate.establishment_1),
            expected_version=1,
            changes={"population": 500},
            acting_user=second,
        )
    error = refused.value
    assert error.message == (
        "HMP Ashgrove was changed by Ffion First while you were editing it. Your changes have "
        "not been saved. Check the current values and make your changes again."
    )
    assert [(c.label, c.before, c.after) for c in error.changes] == [("Population", 550, 560)]
    assert fresh(small_estate.establishment_1).population == 560
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "role, where",
    [
        (Role.GOVERNOR, "establishment_2"),  # another prison
        (Role.TRADE_UNION_REP, "establishment_1"),  # reads but may not correct
        (Role.PGD, "establishment_1"),
        (Role.CENTRAL_PANEL, "establishment_1"),
    ],
)
def test_update_establishment_refused_without_permission(
    small_estate, person_with_role, role, where
):
    est = fresh(getattr(small_estate, where))
    with pytest.raises(NotAllowed, match="You do not have permission to do that here."):
        do_update_establishment(
            est,
            expected_version=1,
            changes={"population": 1},
            acting_user=person_with_role(role),
        )
    assert fresh(est).population == 550
    assert not AuditEvent.objects.exists()


def test_fields_outside_the_form_cannot_be_changed(small_estate, person_with_role):
    with pytest.raises(DomainError) as refused:
        do_update_establishment(
            fresh(small_estate.establishment_1),
            expected_version=1,
            changes={"code": "HACK"},
            acting_user=person_with_role(Role.ADMINISTRATOR),
        )
    assert refused.value.message == "These details cannot be changed here: code."
    assert Establishment.objects.filter(code="EST1").exists()


def test_invalid_value_is_refused_against_its_field(small_estate, person_with_role):
    with pytest.raises(DomainError) as refused:
        do_update_establishment(
            fresh(small_estate.establishment_1),
            expected_version=1,
            changes={"operational_capacity": 0},
            acting_user=person_with_role(Role.GOVERNOR),
        )
    assert refused.value.field == "operational_capacity"
    assert refused.value.message == "Ensure this value is greater than or equal to 1."
    assert fresh(small_estate.establishment_1).operational_capacity == 600


def test_a_failure_half_way_writes_nothing(small_estate, person_with_role, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(actions, "record_event", broken)
    with pytest.raises(RuntimeError):
        do_update_establishment(
            fresh(small_estate.establishment_1),
            expected_version=1,
            changes={"population": 1},
            acting_user=person_with_role(Role.GOVERNOR),
        )
    est = fresh(small_estate.establishment_1)
    assert est.population == 550 and est.version == 1


def test_update_office_records_its_event(small_estate, person_with_role):
    head = person_with_role(Role.PDU_HEAD)
    office = fresh(small_estate.office_1)
    do_update_office(
        office,
        expected_version=1,
        changes={"closes_at": datetime.time(19, 0), "days_open": 6},
        acting_user=head,
    )
    office.refresh_from_db()
    assert office.closes_at == datetime.time(19, 0) and office.days_open == 6
    event = AuditEvent.objects.get(action="estate.update_office")
    assert event.after == {"closes_at": "19:00:00", "days_open": 6}
    assert event.unit_id == office.pk


def test_update_office_refused_out_of_scope(small_estate, person_with_role):
    office = fresh(small_estate.office_2)
    with pytest.raises(NotAllowed):
        do_update_office(
            office,
            expected_version=1,
            changes={"interview_rooms": 1},
            acting_user=person_with_role(Role.PDU_HEAD),
        )
    assert ProbationOffice.objects.get(pk=office.pk).interview_rooms == 6

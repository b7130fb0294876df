"""Every action function records its audit event — action name, who, before and after — in the
same transaction as its change, so a failure half-way writes neither."""

import datetime
import importlib
import inspect
import pkgutil
from unittest import mock

import pytest

import recovery
from recovery.accounts.actions import (
    do_assign_role,
    do_create_api_token,
    do_create_user,
    do_remove_role,
    do_revoke_api_token,
    do_set_user_active,
)
from recovery.accounts.models import ApiToken, RoleAssignment, User
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role, UnitKind
from recovery.estate.actions import do_create_unit, do_update_establishment, do_update_office
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

COVERED_HERE = {
    "do_create_unit",
    "do_update_establishment",
    "do_update_office",
    "do_create_user",
    "do_set_user_active",
    "do_assign_role",
    "do_remove_role",
    "do_create_api_token",
    "do_revoke_api_token",
}


@pytest.fixture
def admin(person_with_role):
    return person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson")


def only_event(**lookup) -> AuditEvent:
    events = list(AuditEvent.objects.filter(**lookup))
    assert len(events) == 1, [e.action for e in AuditEvent.objects.all()]
    return events[0]


def test_do_create_unit(small_estate, admin):
    unit = do_create_unit(
        kind=UnitKind.PRISON_GROUP,
        code="GRP9",
        name="Eastern Marsh group",
        parent=small_estate.nation,
        acting_user=admin,
    )

    event = only_event(action="estate.create_unit")
    assert event.actor == admin
    assert event.actor_name == "Ada Adminson"
    assert event.object_type == "estate.organisationunit"
    assert event.object_id == str(unit.pk)
    assert event.unit_path == "/HMPPS/GRP9/"
    assert event.before == {}
    assert event.after == {
        "code": "GRP9",
        "kind": "prison_group",
        "name": "Eastern Marsh group",
        "parent": "HMPPS",
    }


def test_do_update_establishment(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    establishment = small_estate.establishment_1

    do_update_establishment(
        establishment,
        expected_version=establishment.version,
        changes={"population": 590, "name": "HMP Ashgrove"},
        acting_user=governor,
    )

    event = only_event(action="estate.update_establishment")
    assert event.actor == governor
    assert event.before == {"population": 550}  # only what really changed
    assert event.after == {"population": 590}
    assert event.object_version == 2
    assert event.unit_id == establishment.pk


def test_do_update_office(small_estate, person_with_role):
    head = person_with_role(Role.PDU_HEAD)
    office = small_estate.office_1

    do_update_office(
        office,
        expected_version=office.version,
        changes={"interview_rooms": 8, "closes_at": datetime.time(19, 0)},
        acting_user=head,
    )

    event = only_event(action="estate.update_office")
    assert event.actor == head
    assert event.before == {"interview_rooms": 6, "closes_at": "17:00:00"}
    assert event.after == {"interview_rooms": 8, "closes_at": "19:00:00"}


def test_do_create_user(small_estate, admin):
    user = do_create_user(
        email="Nia.Newcombe@Example.org",
        first_name="Nia",
        last_name="Newcombe",
        job_title="Head of reducing reoffending",
        acting_user=admin,
    )

    event = only_event(action="accounts.create_user")
    assert event.actor == admin
    assert event.object_id == str(user.pk)
    assert event.before == {}
    assert event.after == {
        "email": "nia.newcombe@example.org",
        "first_name": "Nia",
        "last_name": "Newcombe",
        "job_title": "Head of reducing reoffending",
    }


@pytest.mark.parametrize(
    ("active", "action"),
    [(False, "accounts.deactivate_user"), (True, "accounts.reactivate_user")],
)
def test_do_set_user_active(small_estate, admin, person_with_role, active, action):
    person = person_with_role(Role.GOVERNOR)
    if active:
        User.objects.filter(pk=person.pk).update(is_active=False)
        person.refresh_from_db()

    do_set_user_active(person, active=active, acting_user=admin)

    event = only_event(action=action)
    assert event.actor == admin
    assert event.object_id == str(person.pk)
    assert event.before == {"is_active": not active}
    assert event.after == {"is_active": active}


def test_do_set_user_active_records_nothing_when_nothing_changes(
    small_estate, admin, person_with_role
):
    person = person_with_role(Role.GOVERNOR)

    do_set_user_active(person, active=True, acting_user=admin)

    assert not AuditEvent.objects.exists()


def test_do_assign_role(small_estate, admin, person_with_role):
    person = person_with_role(Role.VIEWER)

    assignment = do_assign_role(
        person, role=Role.GOVERNOR, unit=small_estate.establishment_2, acting_user=admin
    )

    event = only_event(action="accounts.assign_role")
    assert event.actor == admin
    assert event.object_type == "accounts.roleassignment"
    assert event.object_id == str(assignment.pk)
    assert event.unit_path == small_estate.establishment_2.path
    assert event.before == {}
    assert event.after == {"user": person.email, "role": "governor", "unit": "EST2"}


def test_do_remove_role(small_estate, admin, person_with_role):
    person = person_with_role(Role.GOVERNOR)
    assignment = RoleAssignment.objects.get(user=person)

    do_remove_role(assignment, acting_user=admin)

    event = only_event(action="accounts.remove_role")
    assert event.actor == admin
    assert event.object_id == str(assignment.pk)
    assert event.before == {"user": person.email, "role": "governor", "unit": "EST1"}
    assert event.after == {}
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_do_create_api_token(small_estate, person_with_role):
    person = person_with_role(Role.PGD)

    token, secret = do_create_api_token(name="Weekly extract", days=30, acting_user=person)

    event = only_event(action="accounts.create_api_token")
    assert event.actor == person
    assert event.object_id == str(token.pk)
    assert event.before == {}
    assert event.after["name"] == "Weekly extract"
    assert event.after["prefix"] == secret[:12]
    assert secret not in str(event.after)  # the secret itself is never recorded


def test_do_revoke_api_token(small_estate, person_with_role):
    person = person_with_role(Role.PGD)
    token, _ = do_create_api_token(name="Weekly extract", acting_user=person)

    do_revoke_api_token(token, acting_user=person)

    event = only_event(action="accounts.revoke_api_token")
    assert event.actor == person
    assert event.object_id == str(token.pk)
    assert event.before == {"revoked_at": None}
    assert event.after["revoked_at"] is not None


# Atomicity: record_event fails after the change was made; nothing may be left written.
# Each case: where its record_event is looked up, what to attempt, and whether the change landed.


def _other_person(admin):
    return User.objects.exclude(pk=admin.pk).get()


ATOMICITY_CASES = {
    "do_create_unit": (
        "recovery.estate.actions",
        lambda estate, admin: do_create_unit(
            kind=UnitKind.PRISON_GROUP,
            code="GRP9",
            name="Eastern Marsh group",
            parent=estate.nation,
            acting_user=admin,
        ),
        lambda estate, admin: OrganisationUnit.objects.filter(code="GRP9").exists(),
    ),
    "do_update_establishment": (
        "recovery.estate.actions",
        lambda estate, admin: do_update_establishment(
            estate.establishment_1,
            expected_version=1,
            changes={"population": 1},
            acting_user=admin,
        ),
        lambda estate, admin: (
            Establishment.objects.get(code="EST1").population != 550
            or Establishment.objects.get(code="EST1").version != 1
        ),
    ),
    "do_update_office": (
        "recovery.estate.actions",
        lambda estate, admin: do_update_office(
            estate.office_1,
            expected_version=1,
            changes={"interview_rooms": 1},
            acting_user=admin,
        ),
        lambda estate, admin: ProbationOffice.objects.get(code="OFF1").interview_rooms != 6,
    ),
    "do_create_user": (
        "recovery.accounts.actions",
        lambda estate, admin: do_create_user(
            email="nia@example.org", first_name="Nia", last_name="Newcombe", acting_user=admin
        ),
        lambda estate, admin: User.objects.filter(email="nia@example.org").exists(),
    ),
    "do_set_user_active": (
        "recovery.accounts.actions",
        lambda estate, admin: do_set_user_active(
            _other_person(admin), active=False, acting_user=admin
        ),
        lambda estate, admin: User.objects.filter(is_active=False).exists(),
    ),
    "do_assign_role": (
        "recovery.accounts.actions",
        lambda estate, admin: do_assign_role(
            _other_person(admin),
            role=Role.GOVERNOR,
            unit=estate.establishment_2,
            acting_user=admin,
        ),
        lambda estate, admin: RoleAssignment.objects.filter(unit=estate.establishment_2).exists(),
    ),
    "do_remove_role": (
        "recovery.accounts.actions",
        lambda estate, admin: do_remove_role(
            RoleAssignment.objects.get(user=_other_person(admin)), acting_user=admin
        ),
        lambda estate, admin: not RoleAssignment.objects.filter(user=_other_person(admin)).exists(),
    ),
    "do_create_api_token": (
        "recovery.accounts.actions",
        lambda estate, admin: do_create_api_token(name="Weekly extract", acting_user=admin),
        lambda estate, admin: ApiToken.objects.filter(name="Weekly extract").exists(),
    ),
    "do_revoke_api_token": (
        "recovery.accounts.actions",
        lambda estate, admin: do_revoke_api_token(
            ApiToken.objects.get(name="Standing token"), acting_user=admin
        ),
        lambda estate, admin: ApiToken.objects.filter(revoked_at__isnull=False).exists(),
    ),
}


def _failing_record_event(**kwargs):
    raise RuntimeError("the audit store failed")


@pytest.mark.parametrize("name", sorted(ATOMICITY_CASES))
def test_a_failed_audit_record_leaves_nothing_written(small_estate, admin, person_with_role, name):
    module, attempt, landed = ATOMICITY_CASES[name]
    person_with_role(Role.GOVERNOR)
    do_create_api_token(name="Standing token", acting_user=admin)
    events_before = AuditEvent.objects.count()
    assert not landed(small_estate, admin)

    with (
        mock.patch(f"{module}.record_event", _failing_record_event),
        pytest.raises(RuntimeError, match="the audit store failed"),
    ):
        attempt(small_estate, admin)

    assert not landed(small_estate, admin), f"{name} kept its change without its audit event"
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("name", sorted(ATOMICITY_CASES))
def test_the_same_attempt_lands_when_the_audit_works(small_estate, admin, person_with_role, name):
    """Guards the probes above: each one does see its change when nothing fails."""
    _module, attempt, landed = ATOMICITY_CASES[name]
    person_with_role(Role.GOVERNOR)
    do_create_api_token(name="Standing token", acting_user=admin)

    attempt(small_estate, admin)

    assert landed(small_estate, admin)


def _action_functions() -> dict[str, str]:
    """Every do_* function that any recovery/<app>/actions.py offers, whether defined there or
    in another module of the same app that it re-exports (e.g. frameworks/drafts.py):
    name -> the module that defines it."""
    found = {}
    for info in pkgutil.iter_modules(recovery.__path__):
        try:
            module = importlib.import_module(f"recovery.{info.name}.actions")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("do_") and function.__module__.startswith(f"recovery.{info.name}."):
                found[name] = function.__module__
    return found


def test_every_foundation_action_has_an_atomicity_case():
    """Every action checked in full here also proves its change and its event are written
    together. The other actions' events are checked in test_every_action_records_its_event.py,
    which also fails for any action that has no case in either file."""
    assert set(ATOMICITY_CASES) == COVERED_HERE

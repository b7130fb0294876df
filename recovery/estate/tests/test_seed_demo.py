"""The demo data: national scale, the same every run, and a second run changes nothing."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command

from recovery.accounts.models import RoleAssignment, User
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role, UnitKind
from recovery.estate.constants import (
    YOUTH_CUSTODY_TYPES,
    EstablishmentStatus,
    EstablishmentType,
    Operator,
)
from recovery.estate.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    REAL_PRISON_NAMES,
    build_demo_estate,
)
from recovery.estate.factories import NationFactory
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(OrganisationUnit.objects.order_by("code").values_list("code", "name", "path"))


def test_the_demo_estate_is_the_same_on_every_build():
    first, second = build_demo_estate(), build_demo_estate()
    assert first == second


def test_the_demo_estate_has_national_scale_and_a_realistic_mix():
    estate = build_demo_estate()
    kinds = Counter(u.kind for u in estate.units)
    assert kinds[UnitKind.PRISON_GROUP] == 21
    assert kinds[UnitKind.ESTABLISHMENT] == 124
    assert kinds[UnitKind.PROBATION_REGION] == 12
    assert kinds[UnitKind.PDU] == 110
    assert 250 <= kinds[UnitKind.OFFICE] <= 400

    establishments = estate.of_kind(UnitKind.ESTABLISHMENT)
    types = Counter(u.details["establishment_type"] for u in establishments)
    assert set(types) == set(EstablishmentType.values)
    assert sum(types[t] for t in YOUTH_CUSTODY_TYPES) >= 6
    operators = Counter(u.details["operator"] for u in establishments)
    assert 10 <= operators[Operator.PRIVATE] <= 25
    for unit in establishments:
        capacity, population = (
            unit.details["operational_capacity"],
            unit.details["population"],
        )
        assert 60 <= capacity <= 1600
        if unit.details["status"] == EstablishmentStatus.CLOSED:
            assert population == 0
        elif population is not None:
            assert 0.85 * capacity - 1 <= population <= capacity

    # The real register's awkward cases: a closed prison, one holding two categories, and an
    # immigration removal centre whose population is not known.
    closed = [u for u in establishments if u.details["status"] == EstablishmentStatus.CLOSED]
    assert [u.name for u in closed] == ["HMP Marlby"]
    assert [u.name for u in establishments if len(u.details["categories"]) > 1] == [
        "HMP Drayhallow"
    ]
    assert [u.details["categories"] for u in establishments if u.name == "HMP Drayhallow"] == [
        ["B", "C"]
    ]
    irc = [u for u in establishments if u.details["establishment_type"] == "irc"]
    assert [(u.name, u.details["population"]) for u in irc] == [
        ("Wendcombe Immigration Removal Centre", 515),
        ("Jarlcott Immigration Removal Centre", None),
    ]

    per_region = Counter(u.parent_code for u in estate.of_kind(UnitKind.PDU))
    assert min(per_region.values()) == 5 and max(per_region.values()) == 18
    per_pdu = Counter(u.parent_code for u in estate.of_kind(UnitKind.OFFICE))
    assert set(per_pdu.values()) <= {2, 3, 4}
    offices = estate.of_kind(UnitKind.OFFICE)
    assert all(2 <= o.details["interview_rooms"] <= 14 for o in offices)
    assert all(o.details["days_open"] in (5, 6) for o in offices)
    assert any(o.details["closes_at"].hour == 20 for o in offices)


def test_demo_names_are_invented():
    estate = build_demo_estate()
    names = [u.name for u in estate.units]
    words = {w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name)}
    assert not words & REAL_PRISON_NAMES
    establishment_names = [u.name for u in estate.of_kind(UnitKind.ESTABLISHMENT)]
    assert len(set(establishment_names)) == 124
    assert not re.search(r"(.)\1\1", " ".join(names))


@pytest.mark.django_db
def test_seed_demo_loads_the_estate_and_accounts_once_and_a_second_run_changes_nothing():
    # One test, not three: the whole demo takes about 40 s to seed on PostgreSQL.
    output = seed("--if-empty")

    assert OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP).count() == 21
    assert Establishment.objects.count() == 124
    assert list(Establishment.objects.filter(status="closed").values_list("code", flat=True)) == [
        "MAB"
    ]
    assert OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION).count() == 12
    assert OrganisationUnit.objects.filter(kind=UnitKind.PDU).count() == 110
    assert ProbationOffice.objects.count() == len(build_demo_estate().of_kind(UnitKind.OFFICE))
    units = OrganisationUnit.objects.count()
    assert AuditEvent.objects.filter(action="estate.create_unit").count() == units
    assert AuditEvent.objects.filter(action="estate.import").count() == 1
    assert "Added 21 prison groups, 124 establishments, 12 probation regions, 110 PDUs" in output
    for account in DEMO_ACCOUNTS:
        assert account.email in output
        assert User.objects.get(email=account.email).check_password(DEMO_PASSWORD)
        held = set(
            RoleAssignment.objects.filter(user__email=account.email).values_list(
                "role", "unit__code"
            )
        )
        assert held == {(r.role, r.unit_code) for r in account.roles}
    assert f"password for all: {DEMO_PASSWORD}" in output

    first = snapshot()
    events = AuditEvent.objects.count()
    users = User.objects.count()

    output = seed()

    assert snapshot() == first
    assert AuditEvent.objects.count() == events
    assert User.objects.count() == users
    assert "Nothing changed: all 596 units already matched." in output
    assert "Accounts: 0 added, 0 roles given." in output


@pytest.mark.django_db
def test_every_role_has_a_demo_account_and_the_special_ones_exist():
    roles = {r.role for a in DEMO_ACCOUNTS for r in a.roles}
    assert roles == set(Role.values)
    by_email = {a.email: a for a in DEMO_ACCOUNTS}
    estate = {u.code: u for u in build_demo_estate().units}
    editor_site = estate[by_email["editor@demo.example"].roles[0].unit_code]
    assert editor_site.details["establishment_type"] == EstablishmentType.LOCAL
    assert by_email["governor@demo.example"].roles[0].unit_code == editor_site.code
    assert by_email["pgd@demo.example"].roles[0].unit_code == editor_site.parent_code
    multi = by_email["multi@demo.example"].roles
    assert [r.role for r in multi] == [Role.GOVERNOR, Role.GOVERNOR]
    assert len({r.unit_code for r in multi}) == 2
    ycs_site = estate[by_email["ycs-editor@demo.example"].roles[0].unit_code]
    assert ycs_site.details["establishment_type"] in YOUTH_CUSTODY_TYPES


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_when_a_unit_exists():
    NationFactory()

    output = seed("--if-empty")

    assert output.strip() == "The service already has an estate: no demo data was added."
    assert OrganisationUnit.objects.count() == 1
    assert not User.objects.exists()


@pytest.mark.django_db
def test_do_load_estate_records_an_event_per_unit_and_one_for_the_load(person_with_role):
    from recovery.estate.actions import do_load_estate

    admin = person_with_role("administrator", first_name="Ada", last_name="Admin")
    before = AuditEvent.objects.count()
    summary = do_load_estate(build_demo_estate(), acting_user=admin, source="demo data")

    created = sum(summary.created.values())
    events = AuditEvent.objects.order_by("id")[before:]
    assert created > 500
    assert sum(1 for e in events if e.action == "estate.create_unit") == created
    load_event = [e for e in events if e.action == "estate.import"]
    assert len(load_event) == 1 and load_event[0].actor_name == "Ada Admin"

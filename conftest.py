"""Fixtures shared by every app's tests: a small two-of-everything estate and people who hold
one role each, so each test can ask for "in scope" and "out of scope" without a big fixture."""

from dataclasses import dataclass

import pytest

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory
from recovery.core.constants import ROLE_UNIT_KINDS, UnitKind
from recovery.estate.factories import (
    EstablishmentFactory,
    NationFactory,
    OfficeFactory,
    PduFactory,
    PrisonGroupFactory,
    ProbationRegionFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a public page kept by one test must not answer
    in the next, whose database holds something else."""
    from django.core.cache import cache

    cache.clear()
    yield


@dataclass
class SmallEstate:
    """Two of everything: `*_1` is where in-scope people sit, `*_2` is somewhere else."""

    nation: object
    group_1: object
    group_2: object
    establishment_1: object
    establishment_2: object
    region_1: object
    region_2: object
    pdu_1: object
    pdu_2: object
    office_1: object
    office_2: object

    def home_unit(self, kind: str):
        return {
            UnitKind.NATION: self.nation,
            UnitKind.PRISON_GROUP: self.group_1,
            UnitKind.ESTABLISHMENT: self.establishment_1,
            UnitKind.PROBATION_REGION: self.region_1,
            UnitKind.PDU: self.pdu_1,
            UnitKind.OFFICE: self.office_1,
        }[kind]


@pytest.fixture
def small_estate(db) -> SmallEstate:
    nation = NationFactory()
    group_1 = PrisonGroupFactory(parent=nation, code="GRP1", name="Northern Fells group")
    group_2 = PrisonGroupFactory(parent=nation, code="GRP2", name="Southern Downs group")
    region_1 = ProbationRegionFactory(parent=nation, code="REG1", name="Wolds region")
    region_2 = ProbationRegionFactory(parent=nation, code="REG2", name="Marches region")
    pdu_1 = PduFactory(parent=region_1, code="PDU1", name="Eastmoor PDU")
    pdu_2 = PduFactory(parent=region_2, code="PDU2", name="Westvale PDU")
    return SmallEstate(
        nation=nation,
        group_1=group_1,
        group_2=group_2,
        establishment_1=EstablishmentFactory(parent=group_1, code="EST1", name="HMP Ashgrove"),
        establishment_2=EstablishmentFactory(parent=group_2, code="EST2", name="HMP Birchwood"),
        region_1=region_1,
        region_2=region_2,
        pdu_1=pdu_1,
        pdu_2=pdu_2,
        office_1=OfficeFactory(parent=pdu_1, code="OFF1", name="Eastmoor Road office"),
        office_2=OfficeFactory(parent=pdu_2, code="OFF2", name="Westvale Street office"),
    )


@pytest.fixture
def person_with_role(small_estate):
    """make(role, unit=None): a person holding `role` at `unit` (default: the in-scope unit of
    the kind the role is held at)."""

    def make(role: str, unit=None, **user_fields):
        if unit is None:
            kind = sorted(ROLE_UNIT_KINDS[role])[0]
            if UnitKind.NATION in ROLE_UNIT_KINDS[role]:
                kind = UnitKind.NATION
            unit = small_estate.home_unit(kind)
        user = UserFactory(**user_fields)
        RoleAssignmentFactory(user=user, role=role, unit=unit)
        return user

    return make

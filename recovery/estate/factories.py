"""Factories for the estate. Units are made through the model (tests of actions use actions)."""

import datetime

import factory

from recovery.core.constants import UnitKind
from recovery.estate.constants import Category, EstablishmentStatus, EstablishmentType, Operator
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice


class NationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ("code",)

    kind = UnitKind.NATION
    code = "HMPPS"
    name = "England and Wales"
    parent = None


class PrisonGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    kind = UnitKind.PRISON_GROUP
    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.Sequence(lambda n: f"Prison group {n}")
    parent = factory.SubFactory(NationFactory)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    kind = UnitKind.ESTABLISHMENT
    code = factory.Sequence(lambda n: f"E{n:03d}")
    name = factory.Sequence(lambda n: f"HMP Testfield {n}")
    parent = factory.SubFactory(PrisonGroupFactory)
    establishment_type = EstablishmentType.CAT_C
    status = EstablishmentStatus.OPEN
    categories = factory.LazyFunction(lambda: [Category.C.value])
    operator = Operator.PUBLIC
    operational_capacity = 600
    population = 550


class ProbationRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    kind = UnitKind.PROBATION_REGION
    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Probation region {n}")
    parent = factory.SubFactory(NationFactory)


class PduFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    kind = UnitKind.PDU
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Testshire PDU {n}")
    parent = factory.SubFactory(ProbationRegionFactory)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProbationOffice

    kind = UnitKind.OFFICE
    code = factory.Sequence(lambda n: f"O{n:03d}")
    name = factory.Sequence(lambda n: f"Testtown office {n}")
    parent = factory.SubFactory(PduFactory)
    interview_rooms = 6
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)
    days_open = 5

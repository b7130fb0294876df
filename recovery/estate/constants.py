"""Kinds of establishment. Importable without models."""

from django.db import models

from recovery.core.constants import UnitKind  # noqa: F401 - re-exported for the estate's callers


class EstablishmentType(models.TextChoices):
    LOCAL = "local", "Local (reception)"
    HIGH_SECURITY = "high_security", "High security (category A)"
    CAT_B = "cat_b", "Category B training"
    CAT_C = "cat_c", "Category C training"
    OPEN = "open", "Open (category D)"
    WOMENS = "womens", "Women's"
    YOI = "yoi", "Young offender institution"
    YCS_YOI = "ycs_yoi", "Youth custody: YOI (under 18)"
    STC = "stc", "Youth custody: secure training centre"
    SCH = "sch", "Youth custody: secure children's home"


YOUTH_CUSTODY_TYPES = frozenset(
    {EstablishmentType.YCS_YOI, EstablishmentType.STC, EstablishmentType.SCH}
)


class Category(models.TextChoices):
    A = "A", "Category A"
    B = "B", "Category B"
    C = "C", "Category C"
    D = "D", "Category D"
    CLOSED = "closed", "Closed"
    OPEN = "open", "Open"
    YOUTH = "youth", "Youth secure estate"


class Operator(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"

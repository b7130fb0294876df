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
    IRC = "irc", "Immigration removal centre"


YOUTH_CUSTODY_TYPES = frozenset(
    {EstablishmentType.YCS_YOI, EstablishmentType.STC, EstablishmentType.SCH}
)


class Category(models.TextChoices):
    A = "A", "Category A"
    B = "B", "Category B"
    C = "C", "Category C"
    D = "D", "Category D"
    # Women's and young adults' categories; labelled so they do not read as a status.
    CLOSED = "closed", "Closed conditions"
    OPEN = "open", "Open conditions"
    YOUTH = "youth", "Youth secure estate"


# How categories read in a list: "B, C"; the word categories by their label.
CATEGORY_SHORT = {
    Category.A: "A",
    Category.B: "B",
    Category.C: "C",
    Category.D: "D",
    Category.CLOSED: "Closed conditions",
    Category.OPEN: "Open conditions",
    Category.YOUTH: "Youth secure estate",
}


def ordered_categories(values) -> list[str]:
    """Categories without repeats, in the order of `Category` ("C, B" is stored as ["B", "C"]),
    so that the same set is always the same list. Unknown values are kept, at the end, for the
    model's validator to refuse."""
    values = list(dict.fromkeys(values or []))
    known = [c.value for c in Category if c.value in values]
    return known + [v for v in values if v not in known]


def categories_label(values) -> str:
    """Categories as people read them: "B, C"; empty when none is recorded."""
    return ", ".join(CATEGORY_SHORT.get(v, str(v)) for v in values or [])


class EstablishmentStatus(models.TextChoices):
    """Closed establishments keep their history and plans but leave national counts, totals
    and default lists; they are listed on request."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Operator(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"

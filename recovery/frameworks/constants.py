"""Words of the framework library. Importable without models."""

from django.db import models


class EdmStatus(models.TextChoices):
    """Where one version of an EDM is in its life.

    - draft: uploaded by a framework author, seen only by framework authors; may be replaced.
    - published: national guidance that plans answer; its content never changes again.
    - withdrawn: no longer guidance; kept so that history and old plans still read.

    The steps between them are declared once, in `recovery.frameworks.rules.EDM_WORKFLOW`."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Autonomy(models.TextChoices):
    """How free an establishment is to design what satisfies a baseline."""

    TOTAL = "total", "Total"
    PARTIAL = "partial", "Partial"
    LIMITED = "limited", "Limited"


AUTONOMY_MEANINGS = {
    Autonomy.TOTAL: "The establishment designs the product that satisfies the baseline",
    Autonomy.PARTIAL: "The establishment chooses from the delivery options named",
    Autonomy.LIMITED: "The establishment delivers the product as stipulated",
}

WEIGHTINGS = (1, 2, 3)
WEIGHTING_MEANINGS = {
    3: "Highest: a precursor to other tasks",
    2: "Medium: part of wider work",
    1: "Lowest: once others have been completed",
}


class TagColour(models.TextChoices):
    """The GOV.UK Frontend 6 tag colours a stage may be shown in (a class, never an inline
    style: the Content Security Policy forbids those)."""

    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    TEAL = "teal", "Teal"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"
    MAGENTA = "magenta", "Magenta"
    GREY = "grey", "Grey"

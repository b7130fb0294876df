"""Words of case prioritisation and allocation (the roadmap's Step Two): risk of serious harm
levels, contact modes, the four categories and the review tasks every change of contact mode
creates. Importable without models."""

from django.db import models

# "We will conduct a review after one week for each group before we move to the next."
WAVE_REVIEW_DAYS = 7


class Rosh(models.TextChoices):
    """Risk of serious harm level, as the caseload states it."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class ContactMode(models.TextChoices):
    """How the person is supervised now."""

    DOORSTEP = "doorstep", "Doorstep visits"
    AUDIO = "audio", "Audio calls"
    VIDEO = "video", "Video calls"
    FACE_TO_FACE = "face_to_face", "Face to face at an office"


REMOTE_MODES = (ContactMode.AUDIO, ContactMode.VIDEO)


class Category(models.IntegerChoices):
    """The roadmap's priority for a return to face-to-face supervision."""

    ONE = 1, "Category 1: very high or high RoSH with domestic abuse or child safeguarding concerns"
    TWO = 2, "Category 2: other very high or high RoSH"
    THREE = 3, "Category 3: medium RoSH with domestic abuse or child safeguarding concerns"
    FOUR = 4, "Category 4: everyone else"


CATEGORY_SHORT = {1: "Category 1", 2: "Category 2", 3: "Category 3", 4: "Category 4"}


class TaskKind(models.TextChoices):
    """ "All changes to supervision and risk management activity will need to be accompanied by a
    corresponding review of the risk management plan and sentence plan.\""""

    RISK_MANAGEMENT_PLAN = "rmp", "Review the risk management plan"
    SENTENCE_PLAN = "sentence_plan", "Review the sentence plan"

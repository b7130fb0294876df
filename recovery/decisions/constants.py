"""What a decision in the log can concern, and the states an entry is shown in."""

from django.db import models


class Priority(models.TextChoices):
    """The four organisational recovery priorities of the Stage 2 guidance."""

    STAFF = "staff", "Staff confidence, capability and wellbeing"
    PRISONERS = "prisoners", "Prisoner and child wellbeing"
    PROGRESSION = "progression", "Sentence progression"
    REFORM = "reform", "Building the pathway to reform"


class ConcernKind(models.TextChoices):
    """What a decision is about: one of the four priorities, a backlog metric of the Local
    Recovery Plan, a baseline of an EDM, or something else, said in words."""

    PRIORITY = "priority", "A recovery priority"
    METRIC = "metric", "A backlog"
    BASELINE = "baseline", "An EDM baseline"
    OTHER = "other", "Something else"


class EntryStatus(models.TextChoices):
    """How an entry of the log reads.

    - draft: being written; may be changed or deleted; not part of the log's chain yet.
    - recorded: part of the log for good; never changed or removed.
    - superseded: recorded, and a later recorded entry corrects it (both stay visible)."""

    DRAFT = "draft", "Draft"
    RECORDED = "recorded", "Recorded"
    SUPERSEDED = "superseded", "Superseded"


# The hash the first entry of every log follows.
GENESIS_HASH = "0" * 64

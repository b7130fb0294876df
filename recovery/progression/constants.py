"""Words of readiness, the sign-off chain and stage progression. Importable without models."""

from django.db import models


class AssessmentStatus(models.TextChoices):
    """Where a readiness assessment is on the route of the sources: the establishment submits;
    the local trade union records its consultation; regional Silver / the PGD endorses or
    returns it; the national Recovery Committee approves, defers or rejects it."""

    DRAFT = "draft", "Draft"
    AWAITING_UNION = "awaiting_union", "Awaiting trade union consultation"
    AWAITING_PGD = "awaiting_pgd", "Awaiting PGD endorsement"
    AWAITING_PANEL = "awaiting_panel", "Awaiting national decision"
    DEFERRED = "deferred", "Deferred by the national panel"
    RETURNED = "returned", "Returned to the establishment"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Still on its way: an establishment has at most one assessment in these states.
OPEN_ASSESSMENT_STATUSES = frozenset(
    {
        AssessmentStatus.DRAFT,
        AssessmentStatus.AWAITING_UNION,
        AssessmentStatus.AWAITING_PGD,
        AssessmentStatus.AWAITING_PANEL,
        AssessmentStatus.DEFERRED,
        AssessmentStatus.RETURNED,
    }
)
# Waiting for the national panel: the panel's queue.
PANEL_QUEUE_STATUSES = frozenset({AssessmentStatus.AWAITING_PANEL, AssessmentStatus.DEFERRED})


class Step(models.TextChoices):
    """One signed step of an assessment's route (a `SignOff` row)."""

    SUBMITTED = "submitted", "Submitted"
    CONSULTED = "consulted", "Trade union consulted"
    ENDORSED = "endorsed", "Endorsed"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class UnionPosition(models.TextChoices):
    AGREED = "agreed", "Agreed"
    CONCERNS = "concerns", "Agreed with concerns in writing"


class ChangeKind(models.TextChoices):
    """Why an establishment's stage changed."""

    INITIAL = "initial", "Stage recorded"
    COMMENCEMENT = "commencement", "Commencement approved by the national panel"
    REGRESSION = "regression", "Regression after a progress review"
    EMERGENCY = "emergency", "Emergency move after an outbreak"


class ChangeStatus(models.TextChoices):
    """A stage change decided by the panel is in effect at once; a regression or an emergency
    move is proposed (an outbreak proposes one), takes effect when confirmed and is "to be
    ratified" until the panel ratifies it."""

    PROPOSED = "proposed", "Proposed"
    TO_BE_RATIFIED = "to_be_ratified", "In effect, to be ratified"
    IN_EFFECT = "in_effect", "In effect"
    DISMISSED = "dismissed", "Dismissed"


# The states in which a change counts in the establishment's stage history.
EFFECTIVE_CHANGE_STATUSES = frozenset({ChangeStatus.TO_BE_RATIFIED, ChangeStatus.IN_EFFECT})


class ReviewOutcome(models.TextChoices):
    PROGRESS = "progress", "Progress"
    REMAIN = "remain", "Remain"
    SLOW = "slow", "Slow"
    REGRESS = "regress", "Regress"


class ReviewStatus(models.TextChoices):
    """A progress review: the establishment reports, its PGD forwards it with their view, the
    centre decides."""

    REPORTED = "reported", "Reported to the PGD"
    FORWARDED = "forwarded", "Forwarded to the centre"
    DECIDED = "decided", "Decided"


class SittingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PrerequisiteKind(models.TextChoices):
    """How a prerequisite's answer is known."""

    KNOWN = "known", "Filled in by the service"
    ATTESTED = "attested", "Attested by the establishment"

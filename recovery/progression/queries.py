"""Reading stage progression: the ladder's order, an establishment's current stage (today or
on any date) and its history."""

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from recovery.estate.models import Establishment
from recovery.frameworks.models import Stage
from recovery.progression.constants import EFFECTIVE_CHANGE_STATUSES
from recovery.progression.models import StageChange

# --- The ladder -------------------------------------------------------------------------------
# Stage numbers are the ladder's order (the highest the tightest lockdown, 1 the fullest regime),
# read from the data, never written here.


def ladder() -> list[Stage]:
    """Every stage, tightest first."""
    return list(Stage.objects.order_by("-number"))


def lockdown_stage() -> Stage | None:
    return Stage.objects.order_by("-number").first()


def next_stage_up(stage: Stage) -> Stage | None:
    """The next stage towards the fullest regime (a lower number), if any."""
    return Stage.objects.filter(number__lt=stage.number).order_by("-number").first()


def next_stage_back(stage: Stage) -> Stage | None:
    """The next stage towards lockdown (a higher number), if any."""
    return Stage.objects.filter(number__gt=stage.number).order_by("number").first()


# --- Current stage ----------------------------------------------------------------------------


def effective_changes(on: date | None = None):
    """The changes in effect on `on` (today when not given): a commencement approved for a
    later date is not yet the current stage."""
    return StageChange.objects.filter(
        status__in=EFFECTIVE_CHANGE_STATUSES, effective_from__lte=on or timezone.localdate()
    )


def latest_change_subquery(on: date | None = None, *, outer: str = "pk"):
    """The id of the latest effective change of the establishment `OuterRef(outer)`: annotate
    an establishment queryset with it."""
    return Subquery(
        effective_changes(on)
        .filter(establishment_id=OuterRef(outer))
        .order_by("-effective_from", "-pk")
        .values("pk")[:1]
    )


def current_changes(establishments=None, *, on: date | None = None) -> dict[int, StageChange]:
    """{establishment id: its latest effective stage change} (on `on`, or today), in two
    queries whatever the number of establishments. An establishment with no history is
    absent."""
    if establishments is None:
        establishments = Establishment.objects.all()
    ids = (
        establishments.annotate(latest_change=latest_change_subquery(on))
        .exclude(latest_change__isnull=True)
        .values_list("latest_change", flat=True)
    )
    changes = StageChange.objects.filter(pk__in=list(ids)).select_related("stage")
    return {c.establishment_id: c for c in changes}


def current_change(establishment, *, on: date | None = None) -> StageChange | None:
    return (
        effective_changes(on)
        .filter(establishment=establishment)
        .select_related("stage", "previous_stage")
        .order_by("-effective_from", "-pk")
        .first()
    )


def current_stage(establishment, *, on: date | None = None) -> Stage | None:
    change = current_change(establishment, on=on)
    return change.stage if change else None


def stage_history(establishment):
    """Every change, newest first, proposals and dismissed ones included (each says its
    status)."""
    return (
        StageChange.objects.filter(establishment=establishment)
        .select_related(
            "stage", "previous_stage", "assessment", "review", "outbreak", "ratified_in"
        )
        .order_by("-effective_from", "-pk")
    )

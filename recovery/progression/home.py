"""What each prison role's home page says: where we stand and what is waiting for me, every item
with the link to where it is done.

Plain dataclasses for the estate home view (recovery.estate.views.home). Each function runs a
fixed number of queries whatever the number of establishments in scope: per-establishment facts
(stage, plan, outbreak, assessment) are read for the whole set at once and joined in Python."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from recovery.core.scope import unit_filter
from recovery.covid.models import Outbreak
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment
from recovery.frameworks.models import Stage
from recovery.plans.models import Plan
from recovery.plans.queries import ProgressSummary, ResponseRow, establishment_progress, plan_page
from recovery.progression.constants import (
    OPEN_ASSESSMENT_STATUSES,
    PANEL_QUEUE_STATUSES,
    AssessmentStatus,
    ChangeStatus,
    ReviewStatus,
    Step,
)
from recovery.progression.models import ProgressReview, ReadinessAssessment, SignOff, StageChange
from recovery.progression.queries import (
    current_change,
    current_changes,
    effective_changes,
    next_stage_up,
)
from recovery.progression.rules import VIEW_PROGRESSION

# How many of the plan's next baselines the establishment's home lists (the rest are on the plan).
NEXT_SHOWN = 5

# --- Where things are done -------------------------------------------------------------------


def establishment_progression_url(code: str) -> str:
    return reverse("progression:stages", args=[code])


def assessment_url(assessment_id: int) -> str:
    return reverse("progression:assessment", args=[assessment_id])


def panel_url() -> str:
    return reverse("progression:panel-queue")


def national_url() -> str:
    return reverse("progression:national")


def group_url(code: str) -> str:
    return reverse("progression:group", args=[code])


def covid_url(code: str) -> str:
    return reverse("covid:controls", args=[code])


def plan_url(code: str, stage_number: int | None = None) -> str:
    url = reverse("plans:plan", args=[code])
    return f"{url}?stage={stage_number}" if stage_number is not None else url


def answer_url(code: str, response_id: int) -> str:
    return f"{reverse('plans:response', args=[code])}?response={response_id}"


# --- Pieces shared by every role -------------------------------------------------------------


@dataclass
class StageNow:
    """An establishment's current stage: which, since when, and whether the move that put it
    there still waits for the panel's ratification."""

    number: int
    name: str
    colour: str
    since: datetime.date
    to_be_ratified: bool

    @classmethod
    def of(cls, change: StageChange | None) -> "StageNow | None":
        if change is None:
            return None
        return cls(
            number=change.stage.number,
            name=change.stage.name,
            colour=change.stage.colour,
            since=change.effective_from,
            to_be_ratified=change.status == ChangeStatus.TO_BE_RATIFIED,
        )


@dataclass
class AssessmentItem:
    """One readiness assessment as a line of a to-do list."""

    id: int
    establishment_code: str
    establishment_name: str
    from_stage: int
    to_stage: int
    status: str
    status_label: str
    since: datetime.datetime | None
    url: str

    @classmethod
    def of(cls, a: ReadinessAssessment) -> "AssessmentItem":
        return cls(
            id=a.pk,
            establishment_code=a.establishment.code,
            establishment_name=a.establishment.name,
            from_stage=a.from_stage.number,
            to_stage=a.to_stage.number,
            status=a.status,
            status_label=AssessmentStatus(a.status).label,
            since=a.status_since or a.submitted_at or a.created_at,
            url=assessment_url(a.pk),
        )

    @property
    def deferred(self) -> bool:
        return self.status == AssessmentStatus.DEFERRED


@dataclass
class MoveItem:
    """A stage change that waits for someone: a proposed move to confirm or dismiss, or a move
    in effect to ratify."""

    id: int
    establishment_code: str
    establishment_name: str
    from_stage: int | None
    to_stage: int
    since: datetime.date
    reason: str
    status: str
    url: str

    @classmethod
    def of(cls, c: StageChange) -> "MoveItem":
        return cls(
            id=c.pk,
            establishment_code=c.establishment.code,
            establishment_name=c.establishment.name,
            from_stage=c.previous_stage.number if c.previous_stage else None,
            to_stage=c.stage.number,
            since=c.effective_from,
            reason=c.reason,
            status=c.status,
            url=establishment_progression_url(c.establishment.code),
        )


@dataclass
class ReviewItem:
    id: int
    establishment_code: str
    establishment_name: str
    stage: int
    since: datetime.datetime | None
    url: str

    @classmethod
    def of(cls, r: ProgressReview) -> "ReviewItem":
        return cls(
            id=r.pk,
            establishment_code=r.establishment.code,
            establishment_name=r.establishment.name,
            stage=r.stage.number,
            since=r.forwarded_at if r.status == ReviewStatus.FORWARDED else r.reported_at,
            url=establishment_progression_url(r.establishment.code),
        )


def _visible(user, queryset: QuerySet, within_path: str, path_field: str = "establishment__path"):
    """Rows of `queryset` in the user's scope for reading progression, and inside the unit the
    home page is about (a person with several roles sees one role's home at a time)."""
    return queryset.filter(
        unit_filter(user, VIEW_PROGRESSION, path_field=path_field),
        **{f"{path_field}__startswith": within_path},
    )


def _assessments(user, within_path: str, statuses) -> QuerySet[ReadinessAssessment]:
    return _visible(
        user, ReadinessAssessment.objects.filter(status__in=statuses), within_path
    ).select_related("establishment", "from_stage", "to_stage")


def _oldest_first(items: list[AssessmentItem]) -> list[AssessmentItem]:
    earliest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(items, key=lambda i: (i.since or earliest, i.id))


def _changes(user, within_path: str, statuses: list[str]) -> list[MoveItem]:
    found = (
        _visible(user, StageChange.objects.filter(status__in=statuses), within_path)
        .select_related("establishment", "stage", "previous_stage")
        .order_by("effective_from", "pk")
    )
    return [MoveItem.of(c) for c in found]


def _reviews(user, within_path: str, status: str) -> list[ReviewItem]:
    found = (
        _visible(user, ProgressReview.objects.filter(status=status), within_path)
        .select_related("establishment", "stage")
        .order_by("reported_at", "pk")
    )
    return [ReviewItem.of(r) for r in found]


# --- An establishment ------------------------------------------------------------------------


@dataclass
class PlanItem:
    """One baseline of the plan to work on, linked to its answer."""

    number: str
    edm: int
    text: str
    target_date: datetime.date | None
    url: str


@dataclass
class PlanAtAGlance:
    stage: int
    summary: ProgressSummary
    next_items: list[PlanItem]
    overdue_items: list[PlanItem]
    url: str

    @property
    def more_next(self) -> int:
        return self.summary.next_count - len(self.next_items)


@dataclass
class AssessmentAtAGlance:
    item: AssessmentItem
    returned_comment: str = ""
    returned_by: str = ""

    @property
    def is_open(self) -> bool:
        return self.item.status in OPEN_ASSESSMENT_STATUSES


@dataclass
class OutbreakNow:
    declared_on: datetime.date
    url: str


@dataclass
class EstablishmentHome:
    code: str
    name: str
    stage: StageNow | None
    proposed_move: MoveItem | None
    plan: PlanAtAGlance | None
    assessment: AssessmentAtAGlance | None
    outbreak: OutbreakNow | None
    progression_url: str
    plans_url: str
    # The next stage up the ladder, when no assessment is on its way: what to ask for next.
    next_stage: int | None = None


def _plan_item(code: str, row: ResponseRow) -> PlanItem:
    return PlanItem(
        number=row.number,
        edm=row.edm_number,
        text=row.text,
        target_date=row.target_date,
        url=answer_url(code, row.id),
    )


def _plan_at_a_glance(establishment, today: datetime.date) -> PlanAtAGlance | None:
    """The newest plan, as the plan page opens on it, counted by the plans app (plan_page)."""
    plan = (
        Plan.objects.filter(establishment=establishment)
        .select_related("stage")
        .order_by("-created_at", "-pk")
        .first()
    )
    if plan is None:
        return None
    page = plan_page(plan, today=today)
    code = establishment.code
    overdue = sorted(page.overdue_rows, key=lambda r: (r.target_date, r.edm_number))
    return PlanAtAGlance(
        stage=plan.stage.number,
        summary=page.summary,
        next_items=[_plan_item(code, r) for r in page.next_rows[:NEXT_SHOWN]],
        overdue_items=[_plan_item(code, r) for r in overdue],
        url=plan_url(code, plan.stage.number),
    )


def _latest_assessment(establishment) -> AssessmentAtAGlance | None:
    """The open assessment if there is one, else the latest decided or withdrawn one."""
    found = list(
        ReadinessAssessment.objects.filter(establishment=establishment)
        .select_related("establishment", "from_stage", "to_stage")
        .order_by("-created_at", "-pk")[:1]
    )
    if not found:
        return None
    assessment = found[0]
    glance = AssessmentAtAGlance(AssessmentItem.of(assessment))
    if assessment.status == AssessmentStatus.RETURNED:
        returned = (
            SignOff.objects.filter(assessment=assessment, step=Step.RETURNED)
            .order_by("-at", "-pk")
            .first()
        )
        if returned is not None:
            glance.returned_comment = returned.comments
            glance.returned_by = returned.by_name
    return glance


def establishment_home(establishment, *, today: datetime.date | None = None) -> EstablishmentHome:
    """Where an establishment stands: its stage (and any proposed emergency move), its plan's
    progress with what is next or overdue, its readiness assessment and where it waits, and any
    open outbreak. The caller has checked the person may see the establishment."""
    today = today or timezone.localdate()
    code = establishment.code
    proposed = (
        StageChange.objects.filter(establishment=establishment, status=ChangeStatus.PROPOSED)
        .select_related("establishment", "stage", "previous_stage")
        .order_by("-pk")
        .first()
    )
    outbreak = (
        Outbreak.objects.filter(establishment=establishment, ended_on__isnull=True)
        .order_by("-declared_on")
        .first()
    )
    change = current_change(establishment, on=today)
    assessment = _latest_assessment(establishment)
    next_stage = None
    if change is not None and (assessment is None or not assessment.is_open):
        up = next_stage_up(change.stage)
        next_stage = up.number if up else None
    return EstablishmentHome(
        code=code,
        name=establishment.name,
        stage=StageNow.of(change),
        proposed_move=MoveItem.of(proposed) if proposed else None,
        plan=_plan_at_a_glance(establishment, today),
        assessment=assessment,
        outbreak=OutbreakNow(outbreak.declared_on, covid_url(code)) if outbreak else None,
        progression_url=establishment_progression_url(code),
        plans_url=plan_url(code),
        next_stage=next_stage,
    )


def establishment_stage(establishment, *, today: datetime.date | None = None) -> StageNow | None:
    return StageNow.of(current_change(establishment, on=today or timezone.localdate()))


# --- A trade union representative ------------------------------------------------------------


def consultations_waiting(user, within_path: str) -> list[AssessmentItem]:
    """Assessments of the representative's establishment waiting for the union's consultation,
    oldest first."""
    found = _assessments(user, within_path, [AssessmentStatus.AWAITING_UNION])
    return _oldest_first([AssessmentItem.of(a) for a in found])


# --- A prison group --------------------------------------------------------------------------


@dataclass
class PrisonRow:
    code: str
    name: str
    stage: StageNow | None
    plan_percent: int | None
    has_plan: bool
    in_outbreak: bool
    assessment: AssessmentItem | None
    url: str


@dataclass
class GroupHome:
    code: str
    prisons: list[PrisonRow]
    to_endorse: list[AssessmentItem] = field(default_factory=list)
    moves_to_confirm: list[MoveItem] = field(default_factory=list)
    reviews_to_forward: list[ReviewItem] = field(default_factory=list)
    group_url: str = ""
    # Whether the person is the group's PGD, for whom the lists above are their to-do list.
    waiting_shown: bool = False

    @property
    def waiting_count(self) -> int:
        return len(self.to_endorse) + len(self.moves_to_confirm) + len(self.reviews_to_forward)

    @property
    def in_outbreak(self) -> int:
        return sum(1 for p in self.prisons if p.in_outbreak)


def _open_establishments(user, within_path: str) -> QuerySet[Establishment]:
    return _visible(
        user, Establishment.objects.filter(status=EstablishmentStatus.OPEN), within_path, "path"
    )


def _in_outbreak(establishments: QuerySet[Establishment]) -> set[int]:
    return set(
        Outbreak.objects.filter(
            establishment__in=establishments, ended_on__isnull=True
        ).values_list("establishment_id", flat=True)
    )


def _latest_assessments(establishments: QuerySet[Establishment]) -> dict[int, AssessmentItem]:
    """Each establishment's newest assessment, in one query."""
    latest: dict[int, AssessmentItem] = {}
    found = (
        ReadinessAssessment.objects.filter(establishment__in=establishments)
        .select_related("establishment", "from_stage", "to_stage")
        .order_by("establishment_id", "-created_at", "-pk")
    )
    for a in found:
        if a.establishment_id not in latest:
            latest[a.establishment_id] = AssessmentItem.of(a)
    return latest


def group_home(
    user, group, *, waiting: bool = True, today: datetime.date | None = None
) -> GroupHome:
    """A group's prisons (stage, plan progress, outbreak, assessment) and, for its PGD
    (`waiting`), what waits for them: assessments to endorse, proposed emergency moves to
    confirm and progress reports to forward."""
    today = today or timezone.localdate()
    establishments = _open_establishments(user, group.path)
    progress = establishment_progress(establishments, today=today)
    changes = current_changes(establishments, on=today)
    outbreaks = _in_outbreak(establishments)
    assessments = _latest_assessments(establishments)
    ids = dict(establishments.values_list("code", "pk"))
    prisons = []
    for row in progress:
        pk = ids[row.code]
        prisons.append(
            PrisonRow(
                code=row.code,
                name=row.name,
                stage=StageNow.of(changes.get(pk)),
                plan_percent=row.summary.overall.percent if row.summary else None,
                has_plan=row.summary is not None,
                in_outbreak=pk in outbreaks,
                assessment=assessments.get(pk),
                url=establishment_progression_url(row.code),
            )
        )
    home = GroupHome(code=group.code, prisons=prisons, group_url=group_url(group.code))
    if waiting:
        home.waiting_shown = True
        home.to_endorse = _oldest_first(
            [
                AssessmentItem.of(a)
                for a in _assessments(user, group.path, [AssessmentStatus.AWAITING_PGD])
            ]
        )
        home.moves_to_confirm = _changes(user, group.path, [ChangeStatus.PROPOSED])
        home.reviews_to_forward = _reviews(user, group.path, ReviewStatus.REPORTED)
    return home


# --- The centre ------------------------------------------------------------------------------


@dataclass
class StageCount:
    number: int
    name: str
    colour: str
    count: int


@dataclass
class StepCount:
    status: str
    label: str
    count: int
    oldest: datetime.datetime | None


@dataclass
class CentreHome:
    establishments: int
    by_stage: list[StageCount]
    no_stage: int
    in_outbreak: int
    waiting: list[StepCount]
    panel_queue: list[AssessmentItem]
    to_ratify: list[MoveItem]
    moves_proposed: list[MoveItem]
    reviews_forwarded: list[ReviewItem]
    national_url: str
    panel_url: str


# The steps an assessment waits at, in the order of the route.
WAITING_STEPS = [
    AssessmentStatus.AWAITING_UNION,
    AssessmentStatus.AWAITING_PGD,
    AssessmentStatus.AWAITING_PANEL,
    AssessmentStatus.DEFERRED,
    AssessmentStatus.RETURNED,
]


def _waiting_at_each_step(user, within_path: str) -> list[StepCount]:
    counted = {
        row["status"]: row
        for row in _visible(
            user, ReadinessAssessment.objects.filter(status__in=WAITING_STEPS), within_path
        )
        .values("status")
        .annotate(n=Count("pk"), oldest=Min("status_since"))
        .order_by()
    }
    return [
        StepCount(
            status=status,
            label=AssessmentStatus(status).label,
            count=counted.get(status, {}).get("n", 0),
            oldest=counted.get(status, {}).get("oldest"),
        )
        for status in WAITING_STEPS
    ]


def _stage_and_outbreak(establishments: QuerySet[Establishment], today: datetime.date):
    """(current stage number or None, in outbreak) of each establishment, in one query."""
    latest_stage = Subquery(
        effective_changes(today)
        .filter(establishment_id=OuterRef("pk"))
        .order_by("-effective_from", "-pk")
        .values("stage__number")[:1]
    )
    open_outbreak = Exists(
        Outbreak.objects.filter(establishment_id=OuterRef("pk"), ended_on__isnull=True)
    )
    return list(
        establishments.annotate(stage_now=latest_stage, in_outbreak=open_outbreak)
        .order_by()
        .values_list("stage_now", "in_outbreak")
    )


def centre_home(user, nation, *, today: datetime.date | None = None) -> CentreHome:
    """The national picture in brief (establishments at each stage of the ladder, in outbreak,
    assessments waiting at each step) and what waits for the national panel: its queue
    (awaiting a decision and deferred, oldest first), moves to ratify, proposed emergency moves
    and progress reviews forwarded to it."""
    today = today or timezone.localdate()
    facts = _stage_and_outbreak(_open_establishments(user, nation.path), today)
    counts = Counter(number for number, _ in facts)
    queue = _assessments(user, nation.path, PANEL_QUEUE_STATUSES)
    moves = _changes(user, nation.path, [ChangeStatus.TO_BE_RATIFIED, ChangeStatus.PROPOSED])
    return CentreHome(
        establishments=len(facts),
        by_stage=[
            StageCount(s.number, s.name, s.colour, counts.get(s.number, 0))
            for s in Stage.objects.order_by("-number")
        ],
        no_stage=counts.get(None, 0),
        in_outbreak=sum(1 for _, in_outbreak in facts if in_outbreak),
        waiting=_waiting_at_each_step(user, nation.path),
        panel_queue=_oldest_first([AssessmentItem.of(a) for a in queue]),
        to_ratify=[m for m in moves if m.status == ChangeStatus.TO_BE_RATIFIED],
        moves_proposed=[m for m in moves if m.status == ChangeStatus.PROPOSED],
        reviews_forwarded=_reviews(user, nation.path, ReviewStatus.FORWARDED),
        national_url=national_url(),
        panel_url=panel_url(),
    )

"""Reads of Regime Recovery Plans for pages, exports and the API: scoped by the user, with a
fixed number of queries whatever the number of EDMs, baselines or establishments."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from recovery.core.constants import UnitKind
from recovery.core.scope import unit_filter
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment, OrganisationUnit
from recovery.frameworks.constants import Autonomy, EdmStatus
from recovery.frameworks.queries import VersionUse
from recovery.plans import rollup
from recovery.plans.constants import ResponseStatus, Sequence
from recovery.plans.models import Evidence, Plan, PlanEdm, Response
from recovery.plans.progress import (
    DONE_STATUSES,
    Item,
    Progress,
    progress_of,
    sequence_of,
)
from recovery.plans.rules import VIEW_PLAN

STATUS_TAGS = {
    ResponseStatus.NOT_STARTED: "govuk-tag--grey",
    ResponseStatus.IN_PROGRESS: "",
    ResponseStatus.MET: "govuk-tag--green",
    ResponseStatus.NOT_APPLICABLE: "govuk-tag--purple",
}
SEQUENCE_TAGS = {
    Sequence.DONE: "govuk-tag--green",
    Sequence.NEXT: "govuk-tag--teal",
    Sequence.WAITING: "govuk-tag--orange",
    Sequence.LATER: "govuk-tag--grey",
}


def weight_of(weighting: int | None) -> int:
    """A desirable baseline printed without a weighting counts as the lowest, 1."""
    return weighting or 1


def plans_in_scope(user) -> QuerySet[Plan]:
    return Plan.objects.filter(unit_filter(user, VIEW_PLAN, path_field="establishment__path"))


def establishments_in_scope(user, permission: str = VIEW_PLAN) -> QuerySet[Establishment]:
    """The open establishments the user may see plans of (closed ones keep their plans, reached
    from their own page, but leave lists)."""
    return Establishment.objects.filter(
        unit_filter(user, permission), status=EstablishmentStatus.OPEN
    )


@dataclass
class ResponseRow:
    id: int
    version: int
    identifier: str
    number: str
    text: str
    area: str
    weighting: int | None
    mandatory: bool
    autonomy: str
    autonomy_label: str
    options: list[str]
    status: str
    status_label: str
    approach: str
    owner: str
    target_date: datetime.date | None
    not_applicable_reason: str
    chosen_option: str
    compliance_confirmed: bool
    needs_review: bool
    review_note: str
    evidence_count: int
    edm_number: int
    sequence: str = ""
    overdue: bool = False
    archived: bool = False
    assignee_id: int | None = None

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS.get(self.status, "govuk-tag--grey")

    @property
    def sequence_tag(self) -> str:
        return SEQUENCE_TAGS.get(self.sequence, "govuk-tag--grey")

    @property
    def sequence_label(self) -> str:
        return Sequence(self.sequence).label if self.sequence else ""

    @property
    def is_partial(self) -> bool:
        return self.autonomy == Autonomy.PARTIAL

    @property
    def is_limited(self) -> bool:
        return self.autonomy == Autonomy.LIMITED

    def item(self) -> Item:
        return Item(
            edm=self.edm_number,
            weighting=weight_of(self.weighting),
            mandatory=self.mandatory,
            status=self.status,
            target_date=self.target_date,
        )


@dataclass
class ProgressSummary:
    mandatory: Progress
    desirable: Progress
    overall: Progress
    next_count: int = 0
    waiting_count: int = 0
    overdue_count: int = 0
    review_count: int = 0


def summarise(rows: list[ResponseRow]) -> ProgressSummary:
    items = [r.item() for r in rows]
    return ProgressSummary(
        mandatory=progress_of(items, mandatory=True),
        desirable=progress_of(items, mandatory=False),
        overall=progress_of(items),
        next_count=sum(1 for r in rows if r.sequence == Sequence.NEXT),
        waiting_count=sum(1 for r in rows if r.sequence == Sequence.WAITING),
        overdue_count=sum(1 for r in rows if r.overdue),
        review_count=sum(1 for r in rows if r.needs_review),
    )


@dataclass
class WeightGroup:
    weighting: int | None
    label: str
    rows: list[ResponseRow]

    @property
    def outstanding(self) -> int:
        return sum(1 for r in self.rows if r.sequence != Sequence.DONE)

    @property
    def caption(self) -> str:
        """The group's place in the order of work: every outstanding baseline of one weighting
        of one EDM shares it (see progress.sequence_of), so it is said once, not on each row."""
        places = {r.sequence for r in self.rows if r.sequence != Sequence.DONE}
        if not places:
            return f"{self.label} – all done"
        place = "; ".join(sorted(str(Sequence(p).label).lower() for p in places))
        return f"{self.label} – {self.outstanding} to do, {place}"


@dataclass
class EdmSection:
    number: int
    title: str
    version: str
    rows: list[ResponseRow]
    summary: ProgressSummary
    groups: list[WeightGroup] = field(default_factory=list)
    # When the version this section answers was withdrawn as national guidance, if it was.
    withdrawn_at: datetime.datetime | None = None

    @property
    def next_rows(self) -> list[ResponseRow]:
        return [r for r in self.rows if r.sequence == Sequence.NEXT]

    @property
    def waiting_rows(self) -> list[ResponseRow]:
        return [r for r in self.rows if r.sequence == Sequence.WAITING]

    @property
    def overdue_rows(self) -> list[ResponseRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def review_rows(self) -> list[ResponseRow]:
        return [r for r in self.rows if r.needs_review]

    @property
    def has_work(self) -> bool:
        summary = self.summary
        return bool(summary.next_count or summary.overdue_count or summary.review_count)


@dataclass
class PlanPage:
    plan: Plan
    sections: list[EdmSection]
    summary: ProgressSummary
    next_rows: list[ResponseRow]
    waiting_rows: list[ResponseRow]
    overdue_rows: list[ResponseRow]
    review_rows: list[ResponseRow]
    archived_rows: list[ResponseRow]

    @property
    def withdrawn_sections(self) -> list[EdmSection]:
        return [s for s in self.sections if s.withdrawn_at is not None]

    @property
    def edm_rollup(self) -> rollup.Rollup:
        return rollup.by_edm(self.sections)

    @property
    def area_rollup(self) -> rollup.Rollup:
        return rollup.by_area(self.sections)


WEIGHT_GROUP_LABELS = {
    3: "Weighting 3: precursors",
    2: "Weighting 2: part of wider work",
    1: "Weighting 1: once others are done",
    None: "Desirable, no weighting",
}


ROW_VALUES = (
    "pk",
    "version",
    "status",
    "approach",
    "owner",
    "target_date",
    "not_applicable_reason",
    "chosen_option",
    "compliance_confirmed",
    "needs_review",
    "review_note",
    "archived_at",
    "assignee_id",
    "evidence_count",
    "baseline__identifier",
    "baseline__number",
    "baseline__text",
    "baseline__weighting",
    "baseline__mandatory",
    "baseline__autonomy",
    "baseline__options",
    "baseline__area__number",
    "baseline__area__title",
    "baseline__edm_version__edm__number",
)


def _rows(responses) -> list[ResponseRow]:
    """Rows from `responses` as plain values (ROW_VALUES): a plan may have thousands, and
    building five model instances for each was most of the time of the plan page's query."""
    autonomy_labels = {value: str(label) for value, label in Autonomy.choices}
    status_labels = {value: str(label) for value, label in ResponseStatus.choices}
    return [
        ResponseRow(
            id=r["pk"],
            version=r["version"],
            identifier=r["baseline__identifier"],
            number=r["baseline__number"],
            text=r["baseline__text"],
            area=f"{r['baseline__area__number']}. {r['baseline__area__title']}",
            weighting=r["baseline__weighting"],
            mandatory=r["baseline__mandatory"],
            autonomy=r["baseline__autonomy"],
            autonomy_label=autonomy_labels.get(r["baseline__autonomy"], r["baseline__autonomy"]),
            options=list(r["baseline__options"] or []),
            status=r["status"],
            status_label=status_labels.get(r["status"], r["status"]),
            approach=r["approach"],
            owner=r["owner"],
            target_date=r["target_date"],
            not_applicable_reason=r["not_applicable_reason"],
            chosen_option=r["chosen_option"],
            compliance_confirmed=r["compliance_confirmed"],
            needs_review=r["needs_review"],
            review_note=r["review_note"],
            evidence_count=r["evidence_count"],
            edm_number=r["baseline__edm_version__edm__number"],
            archived=r["archived_at"] is not None,
            assignee_id=r["assignee_id"],
        )
        for r in responses.values(*ROW_VALUES)
    ]


def _sequence(rows: list[ResponseRow], today: datetime.date) -> None:
    items = [r.item() for r in rows]
    for row, item, place in zip(rows, items, sequence_of(items), strict=True):
        row.sequence = place
        row.overdue = item.overdue(today)


def plan_page(plan: Plan, *, today: datetime.date | None = None, assigned_to=None) -> PlanPage:
    """Everything the plan page shows, in three queries. With `assigned_to` (a user), only the
    baselines assigned to them, every figure and list counting only those; their place in the
    order of work is still the whole plan's (a precursor someone else owns still holds theirs
    back)."""
    today = today or timezone.localdate()
    plan_edms = list(
        PlanEdm.objects.filter(plan=plan)
        .select_related("edm_version__edm")
        .defer("edm_version__raw_yaml", "edm_version__introduction")
        .order_by("edm__number")
    )
    responses = (
        Response.objects.filter(plan=plan)
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
        .order_by(
            "baseline__edm_version__edm__number", "baseline__area__position", "baseline__position"
        )
    )
    all_rows = _rows(responses)
    rows = [r for r in all_rows if not r.archived]
    archived = [r for r in all_rows if r.archived]
    _sequence(rows, today)
    if assigned_to is not None:
        rows = [r for r in rows if r.assignee_id == assigned_to.pk]
        archived = []
    sections = []
    for plan_edm in plan_edms:
        version = plan_edm.edm_version
        edm_rows = [r for r in rows if r.edm_number == version.edm.number]
        if assigned_to is not None and not edm_rows:
            continue
        groups = []
        for weighting in (3, 2, 1, None):
            members = [r for r in edm_rows if r.weighting == weighting]
            if members:
                groups.append(WeightGroup(weighting, WEIGHT_GROUP_LABELS[weighting], members))
        sections.append(
            EdmSection(
                number=version.edm.number,
                title=version.title,
                version=version.version_number,
                rows=edm_rows,
                summary=summarise(edm_rows),
                groups=groups,
                withdrawn_at=version.withdrawn_at
                if version.status == EdmStatus.WITHDRAWN
                else None,
            )
        )
    return PlanPage(
        plan=plan,
        sections=sections,
        summary=summarise(rows),
        next_rows=[r for r in rows if r.sequence == Sequence.NEXT],
        waiting_rows=[r for r in rows if r.sequence == Sequence.WAITING],
        overdue_rows=[r for r in rows if r.overdue],
        review_rows=[r for r in rows if r.needs_review],
        archived_rows=archived,
    )


# --- Rapid answering: one baseline after another -------------------------------------------

# How a person works through baselines one after another ("Save and go to the next"), carried
# from page to page in the query string and the answer form as `next=`: what the run holds, in
# what order, and where it ends.
RUN_PLAN = "plan"  # every baseline of the plan, in the plan page's order of work
RUN_PLAN_MINE = "plan-mine"  # the plan page with ?mine=1: mine in this plan, the same order
RUN_MINE = "mine"  # "My baselines" of the home page: mine in every plan, by target date
RUN_MODES = (RUN_PLAN, RUN_PLAN_MINE, RUN_MINE)
# "Baseline 4 of 37 ..." on the answer page, and "You have reached the end of ...".
RUN_DESCRIPTIONS = {
    RUN_PLAN: "in the plan's order of work",
    RUN_PLAN_MINE: "assigned to you in this plan, in the plan's order of work",
    RUN_MINE: "assigned to you, by target date as on your home page",
}
RUN_ENDS = {
    RUN_PLAN: "the plan's order of work",
    RUN_PLAN_MINE: "your baselines in this plan",
    RUN_MINE: "your baselines",
}


def run_mode(value) -> str:
    """The run named in a request; the plan's order of work when none (or nonsense) is."""
    return value if value in RUN_MODES else RUN_PLAN


@dataclass(frozen=True)
class RunStep:
    id: int
    code: str  # the establishment of the answer, for its address


@dataclass
class Run:
    """Where one answer stands in a run. `position` (from 1) and `total` count every baseline
    of the run, done or not, so that the numbers stay put while the person works through it;
    `left` counts those after this one still to do (not met and not marked not applicable),
    which "Save and go to the next" visits in turn; `to_do_before` those before it."""

    mode: str
    position: int | None
    total: int
    left: int
    to_do_before: int
    next: RunStep | None

    @property
    def description(self) -> str:
        return RUN_DESCRIPTIONS[self.mode]

    @property
    def end(self) -> str:
        return RUN_ENDS[self.mode]


# The order of the plan page: EDM by EDM, each EDM's weightings from the precursors down
# (undated desirable ones last), then as the EDM prints them (plan_page's WeightGroups).
PLAN_ORDER = (
    "baseline__edm_version__edm__number",
    F("baseline__weighting").desc(nulls_last=True),
    "baseline__area__position",
    "baseline__position",
)
# The order of "My baselines" on the home page (my_baselines): by target date, undated last.
MINE_ORDER = (F("target_date").asc(nulls_last=True), "pk")


def answer_run(mode: str, *, user, plan: Plan, current_id: int) -> Run:
    """Where the answer `current_id` stands in the run `mode` (RUN_MODES) and the next one
    still to do after it: one query, a row of three values for each baseline of the run,
    whatever the size of the plan."""
    answers = Response.objects.filter(archived_at__isnull=True)
    if mode == RUN_MINE:
        answers = answers.filter(
            unit_filter(user, VIEW_PLAN, path_field="plan__establishment__path"), assignee=user
        ).order_by(*MINE_ORDER)
    else:
        answers = answers.filter(plan=plan).order_by(*PLAN_ORDER)
        if mode == RUN_PLAN_MINE:
            answers = answers.filter(assignee=user)
    steps = list(answers.values_list("pk", "status", "plan__establishment__code"))
    ids = [pk for pk, _, _ in steps]
    position = ids.index(current_id) if current_id in ids else None
    to_do = [status not in DONE_STATUSES for _, status, _ in steps]
    after = range(position + 1, len(steps)) if position is not None else range(0)
    following = next((i for i in after if to_do[i]), None)
    return Run(
        mode=mode,
        position=None if position is None else position + 1,
        total=len(steps),
        left=sum(1 for i in after if to_do[i]),
        to_do_before=sum(to_do[:position]) if position is not None else sum(to_do),
        next=None
        if following is None
        else RunStep(id=steps[following][0], code=steps[following][2]),
    )


def plans_of_establishment(establishment: Establishment) -> list[Plan]:
    return list(
        Plan.objects.filter(establishment=establishment)
        .select_related("stage")
        .order_by("-created_at", "-pk")
    )


def response_detail(plan: Plan, response_id: int) -> Response | None:
    return (
        Response.objects.filter(plan=plan, pk=response_id)
        .select_related(
            "baseline__area",
            "baseline__edm_version__edm",
            "plan__establishment",
            "plan__stage",
            "assignee",
        )
        .first()
    )


def evidence_of(response: Response) -> list[Evidence]:
    return list(
        Evidence.objects.filter(response=response, removed_at__isnull=True).select_related(
            "added_by"
        )
    )


def evidence_names(plan: Plan) -> dict[int, list[str]]:
    """The evidence still held for each answer of `plan`, by response id, in one query (the
    plan report lists it under every answer)."""
    names: dict[int, list[str]] = {}
    evidence = Evidence.objects.filter(response__plan=plan, removed_at__isnull=True).order_by(
        "added_at", "id"
    )
    for item in evidence.only("response_id", "file_name", "url", "note"):
        names.setdefault(item.response_id, []).append(str(item))
    return names


# --- Oversight: a group's and the nation's plans at a glance ------------------------------


@dataclass
class EstablishmentProgress:
    code: str
    name: str
    group_code: str
    group_name: str
    plan_id: int | None
    stage: int | None
    summary: ProgressSummary | None


def _latest_plans(establishment_ids: list[int]) -> dict[int, Plan]:
    latest: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(establishment_id__in=establishment_ids)
        .select_related("stage")
        .order_by("establishment_id", "-created_at", "-pk")
    ):
        latest.setdefault(plan.establishment_id, plan)
    return latest


def establishment_progress(
    establishments: QuerySet[Establishment], *, today: datetime.date | None = None
) -> list[EstablishmentProgress]:
    """Each establishment's latest plan: weighted progress, next, blocked and overdue counts.
    Three queries whatever the number of establishments."""
    today = today or timezone.localdate()
    found = list(establishments.select_related("parent").order_by("parent__name", "name"))
    latest = _latest_plans([e.pk for e in found])
    values = Response.objects.filter(
        plan_id__in=[p.pk for p in latest.values()], archived_at__isnull=True
    ).values_list(
        "plan_id",
        "baseline__edm_version__edm__number",
        "baseline__weighting",
        "baseline__mandatory",
        "status",
        "target_date",
        "needs_review",
    )
    items_by_plan: dict[int, list[tuple[Item, bool]]] = defaultdict(list)
    for plan_id, edm, weighting, mandatory, status, target, review in values:
        items_by_plan[plan_id].append(
            (Item(edm, weight_of(weighting), mandatory, status, target), review)
        )
    result = []
    for establishment in found:
        plan = latest.get(establishment.pk)
        summary = None
        if plan is not None:
            pairs = items_by_plan.get(plan.pk, [])
            items = [i for i, _ in pairs]
            places = sequence_of(items)
            summary = ProgressSummary(
                mandatory=progress_of(items, mandatory=True),
                desirable=progress_of(items, mandatory=False),
                overall=progress_of(items),
                next_count=places.count(Sequence.NEXT),
                waiting_count=places.count(Sequence.WAITING),
                overdue_count=sum(1 for i in items if i.overdue(today)),
                review_count=sum(1 for _, review in pairs if review),
            )
        result.append(
            EstablishmentProgress(
                code=establishment.code,
                name=establishment.name,
                group_code=establishment.parent.code,
                group_name=establishment.parent.name,
                plan_id=plan.pk if plan else None,
                stage=plan.stage.number if plan else None,
                summary=summary,
            )
        )
    return result


def group_establishments(group: OrganisationUnit) -> QuerySet[Establishment]:
    """The group's open establishments: closed ones leave the group and national views."""
    return Establishment.objects.filter(parent=group, status=EstablishmentStatus.OPEN)


def all_establishments() -> QuerySet[Establishment]:
    return Establishment.objects.filter(
        kind=UnitKind.ESTABLISHMENT, status=EstablishmentStatus.OPEN
    )


PROGRESS_HEADERS = [
    "Prison group",
    "Establishment code",
    "Establishment",
    "Target stage",
    "Mandatory progress (%)",
    "Desirable progress (%)",
    "Overall progress (%)",
    "Next",
    "Waiting on precursors",
    "Overdue",
    "Needing review",
]


def progress_table(rows: list[EstablishmentProgress]) -> list[list[object]]:
    table = []
    for row in rows:
        s = row.summary
        table.append(
            [
                row.group_name,
                row.code,
                row.name,
                row.stage if row.stage else "No plan yet",
                s.mandatory.percent if s else None,
                s.desirable.percent if s else None,
                s.overall.percent if s else None,
                s.next_count if s else None,
                s.waiting_count if s else None,
                s.overdue_count if s else None,
                s.review_count if s else None,
            ]
        )
    return table


STATUS_LABELS = dict(ResponseStatus.choices)


def plans_on_version(version, user) -> VersionUse:
    """The plans that answer an EDM version: the names of the establishments in `user`'s scope
    (with the plan's stage), and how many more plans lie outside it. Two queries."""
    answering = PlanEdm.objects.filter(edm_version=version)
    visible = list(
        answering.filter(unit_filter(user, VIEW_PLAN, path_field="plan__establishment__path"))
        .select_related("plan__establishment", "plan__stage")
        .order_by("plan__establishment__name", "plan__stage__number")
    )
    return VersionUse(
        what="plans",
        names=[f"{p.plan.establishment.name} (stage {p.plan.stage.number})" for p in visible],
        elsewhere=answering.count() - len(visible),
    )


def people_who_may_own(establishment: Establishment):
    """People who may be given a baseline of `establishment`'s plan: active accounts holding a
    role at the establishment itself (not only above it), by name."""
    from recovery.accounts.models import User

    return (
        User.objects.filter(is_active=True, role_assignments__unit=establishment)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


@dataclass
class MyBaseline:
    response: Response
    overdue: bool


def my_baselines(user, *, today: datetime.date | None = None) -> list[MyBaseline]:
    """The open baselines assigned to `user`, overdue first, then by target date (undated
    last): one query, whatever the number of plans or baselines."""
    today = today or timezone.localdate()
    open_answers = (
        Response.objects.filter(assignee=user, archived_at__isnull=True)
        .exclude(status__in=[ResponseStatus.MET, ResponseStatus.NOT_APPLICABLE])
        .select_related("plan__establishment", "baseline")
    )
    rows = [MyBaseline(r, bool(r.target_date and r.target_date < today)) for r in open_answers]
    rows.sort(key=lambda row: (row.response.target_date or datetime.date.max, row.response.pk))
    return rows

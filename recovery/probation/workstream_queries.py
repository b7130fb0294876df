"""Every read of the Recovery Programme Board, in a fixed number of queries whatever the
history's length.

- `board(day)`: each workstream's RAG as it stood on `day` (its latest update then) and the one
  before it, its overdue milestones and its open issues by severity; the count of workstreams at
  red, amber and green; red first (or by number).
- `rag_on(day)`: each workstream's RAG as it stood on a date, for "changes since the last
  report to ministers"; `changes_since(last report)` compares it with today's.
- `workstream_page(number)`: one workstream's updates (newest first), milestones and issues.
- `at_a_glance(day)`: what the probation centre's home page says: workstreams at red and
  milestones overdue."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from recovery.probation.workstream_models import (
    IssueStatus,
    Workstream,
    WorkstreamIssue,
    WorkstreamMilestone,
    WorkstreamRag,
    WorkstreamUpdate,
)

# Red first, then amber, green, and a workstream that has not reported yet.
# A workstream's page shows its latest updates (about six months); all on request.
UPDATES_SHOWN = 12
RAG_ORDER = {WorkstreamRag.RED: 0, WorkstreamRag.AMBER: 1, WorkstreamRag.GREEN: 2, None: 3}
ORDERS = ("rag", "number")


def _today() -> datetime.date:
    from recovery.probation.queries import today

    return today()


def _updates_on(day: datetime.date):
    """A workstream's updates reported on or before `day`, newest first (for a Subquery)."""
    return WorkstreamUpdate.objects.filter(
        workstream=OuterRef("pk"), reported_on__lte=day
    ).order_by("-reported_on", "-pk")


def _with_rag_on(queryset, day: datetime.date, *, previous: bool = False):
    latest = _updates_on(day)
    annotations = {
        "rag_then": Subquery(latest.values("rag")[:1]),
        "reported_then": Subquery(latest.values("reported_on")[:1]),
        "summary_then": Subquery(latest.values("summary")[:1]),
    }
    if previous:
        annotations["previous_rag"] = Subquery(latest.values("rag")[1:2])
        annotations["previous_reported"] = Subquery(latest.values("reported_on")[1:2])
    return queryset.annotate(**annotations)


@dataclass
class RagOn:
    number: int
    name: str
    rag: str | None  # None: the workstream had not reported by then
    reported_on: datetime.date | None

    @property
    def rag_label(self) -> str:
        return WorkstreamRag(self.rag).label if self.rag else "Not reported"


def rag_on(day: datetime.date) -> dict[int, RagOn]:
    """Each workstream's RAG as it stood on `day` (its latest update reported on or before it),
    by workstream number. One query."""
    rows = _with_rag_on(Workstream.objects.order_by("number"), day)
    return {
        w.number: RagOn(w.number, w.name, w.rag_then, w.reported_then)
        for w in rows.only("number", "name")
    }


@dataclass
class RagChange:
    number: int
    name: str
    then: RagOn
    now: RagOn


def changes_since(earlier: datetime.date, later: datetime.date | None = None) -> list[RagChange]:
    """The workstreams whose RAG on `later` (default today) differs from their RAG on `earlier`
    (the day of the last report to ministers), by number; one that had not reported by then
    and has since is a change too. Two queries."""
    then, now = rag_on(earlier), rag_on(later or _today())
    return [
        RagChange(number, now[number].name, then[number], now[number])
        for number in sorted(now)
        if then[number].rag != now[number].rag
    ]


@dataclass
class BoardRow:
    number: int
    name: str
    lead: str
    rag: str | None
    reported_on: datetime.date | None
    summary: str
    previous_rag: str | None
    overdue: list[WorkstreamMilestone] = field(default_factory=list)
    open_issues: dict[str, int] = field(default_factory=dict)  # severity -> how many

    @property
    def rag_label(self) -> str:
        return WorkstreamRag(self.rag).label if self.rag else "Not reported"

    @property
    def previous_label(self) -> str:
        return WorkstreamRag(self.previous_rag).label if self.previous_rag else "None"

    @property
    def changed(self) -> bool:
        return self.previous_rag is not None and self.previous_rag != self.rag

    @property
    def open_issues_named(self) -> list[tuple[str, int]]:
        """("red", 1), ("amber", 2): the severities with an open issue, the most severe first."""
        return [(rag, n) for rag, n in self.open_issues.items() if n]

    @property
    def open_total(self) -> int:
        return sum(self.open_issues.values())


@dataclass
class Board:
    day: datetime.date
    order: str
    rows: list[BoardRow]
    red_issues: list[WorkstreamIssue]
    overdue: list[WorkstreamMilestone]

    def count(self, rag: str | None) -> int:
        return sum(1 for r in self.rows if r.rag == rag)

    @property
    def red(self) -> int:
        return self.count(WorkstreamRag.RED)

    @property
    def amber(self) -> int:
        return self.count(WorkstreamRag.AMBER)

    @property
    def green(self) -> int:
        return self.count(WorkstreamRag.GREEN)

    @property
    def not_reported(self) -> int:
        return self.count(None)


def board(day: datetime.date | None = None, *, order: str = "rag") -> Board:
    """The Board as it stands on `day` (default today): every workstream with its latest RAG and
    the one before it, its overdue milestones (due before `day`, not done by then) and its open
    issues by severity; the open red issues; red first then by number, or by number. Three
    queries."""
    day = day or _today()
    order = order if order in ORDERS else "rag"
    workstreams = list(_with_rag_on(Workstream.objects.order_by("number"), day, previous=True))
    overdue = list(
        WorkstreamMilestone.objects.filter(due_on__lt=day)
        .exclude(done_on__lte=day)
        .select_related("workstream")
        .order_by("due_on", "workstream__number", "pk")
    )
    issues = list(
        WorkstreamIssue.objects.filter(status=IssueStatus.OPEN)
        .select_related("workstream")
        .order_by("workstream__number", "-raised_on", "pk")
    )
    rows = {
        w.pk: BoardRow(
            number=w.number,
            name=w.name,
            lead=w.lead,
            rag=w.rag_then,
            reported_on=w.reported_then,
            summary=w.summary_then or "",
            previous_rag=w.previous_rag,
            open_issues={rag: 0 for rag in WorkstreamRag.values},
        )
        for w in workstreams
    }
    for milestone in overdue:
        rows[milestone.workstream_id].overdue.append(milestone)
    for issue in issues:
        rows[issue.workstream_id].open_issues[issue.rag] += 1
    ordered = list(rows.values())
    if order == "rag":
        ordered.sort(key=lambda r: (RAG_ORDER[r.rag], r.number))
    return Board(
        day=day,
        order=order,
        rows=ordered,
        red_issues=[i for i in issues if i.rag == WorkstreamRag.RED],
        overdue=overdue,
    )


@dataclass
class WorkstreamPage:
    workstream: Workstream
    updates: list[WorkstreamUpdate]
    milestones: list[WorkstreamMilestone]
    issues: list[WorkstreamIssue]
    day: datetime.date
    updates_total: int = 0

    @property
    def more_updates(self) -> int:
        return self.updates_total - len(self.updates)

    @property
    def current(self) -> WorkstreamUpdate | None:
        return self.updates[0] if self.updates else None

    @property
    def open_issues(self) -> list[WorkstreamIssue]:
        return [i for i in self.issues if i.status == IssueStatus.OPEN]

    @property
    def closed_issues(self) -> list[WorkstreamIssue]:
        return [i for i in self.issues if i.status == IssueStatus.CLOSED]

    def is_overdue(self, milestone: WorkstreamMilestone) -> bool:
        return milestone.done_on is None and milestone.due_on < self.day


def workstream_page(
    workstream: Workstream, day: datetime.date | None = None, *, all_updates: bool = False
) -> WorkstreamPage:
    """One workstream: its latest updates newest first (the first is its status; every one
    with `all_updates`) and how many there are, milestones by due date, issues open first (the
    most severe first) then closed. Four queries."""
    day = day or _today()
    updates = WorkstreamUpdate.objects.filter(workstream=workstream).order_by("-reported_on", "-pk")
    issues = list(WorkstreamIssue.objects.filter(workstream=workstream))
    issues.sort(
        key=lambda i: (
            i.status != IssueStatus.OPEN,
            RAG_ORDER[i.rag] if i.status == IssueStatus.OPEN else 0,
            -(i.closed_on or i.raised_on).toordinal(),
            i.pk,
        )
    )
    return WorkstreamPage(
        workstream=workstream,
        updates=list(updates if all_updates else updates[:UPDATES_SHOWN]),
        updates_total=updates.count(),
        milestones=list(
            WorkstreamMilestone.objects.filter(workstream=workstream).order_by("due_on", "pk")
        ),
        issues=issues,
        day=day,
    )


@dataclass
class AtAGlance:
    red: list[RagOn]
    overdue: list[WorkstreamMilestone]


def at_a_glance(day: datetime.date | None = None) -> AtAGlance:
    """The workstreams at red today and the milestones overdue, for the centre's home page.
    Two queries."""
    day = day or _today()
    red = [r for r in rag_on(day).values() if r.rag == WorkstreamRag.RED]
    overdue = list(
        WorkstreamMilestone.objects.filter(due_on__lt=day, done_on__isnull=True)
        .select_related("workstream")
        .order_by("due_on", "workstream__number", "pk")
    )
    return AtAGlance(red=red, overdue=overdue)

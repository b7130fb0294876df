"""Every write of the Recovery Programme Board (re-exported by recovery.probation.actions).
Each action checks the permission first, validates with the words a person reads, writes inside
one transaction and records its audit event in it.

- A workstream's lead (`do_set_workstream_lead`, through the one edit door: stale edits refused).
- A status update to the Board: RAG and summary on a date (`do_post_workstream_update`); never
  edited, the newest is the workstream's status.
- Milestones: add, edit (title, due date), complete (the date it was done).
- Issues: raise, edit (title, detail, severity, owner), close (resolution, the date closed).
Edits, completions and closures name the version they were made against; a stale one is
refused with what the other person changed."""

import datetime
from typing import Any

from django.db import transaction

from recovery.audit.actions import record_event
from recovery.core.concurrency import update_versioned
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.estate.models import OrganisationUnit
from recovery.probation.workstream_models import (
    IssueStatus,
    Workstream,
    WorkstreamIssue,
    WorkstreamMilestone,
    WorkstreamRag,
    WorkstreamUpdate,
)
from recovery.probation.workstream_rules import MANAGE_WORKSTREAMS

# The roadmap was published in May 2020: nothing the Board records is dated before it.
EARLIEST = datetime.date(2020, 3, 1)
LONGEST_TEXT = 5000


def _today() -> datetime.date:
    from recovery.probation.queries import today

    return today()


def _require(acting_user) -> None:
    require(acting_user, MANAGE_WORKSTREAMS, OrganisationUnit.objects.get(kind=UnitKind.NATION))


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def _day(d: datetime.date | None) -> str | None:
    return d.isoformat() if d else None


def _words(d: datetime.date) -> str:
    return f"{d:%-d %B %Y}"


# --- Checks: what a person typed, refused with the words they read ----------------------------


def check_text(value: str | None, *, field: str, what: str, required: bool = True, limit=300):
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"Enter {what}", field=field)
    if len(text) > limit:
        raise DomainError(
            f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer", field=field
        )
    return text


def check_rag(rag: str | None, *, field: str = "rag", what: str = "the RAG status") -> str:
    if rag not in WorkstreamRag.values:
        raise DomainError(f"Choose {what}: red, amber or green", field=field)
    return rag


def check_day(
    day: datetime.date | None,
    *,
    field: str,
    what: str,
    not_after_today: bool = True,
    not_before: datetime.date = EARLIEST,
) -> datetime.date:
    if day is None:
        raise DomainError(f"Enter {what}", field=field)
    if not_after_today and day > _today():
        raise DomainError(f"{what[0].upper()}{what[1:]} cannot be in the future", field=field)
    if day < not_before:
        raise DomainError(
            f"{what[0].upper()}{what[1:]} cannot be before {_words(not_before)}", field=field
        )
    return day


# --- The lead ---------------------------------------------------------------------------------


def do_set_workstream_lead(
    workstream: Workstream, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Name the workstream's lead (a person or a post; empty when there is none). Refused if
    someone changed the workstream after `expected_version`. Returns what changed."""
    _require(acting_user)
    lead = check_text(changes.get("lead"), field="lead", what="the lead", required=False, limit=200)
    with transaction.atomic(durable=True):
        before, after = update_versioned(
            workstream,
            expected_version=expected_version,
            changes={"lead": lead},
            label=f"Workstream {workstream.number}, {workstream.name},",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="probation.set_workstream_lead",
                obj=workstream,
                summary=f"Workstream {workstream.number} ({workstream.name}): lead "
                + (f"now {lead}" if lead else "removed"),
                before=before,
                after=after,
            )
        return after


# --- Status updates ---------------------------------------------------------------------------


def do_post_workstream_update(
    workstream: Workstream,
    *,
    rag: str,
    summary: str,
    reported_on: datetime.date,
    acting_user,
) -> WorkstreamUpdate:
    """Report the workstream's status to the Board: RAG and a summary, on a date (not in the
    future, and not before the workstream's latest update, which would then stay current)."""
    _require(acting_user)
    rag = check_rag(rag)
    summary = check_text(summary, field="summary", what="a summary", limit=LONGEST_TEXT)
    reported_on = check_day(reported_on, field="reported_on", what="the date of the update")
    with transaction.atomic(durable=True):
        Workstream.objects.select_for_update().filter(pk=workstream.pk).first()
        latest = (
            WorkstreamUpdate.objects.filter(workstream=workstream)
            .order_by("-reported_on", "-pk")
            .first()
        )
        if latest is not None and reported_on < latest.reported_on:
            raise DomainError(
                f"The latest update was reported on {_words(latest.reported_on)}: a new update "
                "cannot be dated before it",
                field="reported_on",
            )
        update = WorkstreamUpdate.objects.create(
            workstream=workstream,
            rag=rag,
            summary=summary,
            reported_on=reported_on,
            recorded_by=_person(acting_user),
            recorded_by_name=_name(acting_user),
        )
        label = WorkstreamRag(rag).label.lower()
        record_event(
            acting_user=acting_user,
            action="probation.post_workstream_update",
            obj=update,
            summary=f"Workstream {workstream.number} ({workstream.name}) reported {label} on "
            f"{_words(reported_on)}",
            before={"rag": latest.rag if latest else None},
            after={"rag": rag, "summary": summary, "reported_on": _day(reported_on)},
        )
        return update


def do_load_workstream_history(
    workstream: Workstream,
    updates: list[tuple[datetime.date, str, str]],
    *,
    acting_user,
) -> int:
    """Record a workstream's past status updates in one go (from the Board's papers, or the
    demo data): each (reported on, RAG, summary), in date order, none in the future and none
    before the workstream's latest update. All or nothing; one audit event for the load.
    Returns how many were recorded."""
    from django.utils import timezone

    from recovery.audit.actions import build_event, record_events
    from recovery.core.bulk import insert_rows

    _require(acting_user)
    checked = []
    for reported_on, rag, summary in updates:
        reported_on = check_day(reported_on, field="reported_on", what="the date of the update")
        if checked and reported_on < checked[-1][0]:
            raise DomainError("The updates must be in date order, the oldest first")
        checked.append(
            (
                reported_on,
                check_rag(rag),
                check_text(summary, field="summary", what="a summary", limit=LONGEST_TEXT),
            )
        )
    if not checked:
        return 0
    with transaction.atomic(durable=True):
        Workstream.objects.select_for_update().filter(pk=workstream.pk).first()
        latest = (
            WorkstreamUpdate.objects.filter(workstream=workstream)
            .order_by("-reported_on", "-pk")
            .first()
        )
        if latest is not None and checked[0][0] < latest.reported_on:
            raise DomainError(
                f"The latest update was reported on {_words(latest.reported_on)}: the updates "
                "loaded cannot be dated before it"
            )
        now = timezone.now()
        insert_rows(
            WorkstreamUpdate,
            [
                WorkstreamUpdate(
                    workstream=workstream,
                    rag=rag,
                    summary=summary,
                    reported_on=reported_on,
                    recorded_by=_person(acting_user),
                    recorded_by_name=_name(acting_user),
                    recorded_at=now,
                )
                for reported_on, rag, summary in checked
            ],
        )
        first, last = checked[0], checked[-1]
        record_events(
            [
                build_event(
                    acting_user=acting_user,
                    action="probation.load_workstream_history",
                    obj=workstream,
                    summary=f"Workstream {workstream.number} ({workstream.name}): {len(checked)} "
                    f"status updates from {_words(first[0])} to {_words(last[0])} loaded",
                    after={
                        "updates": len(checked),
                        "from": _day(first[0]),
                        "to": _day(last[0]),
                        "rag": last[1],
                    },
                )
            ]
        )
        return len(checked)


# --- Milestones -------------------------------------------------------------------------------


def _check_milestone(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": check_text(changes.get("title"), field="title", what="the milestone"),
        "due_on": check_day(
            changes.get("due_on"),
            field="due_on",
            what="the date it is due",
            not_after_today=False,
        ),
    }


def do_add_milestone(
    workstream: Workstream, *, title: str, due_on: datetime.date, acting_user
) -> WorkstreamMilestone:
    """Add a milestone the Board agreed for the workstream, with the date it is due."""
    _require(acting_user)
    cleaned = _check_milestone({"title": title, "due_on": due_on})
    with transaction.atomic(durable=True):
        milestone = WorkstreamMilestone.objects.create(workstream=workstream, **cleaned)
        record_event(
            acting_user=acting_user,
            action="probation.add_milestone",
            obj=milestone,
            summary=f"Workstream {workstream.number}: milestone added, due "
            f"{_words(milestone.due_on)}",
            after={"title": milestone.title, "due_on": _day(milestone.due_on)},
        )
        return milestone


def do_update_milestone(
    milestone: WorkstreamMilestone,
    *,
    expected_version: int,
    changes: dict[str, Any],
    acting_user,
) -> dict[str, Any]:
    """Change a milestone's title or due date. Refused if someone changed it after
    `expected_version`. Returns what changed."""
    _require(acting_user)
    cleaned = _check_milestone(changes)
    with transaction.atomic(durable=True):
        before, after = update_versioned(
            milestone, expected_version=expected_version, changes=cleaned, label="The milestone"
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="probation.update_milestone",
                obj=milestone,
                summary=f"Workstream {milestone.workstream.number}: milestone changed",
                before={k: _day(v) if k == "due_on" else v for k, v in before.items()},
                after={k: _day(v) if k == "due_on" else v for k, v in after.items()},
            )
        return after


def do_complete_milestone(
    milestone: WorkstreamMilestone,
    *,
    expected_version: int,
    done_on: datetime.date | None,
    acting_user,
) -> WorkstreamMilestone:
    """Record that a milestone was met, on a date (not in the future). Refused if someone
    changed it after `expected_version`, or if it is already done."""
    _require(acting_user)
    done_on = check_day(done_on, field="done_on", what="the date it was done")
    with transaction.atomic(durable=True):
        current = WorkstreamMilestone.objects.select_for_update().get(pk=milestone.pk)
        if current.version == expected_version and current.done_on is not None:
            raise DomainError(f"This milestone was already done on {_words(current.done_on)}.")
        update_versioned(
            milestone,
            expected_version=expected_version,
            changes={"done_on": done_on},
            label="The milestone",
        )
        record_event(
            acting_user=acting_user,
            action="probation.complete_milestone",
            obj=milestone,
            summary=f"Workstream {milestone.workstream.number}: milestone done on "
            f"{_words(done_on)}",
            before={"done_on": None},
            after={"done_on": _day(done_on)},
        )
        return milestone


# --- Issues -----------------------------------------------------------------------------------


def _check_issue(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": check_text(changes.get("title"), field="title", what="the issue"),
        "detail": check_text(
            changes.get("detail"),
            field="detail",
            what="the detail",
            required=False,
            limit=LONGEST_TEXT,
        ),
        "rag": check_rag(changes.get("rag"), what="how severe the issue is"),
        "owner": check_text(
            changes.get("owner"), field="owner", what="the owner", required=False, limit=200
        ),
    }


def do_raise_issue(
    workstream: Workstream,
    *,
    title: str,
    rag: str,
    raised_on: datetime.date,
    detail: str = "",
    owner: str = "",
    acting_user,
) -> WorkstreamIssue:
    """Raise an issue of the workstream with the Board: what it is, how severe (RAG), who owns
    it, the date it was raised (not in the future)."""
    _require(acting_user)
    cleaned = _check_issue({"title": title, "detail": detail, "rag": rag, "owner": owner})
    raised_on = check_day(raised_on, field="raised_on", what="the date it was raised")
    with transaction.atomic(durable=True):
        issue = WorkstreamIssue.objects.create(
            workstream=workstream, raised_on=raised_on, **cleaned
        )
        record_event(
            acting_user=acting_user,
            action="probation.raise_issue",
            obj=issue,
            summary=f"Workstream {workstream.number}: {WorkstreamRag(rag).label.lower()} issue "
            "raised",
            after={**cleaned, "raised_on": _day(raised_on), "status": issue.status},
        )
        return issue


def do_update_issue(
    issue: WorkstreamIssue, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change an issue's title, detail, severity or owner. Refused if someone changed it after
    `expected_version`. Returns what changed."""
    _require(acting_user)
    cleaned = _check_issue(changes)
    with transaction.atomic(durable=True):
        before, after = update_versioned(
            issue, expected_version=expected_version, changes=cleaned, label="The issue"
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="probation.update_issue",
                obj=issue,
                summary=f"Workstream {issue.workstream.number}: issue changed",
                before=before,
                after=after,
            )
        return after


def do_close_issue(
    issue: WorkstreamIssue,
    *,
    expected_version: int,
    resolution: str,
    closed_on: datetime.date | None,
    acting_user,
) -> WorkstreamIssue:
    """Close an issue with how it was resolved, on a date (not in the future, not before it was
    raised). Refused if someone changed it after `expected_version`, or if it is closed."""
    _require(acting_user)
    resolution = check_text(
        resolution, field="resolution", what="how it was resolved", limit=LONGEST_TEXT
    )
    closed_on = check_day(
        closed_on,
        field="closed_on",
        what="the date it was closed",
        not_before=issue.raised_on,
    )
    with transaction.atomic(durable=True):
        current = WorkstreamIssue.objects.select_for_update().get(pk=issue.pk)
        if current.version == expected_version and current.status == IssueStatus.CLOSED:
            raise DomainError(f"This issue was already closed on {_words(current.closed_on)}.")
        update_versioned(
            issue,
            expected_version=expected_version,
            changes={
                "status": IssueStatus.CLOSED,
                "resolution": resolution,
                "closed_on": closed_on,
            },
            label="The issue",
        )
        record_event(
            acting_user=acting_user,
            action="probation.close_issue",
            obj=issue,
            summary=f"Workstream {issue.workstream.number}: issue closed on {_words(closed_on)}",
            before={"status": IssueStatus.OPEN},
            after={
                "status": IssueStatus.CLOSED,
                "resolution": resolution,
                "closed_on": _day(closed_on),
            },
        )
        return issue

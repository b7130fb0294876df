"""Reads of the decision logs, scoped: the logs a person may read, an establishment's log
filtered and searched, and the verification of the chains."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.scope import unit_filter
from recovery.decisions.chain import COLUMNS, Verification, verify_rows
from recovery.decisions.constants import ConcernKind, EntryStatus, Priority
from recovery.decisions.models import DecisionChainHead, DecisionDraft, DecisionEntry
from recovery.decisions.rules import VIEW_DECISIONS
from recovery.estate.models import Establishment

RECORDING_ACTIONS = ("decisions.record", "decisions.supersede")


@dataclass(frozen=True)
class LogSummary:
    code: str
    name: str
    group: str
    entries: int
    last_recorded_at: datetime.datetime | None


def logs_in_scope(user, *, group: str = "") -> list[LogSummary]:
    """Every establishment whose log the person may read, with how many entries it has."""
    establishments = (
        Establishment.objects.filter(unit_filter(user, VIEW_DECISIONS))
        .select_related("parent")
        .annotate(entries=Count("decision_entries"), last=Max("decision_entries__recorded_at"))
        .order_by("parent__name", "name")
    )
    if group:
        establishments = establishments.filter(parent__code=group)
    return [
        LogSummary(e.code, e.name, e.parent.name if e.parent else "", e.entries, e.last)
        for e in establishments
    ]


@dataclass
class LogFilter:
    """What the log page shows: a status, what entries concern, a date range (decided on) and
    words to find in the title, decision or rationale."""

    status: str = ""
    concerns: str = ""  # a ConcernKind, or "priority:<Priority>"
    decided_from: datetime.date | None = None
    decided_to: datetime.date | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.status or self.concerns or self.decided_from or self.decided_to or self.text
        )


def concern_choices() -> list[tuple[str, str]]:
    return [
        *[(f"priority:{p.value}", f"Priority: {p.label}") for p in Priority],
        (ConcernKind.METRIC, "A backlog"),
        (ConcernKind.BASELINE, "An EDM baseline"),
        (ConcernKind.OTHER, "Something else"),
    ]


def _filtered(queryset, f: LogFilter):
    if f.concerns.startswith("priority:"):
        queryset = queryset.filter(
            concerns_kind=ConcernKind.PRIORITY, priority=f.concerns.removeprefix("priority:")
        )
    elif f.concerns:
        queryset = queryset.filter(concerns_kind=f.concerns)
    if f.decided_from:
        queryset = queryset.filter(decided_on__gte=f.decided_from)
    if f.decided_to:
        queryset = queryset.filter(decided_on__lte=f.decided_to)
    for word in f.text.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(decision__icontains=word) | Q(rationale__icontains=word)
        )
    return queryset


@dataclass(frozen=True)
class EntryRow:
    entry: DecisionEntry
    superseded_by: int | None  # the entry number that corrects it

    @property
    def status(self) -> str:
        return EntryStatus.SUPERSEDED if self.superseded_by else EntryStatus.RECORDED

    @property
    def status_label(self) -> str:
        if self.superseded_by:
            return f"Superseded by #{self.superseded_by}"
        return EntryStatus.RECORDED.label


def entries_of(establishment, f: LogFilter | None = None) -> list[EntryRow]:
    """The recorded entries of the log, newest first, each with the entry that supersedes it."""
    f = f or LogFilter()
    if f.status == EntryStatus.DRAFT:
        return []
    later = DecisionEntry.objects.filter(supersedes=OuterRef("pk")).values("sequence")[:1]
    queryset = (
        DecisionEntry.objects.filter(establishment=establishment)
        .select_related("supersedes")
        .annotate(superseded_by_sequence=Subquery(later))
        .order_by("-sequence")
    )
    if f.status == EntryStatus.RECORDED:
        queryset = queryset.filter(superseded_by_sequence__isnull=True)
    elif f.status == EntryStatus.SUPERSEDED:
        queryset = queryset.filter(superseded_by_sequence__isnull=False)
    return [EntryRow(e, e.superseded_by_sequence) for e in _filtered(queryset, f)]


def drafts_of(establishment, f: LogFilter | None = None) -> list[DecisionDraft]:
    f = f or LogFilter()
    if f.status and f.status != EntryStatus.DRAFT:
        return []
    return list(
        _filtered(DecisionDraft.objects.filter(establishment=establishment), f).order_by(
            "-created_at", "-pk"
        )
    )


def entry_of(establishment, sequence: int) -> EntryRow | None:
    later = DecisionEntry.objects.filter(supersedes=OuterRef("pk")).values("sequence")[:1]
    entry = (
        DecisionEntry.objects.filter(establishment=establishment, sequence=sequence)
        .select_related("supersedes", "metric", "baseline")
        .annotate(superseded_by_sequence=Subquery(later))
        .first()
    )
    return EntryRow(entry, entry.superseded_by_sequence) if entry else None


# --- Verification -------------------------------------------------------------------------------


def _last_recordings(establishment_ids) -> dict[int, tuple[int, str]]:
    """establishment id -> (sequence, hash) named by the last recording in the audit trail."""
    events = AuditEvent.objects.filter(
        action__in=RECORDING_ACTIONS, object_type="decisions.decisionentry"
    )
    if establishment_ids is not None:
        events = events.filter(unit_id__in=establishment_ids)
    last_ids = events.values("unit_id").annotate(last=Max("id")).values_list("last", flat=True)
    return {
        unit_id: (after.get("sequence"), after.get("hash"))
        for unit_id, after in AuditEvent.objects.filter(id__in=list(last_ids)).values_list(
            "unit_id", "after"
        )
    }


def verify_logs(establishments=None, *, chunk_size: int = 10_000) -> Verification:
    """Walk the chains of the given establishments' logs (every log when None) and say, for
    each, whether it is intact or where it first breaks."""
    heads = DecisionChainHead.objects.all()
    entries = DecisionEntry.objects.all()
    ids = None
    if establishments is not None:
        ids = [e.pk for e in establishments]
        heads = heads.filter(establishment_id__in=ids)
        entries = entries.filter(establishment_id__in=ids)
        logged = set(ids)
    else:
        logged = set(heads.values_list("establishment_id", flat=True)) | set(
            entries.order_by().values_list("establishment_id", flat=True).distinct()
        )
    logs = {
        pk: (code, name)
        for pk, code, name in Establishment.objects.filter(pk__in=logged).values_list(
            "pk", "code", "name"
        )
    }
    rows = (
        entries.order_by("establishment_id", "sequence")
        .values_list(*COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    chains = verify_rows(
        rows,
        logs=logs,
        heads={
            h: (n, last)
            for h, n, last in heads.values_list("establishment_id", "length", "last_hash")
        },
        recorded=_last_recordings(ids),
    )
    return Verification(chains=chains, checked_at=timezone.now())

"""Data calls: the centre asks a set of establishments for a set of metrics for one period, by a
deadline; sees who has answered and the national total as returns land; reminds those who have
not; closes the call.

An establishment has answered when it has a current value, for the call's period, of every
metric of the call that its type reports (a metric its type does not report is not asked of
it). Returns are made through the ordinary return form or upload: a data call asks for them, it
does not collect them itself.

A reminder goes by e-mail to the establishment's Governor and editors, and is recorded; an
establishment is never reminded of the same call twice within a day."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.backlogs.aggregates import NATION, Figure, aggregate
from recovery.backlogs.constants import DataCallKind, DataCallStatus
from recovery.backlogs.models import (
    DataCall,
    DataCallReminder,
    Metric,
    ReturnSettings,
    ReturnValue,
)
from recovery.backlogs.periods import period_start_of
from recovery.backlogs.rules import DATA_CALL_WORKFLOW, MANAGE_DATA_CALLS
from recovery.core.constants import Role, UnitKind
from recovery.core.errors import DomainError
from recovery.core.notify import Message, people_holding, tell
from recovery.core.scope import is_system, require
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment, OrganisationUnit

TITLE_MAX = 200
REMINDER_INTERVAL = datetime.timedelta(days=1)
REMINDED_ROLES = (Role.GOVERNOR, Role.ESTABLISHMENT_EDITOR)


def return_url(code: str, period_start: datetime.date) -> str:
    """Where an establishment enters its return for a period (the returns pages)."""
    return reverse("backlogs:return", args=[code, period_start.isoformat()])


def data_call_url(data_call: DataCall) -> str:
    return reverse("backlogs:data-call", args=[data_call.pk])


# --- Choosing establishments ---------------------------------------------------------------


def chosen_establishments(
    *, groups: Iterable[str] = (), types: Iterable[str] = ()
) -> list[Establishment]:
    """Open establishments in any of `groups` (codes) and of any of `types`; an empty list of
    either means all of them."""
    sites = Establishment.objects.filter(status=EstablishmentStatus.OPEN).select_related("parent")
    groups, types = list(groups), list(types)
    if groups:
        sites = sites.filter(parent__code__in=groups)
    if types:
        sites = sites.filter(establishment_type__in=types)
    return list(sites.order_by("name"))


def check_data_call(
    *,
    title: str,
    period_start: datetime.date | None,
    deadline: datetime.datetime | None,
    metrics: list[Metric],
    establishments: list[Establishment],
    today: datetime.date,
) -> None:
    if not title:
        raise DomainError("Enter a title", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    if period_start is None:
        raise DomainError("Enter the period the call asks about", field="period")
    if period_start > today:
        raise DomainError("The period must have started: today or earlier", field="period")
    if deadline is None:
        raise DomainError("Enter the deadline", field="deadline")
    if timezone.localdate(deadline) < today:
        raise DomainError("The deadline must be today or later", field="deadline")
    if not metrics:
        raise DomainError("Choose at least one metric", field="metrics")
    if not establishments:
        raise DomainError(
            "No open establishment matches your choice and reports any of these metrics",
            field="establishments",
        )


def do_create_data_call(
    *,
    title: str,
    description: str = "",
    kind: str = DataCallKind.STANDARD,
    period_start: datetime.date | None,
    deadline: datetime.datetime | None,
    metrics: Iterable[Metric],
    establishments: Iterable[Establishment],
    acting_user,
) -> DataCall:
    """Send a data call. Establishments whose type reports none of the metrics are left out.
    The feed shows it at once; the webhook, if set, is told after commit."""
    nation = OrganisationUnit.objects.get(kind=UnitKind.NATION)
    require(acting_user, MANAGE_DATA_CALLS, nation)
    title = (title or "").strip()
    metrics = list(metrics)
    if period_start is not None:
        period_start = period_start_of(period_start, ReturnSettings.current())
    establishments = [
        e for e in establishments if any(m.reported_by(e.establishment_type) for m in metrics)
    ]
    check_data_call(
        title=title,
        period_start=period_start,
        deadline=deadline,
        metrics=metrics,
        establishments=establishments,
        today=timezone.localdate(),
    )
    with transaction.atomic(durable=True):
        data_call = DataCall.objects.create(
            title=title,
            description=(description or "").strip(),
            kind=kind,
            period_start=period_start,
            deadline=deadline,
            created_at=timezone.now(),
            created_by=None if is_system(acting_user) else acting_user,
            unit=nation,
        )
        data_call.metrics.set(metrics)
        data_call.establishments.set(establishments)
        record_event(
            acting_user=acting_user,
            action="backlogs.create_data_call",
            obj=data_call,
            summary=f"Sent the data call '{title}' to {len(establishments)} establishments",
            after={
                "title": title,
                "kind": str(kind),
                "period_start": period_start.isoformat(),
                "deadline": deadline.isoformat(),
                "metrics": sorted(m.code for m in metrics),
                "establishments": sorted(e.code for e in establishments),
            },
        )
    from recovery.backlogs.webhooks import announce_data_call

    transaction.on_commit(lambda: announce_data_call(data_call))
    return data_call


# --- Who has answered, and the live totals -------------------------------------------------


@dataclass(frozen=True)
class Answer:
    establishment: Establishment
    asked: int  # metrics of the call its type reports
    given: int  # of which it has a current value for the period
    last_reminded_at: datetime.datetime | None

    @property
    def answered(self) -> bool:
        return self.given >= self.asked


def answers(data_call: DataCall) -> list[Answer]:
    """Each establishment of the call, whether it has answered, and when it was last reminded;
    not answered first. A fixed number of queries."""
    metrics = list(data_call.metrics.all())
    establishments = list(data_call.establishments.select_related("parent").order_by("name"))
    given = defaultdict(int)
    for establishment_id, n in (
        ReturnValue.objects.filter(
            current=True,
            period_start=data_call.period_start,
            metric__in=metrics,
            establishment__in=establishments,
        )
        .values_list("establishment_id")
        .annotate(n=Count("metric_id", distinct=True))
        .order_by()
    ):
        given[establishment_id] = n
    reminded = {}
    for reminder in DataCallReminder.objects.filter(data_call=data_call).order_by("sent_at"):
        reminded[reminder.establishment_id] = reminder.sent_at
    rows = [
        Answer(
            establishment=e,
            asked=sum(1 for m in metrics if m.reported_by(e.establishment_type)),
            given=given[e.pk],
            last_reminded_at=reminded.get(e.pk),
        )
        for e in establishments
    ]
    return sorted(rows, key=lambda a: (a.answered, a.establishment.name))


@dataclass(frozen=True)
class Total:
    metric: Metric
    figure: Figure


def live_totals(data_call: DataCall) -> list[Total]:
    """The national total of each metric of the call over its establishments, from the returns
    in so far (current values)."""
    metrics = list(data_call.metrics.select_related("weight_metric").order_by("order", "name"))
    sites = list(data_call.establishments.values_list("pk", flat=True))
    figures = aggregate(metrics, [data_call.period_start], establishments=sites)
    return [Total(m, figures[(m.pk, NATION, data_call.period_start)]) for m in metrics]


def data_calls_list() -> list[DataCall]:
    """Every data call, open first, with how many establishments it asks."""
    return list(
        DataCall.objects.annotate(asked=Count("establishments", distinct=True)).order_by(
            "status", "-deadline", "-pk"
        )
    )


@dataclass(frozen=True)
class OpenCall:
    data_call: DataCall
    answered: bool
    return_url: str


def open_calls_for(establishment: Establishment) -> list[OpenCall]:
    """The open data calls that ask `establishment`, soonest deadline first, each with whether
    it has answered and where to enter the return. Three queries."""
    calls = list(
        DataCall.objects.filter(status=DataCallStatus.OPEN, establishments=establishment)
        .prefetch_related(
            Prefetch("metrics", queryset=Metric.objects.only("pk", "establishment_types"))
        )
        .order_by("deadline", "pk")
    )
    if not calls:
        return []
    have = set(
        ReturnValue.objects.filter(
            establishment=establishment,
            current=True,
            period_start__in={c.period_start for c in calls},
        ).values_list("metric_id", "period_start")
    )
    result = []
    for call in calls:
        asked = [
            m.pk for m in call.metrics.all() if m.reported_by(establishment.establishment_type)
        ]
        result.append(
            OpenCall(
                data_call=call,
                answered=all((m, call.period_start) in have for m in asked),
                return_url=return_url(establishment.code, call.period_start),
            )
        )
    return result


# --- Reminding and closing -----------------------------------------------------------------


@dataclass
class Reminded:
    establishments: list[Establishment]
    people: int
    skipped: list[Establishment]  # reminded within the last day

    def describe(self) -> str:
        if not self.establishments:
            if self.skipped:
                return "Every establishment yet to answer was reminded within the last day"
            return "Every establishment has answered: nobody to remind"
        return (
            f"Reminded {len(self.establishments)} establishment"
            f"{'s' if len(self.establishments) != 1 else ''} ({self.people} people)"
            + (f"; {len(self.skipped)} reminded within the last day" if self.skipped else "")
        )


def do_remind_data_call(data_call: DataCall, *, acting_user) -> Reminded:
    """E-mail the Governor and editors of each establishment that has not answered, unless it
    was reminded of this call within the last day; record each reminder."""
    require(acting_user, MANAGE_DATA_CALLS, data_call)
    now = timezone.now()
    with transaction.atomic(durable=True):
        # One reminder round at a time per call, so two clicks cannot both send.
        call = DataCall.objects.select_for_update().get(pk=data_call.pk)
        if call.status != DataCallStatus.OPEN:
            raise DomainError("This data call is closed: nobody can be reminded")
        recent = set(
            DataCallReminder.objects.filter(
                data_call=call, sent_at__gt=now - REMINDER_INTERVAL
            ).values_list("establishment_id", flat=True)
        )
        waiting = [a.establishment for a in answers(call) if not a.answered]
        to_remind = [e for e in waiting if e.pk not in recent]
        skipped = [e for e in waiting if e.pk in recent]
        people = 0
        for establishment in to_remind:
            people += tell(
                people_holding(REMINDED_ROLES, establishment),
                Message(
                    subject=f"Reminder: data call '{call.title}' for {establishment.name}",
                    body=(
                        f"{establishment.name} has not yet returned every figure the data "
                        f"call '{call.title}' asks for, for the period from "
                        f"{call.period_start:%-d %B %Y}. The deadline is "
                        f"{timezone.localtime(call.deadline):%-d %B %Y at %H:%M}."
                    ),
                    link=return_url(establishment.code, call.period_start),
                ),
                exclude=acting_user,
            )
        DataCallReminder.objects.bulk_create(
            [
                DataCallReminder(
                    data_call=call,
                    establishment=e,
                    sent_at=now,
                    sent_by=None if is_system(acting_user) else acting_user,
                )
                for e in to_remind
            ]
        )
        record_event(
            acting_user=acting_user,
            action="backlogs.remind_data_call",
            obj=call,
            summary=f"Reminded {len(to_remind)} establishments of the data call '{call.title}'",
            after={
                "reminded": sorted(e.code for e in to_remind),
                "skipped": sorted(e.code for e in skipped),
                "people": people,
            },
        )
    return Reminded(to_remind, people, skipped)


def do_close_data_call(data_call: DataCall, *, acting_user) -> DataCall:
    """Close an open data call: it leaves the establishments' home pages and can no longer be
    reminded of."""
    with transaction.atomic(durable=True):
        call = DataCall.objects.select_for_update().get(pk=data_call.pk)
        before, after = DATA_CALL_WORKFLOW.move(acting_user, call, "close")
        call.closed_at = timezone.now()
        call.version += 1
        call.save(update_fields=["status", "closed_at", "version"])
        record_event(
            acting_user=acting_user,
            action="backlogs.close_data_call",
            obj=call,
            summary=f"Closed the data call '{call.title}'",
            before={"status": before},
            after={"status": after},
        )
    return call

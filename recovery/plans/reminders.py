"""Reminders of target dates to the people baselines are assigned to.

`do_send_baseline_reminders` is run daily (`python manage.py send_baseline_reminders`, by cron
or the task queue's scheduler): for each open, live answer assigned to an active person, one
e-mail when its target date is within `days_before` days and one when it has passed. What was
sent is recorded (`ReminderSent`, one per answer, kind and target date), so running it twice
sends nothing more, and a moved target date gets reminders of its own."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.scope import require
from recovery.plans.constants import ResponseStatus
from recovery.plans.models import ReminderSent, Response
from recovery.plans.rules import SEND_REMINDERS

KIND_LABELS = dict(ReminderSent.KINDS)
OPEN_STATUSES = (ResponseStatus.NOT_STARTED, ResponseStatus.IN_PROGRESS)


@dataclass(frozen=True)
class RemindersReport:
    due_soon: int
    overdue: int

    def describe(self) -> str:
        return (
            f"{self.due_soon} reminder(s) of a target date coming up, "
            f"{self.overdue} of a target date passed"
        )


def _candidates(today: datetime.date, days_before: int):
    return (
        Response.objects.filter(
            status__in=OPEN_STATUSES,
            archived_at__isnull=True,
            assignee__is_active=True,
            target_date__isnull=False,
            target_date__lte=today + datetime.timedelta(days=days_before),
        )
        .select_related("assignee", "baseline__edm_version__edm", "plan__establishment")
        .order_by("pk")
    )


def _message(response: Response, kind: str, today: datetime.date) -> notify.Message:
    b = response.baseline
    name = f"EDM {b.edm_version.edm.number} baseline {b.number}"
    site = response.plan.establishment.name
    when = f"{response.target_date:%-d %B %Y}"
    if kind == ReminderSent.OVERDUE:
        subject = f"Overdue: {name} at {site} (target date {when})"
        body = f"The target date of {name} at {site}, assigned to you, was {when}."
    else:
        days = (response.target_date - today).days
        subject = f"Due in {days} day{'s' if days != 1 else ''}: {name} at {site}"
        body = f"The target date of {name} at {site}, assigned to you, is {when}."
    link = reverse("plans:response", args=[response.plan.establishment.code])
    return notify.Message(subject, body, link=f"{link}?response={response.pk}")


def do_send_baseline_reminders(
    *, today: datetime.date, days_before: int = 7, acting_user
) -> RemindersReport:
    """Send every reminder due today that was not sent before. Each reminder is its own small
    transaction (its record, its audit event, its e-mail after commit)."""
    require(acting_user, SEND_REMINDERS)
    sent = {ReminderSent.DUE_SOON: 0, ReminderSent.OVERDUE: 0}
    for response in _candidates(today, days_before):
        kind = ReminderSent.OVERDUE if response.target_date < today else ReminderSent.DUE_SOON
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    response=response,
                    kind=kind,
                    target_date=response.target_date,
                    sent_to=response.assignee,
                )
                record_event(
                    acting_user=acting_user,
                    action="plans.send_reminder",
                    obj=response,
                    summary=f"Reminder sent to {response.assignee}: {KIND_LABELS[kind]}",
                    after={
                        "kind": kind,
                        "target_date": response.target_date.isoformat(),
                        "sent_to": response.assignee.email,
                    },
                )
                notify.tell([response.assignee], _message(response, kind, today))
        except IntegrityError:
            continue  # sent before (on an earlier run, or by a run at the same moment)
        sent[kind] += 1
    return RemindersReport(due_soon=sent[ReminderSent.DUE_SOON], overdue=sent[ReminderSent.OVERDUE])

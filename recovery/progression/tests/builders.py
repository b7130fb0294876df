"""Stage history, assessments, outbreaks and progress reviews built to order for tests of what
people see (pages and the browser journeys), relative to today."""

import datetime

from django.utils import timezone

from recovery.covid.models import Outbreak
from recovery.frameworks.models import Stage
from recovery.plans.factories import start_plan
from recovery.progression.constants import ChangeKind, ChangeStatus, ReviewStatus
from recovery.progression.models import ProgressReview, ReadinessAssessment, StageChange

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def moment(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def stage(number: int) -> Stage:
    return Stage.objects.get(number=number)


def at_stage(establishment, number, *, since=30, status=ChangeStatus.IN_EFFECT, previous=None):
    return StageChange.objects.create(
        establishment=establishment,
        stage=stage(number),
        previous_stage=stage(previous) if previous else None,
        effective_from=days_ago(since),
        kind=ChangeKind.INITIAL if status == ChangeStatus.IN_EFFECT else ChangeKind.EMERGENCY,
        status=status,
        reason="Recorded for the test",
        decided_by_name="Test",
    )


def assessment(establishment, status, *, waiting_days=3, plan=None):
    plan = plan or start_plan(establishment)
    return ReadinessAssessment.objects.create(
        establishment=establishment,
        plan=plan,
        from_stage=stage(4),
        to_stage=stage(3),
        status=status,
        submitted_at=moment(waiting_days + 1),
        status_since=moment(waiting_days),
    )


def outbreak(establishment, since=5):
    return Outbreak.objects.create(
        establishment=establishment, declared_on=days_ago(since), declared_by_name="Test"
    )


def review(establishment, status):
    return ProgressReview.objects.create(
        establishment=establishment,
        stage=stage(3),
        status=status,
        report="Activity restarted as planned",
        forwarded_at=moment(1) if status == ReviewStatus.FORWARDED else None,
    )

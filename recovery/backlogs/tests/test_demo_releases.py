"""The demo releases and data calls: made on whatever returns exist, through the actions, and
a second run adds nothing."""

import datetime

import pytest
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.backlogs import factories
from recovery.backlogs.constants import DataCallStatus
from recovery.backlogs.demo_releases import load_demo_releases
from recovery.backlogs.models import DataCall, Release

pytestmark = pytest.mark.django_db


def test_demo_releases_and_data_calls_once(small_estate):
    metric = factories.metric(name="Parole reports outstanding", area="offender_management")
    weeks = [datetime.date(2026, 10, 5) + datetime.timedelta(weeks=k) for k in range(4)]
    factories.series(small_estate.establishment_1, metric, {w: 10 + k for k, w in enumerate(weeks)})
    now = timezone.make_aware(datetime.datetime(2026, 11, 6, 12, 0))  # week 4 due on the 6th 00:00

    said = load_demo_releases(now)

    assert said == "Backlog releases: 4 published; 3 data calls"
    assert list(Release.objects.order_by("number").values_list("period_start", flat=True)) == weeks
    first = Release.objects.get(number=1)
    assert timezone.localtime(first.published_at) == timezone.make_aware(
        datetime.datetime(2026, 10, 16, 0, 0)
    )
    assert sorted(DataCall.objects.values_list("status", flat=True)) == [
        DataCallStatus.CLOSED,
        DataCallStatus.OPEN,
        DataCallStatus.OPEN,
    ]
    assert AuditEvent.objects.filter(actor_name="System (demo data)").count() == 4 + 3 + 1

    assert load_demo_releases(now) == "Backlog releases: 0 published; 0 data calls"


def test_no_returns_no_demo_releases(small_estate):
    assert load_demo_releases() == "Backlog releases: 0 published; 0 data calls"

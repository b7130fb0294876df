"""The demo returns: two years of weeks, a plan line per metric, and nothing more a second
time."""

import pytest

from recovery.backlogs.demo import WEEKS, build_demo_returns
from recovery.backlogs.models import LrpLine, Return, ReturnValue
from recovery.backlogs.queries import metrics_reported_by

pytestmark = pytest.mark.django_db


def test_demo_returns_cover_two_years_and_are_loaded_once(small_estate):
    sites, figures = build_demo_returns()
    assert sites == 2
    site = small_estate.establishment_1
    weeks = Return.objects.filter(establishment=site).count()
    # 104 weeks, less a few missed (at most 6) and perhaps the week asked for now.
    assert WEEKS - 7 <= weeks <= WEEKS
    reported = len(metrics_reported_by(site))
    assert ReturnValue.objects.filter(establishment=site, current=True).count() == weeks * reported
    assert LrpLine.objects.filter(establishment=site).count() == reported - 1  # not staff in post
    assert figures == ReturnValue.objects.count()
    assert build_demo_returns() == (0, 0)

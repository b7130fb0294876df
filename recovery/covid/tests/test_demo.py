"""The demo Covid controls: every open demo prison recorded with coverage and PPE stock (some
items short), the same every run, nothing added on a second run. (The demo outbreaks belong to
the stage progression demo: recovery/progression/tests/test_demo.py.)"""

import pytest
from django.db.models import F

from recovery.audit.models import AuditEvent
from recovery.core.scope import DEMO_DATA
from recovery.covid.demo import build_demo_controls
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.estate.actions import do_load_estate
from recovery.estate.demo import build_demo_estate

pytestmark = pytest.mark.django_db


def test_demo_controls_are_realistic_and_idempotent():
    do_load_estate(build_demo_estate(), acting_user=DEMO_DATA, source="demo")

    seeded = build_demo_controls()
    picture = (
        list(
            Outbreak.objects.order_by("establishment__code", "declared_on").values_list(
                "establishment__code", "declared_on", "ended_on"
            )
        ),
        CovidControls.objects.count(),
        PpeStock.objects.count(),
    )
    events = AuditEvent.objects.count()

    assert seeded == 123  # every open establishment (one of the 124 is closed)
    assert not picture[0]
    assert picture[1] == 123 and picture[2] == 123 * 7
    assert 0 < PpeStock.objects.filter(in_stock__lt=F("needed")).count() < 123 * 7 // 4
    assert build_demo_controls() == 0
    assert AuditEvent.objects.count() == events

"""Demo Covid controls: the same picture every run, through the actions. Every open
establishment gets coverage figures, a contact-tracing lead (a role, never a person's name), a
plan review date and PPE stock (some items short). Dates are set back from DEMO_DATE, or today if
that is earlier, so none is in the future.

The demo outbreaks are written by the stage progression's demo (recovery/progression/demo.py),
because each one is part of an establishment's story: an outbreak proposes or forces a move
back a stage, and the national picture must add up."""

import datetime
import random

from django.utils import timezone

from recovery.core.scope import DEMO_DATA
from recovery.covid.actions import (
    PpeCount,
    controls_of_establishment,
    do_set_ppe_stock,
    do_update_controls,
)
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment

DEMO_DATE = datetime.date(2026, 12, 1)
LEADS = (
    "Head of Healthcare",
    "Head of Safety",
    "Deputy Governor",
    "Custodial Manager, Health and Safety",
    "Head of Residence",
)
# Roughly what a prison of 600 uses in a fortnight, by item.
NEED = {
    PpeItem.FFP3_MASKS: 400,
    PpeItem.SURGICAL_MASKS: 6000,
    PpeItem.GLOVES: 8000,
    PpeItem.APRONS: 5000,
    PpeItem.GOWNS: 300,
    PpeItem.VISORS: 250,
    PpeItem.HAND_SANITISER: 150,
}


def _anchor() -> datetime.date:
    return min(DEMO_DATE, timezone.localdate())


def load_demo() -> str:
    """Called by `seed_demo`, after the estate and the accounts."""
    return f"Covid controls: {build_demo_controls()} establishments recorded"


def build_demo_controls() -> int:
    """Record the controls of every open establishment that has none yet. Returns how many were
    recorded (0 on a second run)."""
    anchor = _anchor()
    seeded = 0
    establishments = Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code")
    done = set(CovidControls.objects.values_list("establishment_id", flat=True))
    for establishment in establishments:
        if establishment.pk in done:
            continue
        rng = random.Random(f"demo-covid-{establishment.code}")
        _controls(establishment, rng, anchor)
        _stock(establishment, rng, anchor)
        seeded += 1
    return seeded


def _controls(establishment, rng: random.Random, anchor: datetime.date) -> None:
    do_update_controls(
        controls_of_establishment(establishment),
        expected_version=1,
        changes={
            "as_of": anchor - datetime.timedelta(days=rng.randint(0, 6)),
            "staff_tested_percent": rng.randint(55, 98),
            "prisoners_tested_percent": rng.randint(40, 95),
            "staff_vaccinated_percent": rng.randint(60, 95),
            "prisoners_vaccinated_percent": rng.randint(35, 85),
            "contact_tracing_lead": rng.choice(LEADS),
            "contingency_plan_reviewed_on": anchor - datetime.timedelta(days=rng.randint(3, 60)),
        },
        acting_user=DEMO_DATA,
    )


def _stock(establishment, rng: random.Random, anchor: datetime.date) -> None:
    scale = (establishment.operational_capacity or 600) / 600
    counts = []
    for item, need in NEED.items():
        needed = max(1, round(need * scale))
        # Most items at or above need; about one in eight short.
        ratio = rng.uniform(0.5, 0.95) if rng.random() < 0.125 else rng.uniform(1.0, 1.6)
        counts.append(PpeCount(item.value, round(needed * ratio), needed, 0))
    do_set_ppe_stock(
        establishment,
        counts,
        counted_on=anchor - datetime.timedelta(days=rng.randint(0, 10)),
        acting_user=DEMO_DATA,
    )

"""Demo Covid controls: the same picture every run, through the actions. Every open
establishment gets coverage figures, a contact-tracing lead (a role, never a person's name), a
plan review date and PPE stock (some items short); about half have had an outbreak over the
last year, and a realistic share (the sources' minutes speak of 55 prisons in outbreak in one
week) are in outbreak now. Dates are set back from DEMO_DATE, or today if that is earlier, so
none is in the future."""

import datetime
import random

from django.utils import timezone

from recovery.core.scope import DEMO_DATA
from recovery.covid.actions import (
    PpeCount,
    controls_of_establishment,
    do_declare_outbreak,
    do_end_outbreak,
    do_set_ppe_stock,
    do_update_controls,
)
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, Outbreak
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment

DEMO_DATE = datetime.date(2026, 12, 1)
IN_OUTBREAK_SHARE = 0.45
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
    seeded, in_outbreak = build_demo_controls()
    return f"Covid controls: {seeded} establishments recorded, {in_outbreak} in outbreak"


def build_demo_controls() -> tuple[int, int]:
    """Record the controls of every open establishment that has none yet. Returns how many were
    recorded and how many of them are in outbreak (0, 0 on a second run)."""
    anchor = _anchor()
    seeded = in_outbreak = 0
    establishments = Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code")
    done = set(CovidControls.objects.values_list("establishment_id", flat=True)) | set(
        Outbreak.objects.values_list("establishment_id", flat=True)
    )
    for establishment in establishments:
        if establishment.pk in done:
            continue
        rng = random.Random(f"demo-covid-{establishment.code}")
        _controls(establishment, rng, anchor)
        _stock(establishment, rng, anchor)
        in_outbreak += _outbreaks(establishment, rng, anchor)
        seeded += 1
    return seeded, in_outbreak


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


def _outbreaks(establishment, rng: random.Random, anchor: datetime.date) -> int:
    """Up to two ended outbreaks over the last year, and an open one for a share of sites.
    Returns 1 if the establishment is left in outbreak."""
    start = anchor - datetime.timedelta(days=365)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        declared = start + datetime.timedelta(days=rng.randint(0, 40))
        ended = declared + datetime.timedelta(days=rng.randint(14, 42))
        outbreak = do_declare_outbreak(
            establishment,
            declared_on=declared,
            cases_staff=rng.randint(0, 12),
            cases_prisoners=rng.randint(1, 40),
            acting_user=DEMO_DATA,
        )
        do_end_outbreak(outbreak, ended_on=ended, acting_user=DEMO_DATA)
        start = ended + datetime.timedelta(days=rng.randint(30, 90))
    if rng.random() >= IN_OUTBREAK_SHARE:
        return 0
    declared = max(start, anchor - datetime.timedelta(days=rng.randint(1, 28)))
    do_declare_outbreak(
        establishment,
        declared_on=min(declared, anchor),
        cases_staff=rng.randint(1, 15),
        cases_prisoners=rng.randint(2, 60),
        notes="Declared after positive tests on one wing; regime restricted on that wing.",
        acting_user=DEMO_DATA,
    )
    return 1

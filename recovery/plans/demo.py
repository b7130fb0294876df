"""Demo Regime Recovery Plans: the same plans every run, with answers part-way through, so the
plan, group and national views have something true-looking to show. Invented content only."""

import datetime
import random

from django.db.models import Q

from recovery.core.constants import UnitKind
from recovery.core.scope import DEMO_DATA
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.demo import DEMO_ACCOUNTS
from recovery.estate.models import Establishment
from recovery.frameworks.constants import Autonomy
from recovery.frameworks.models import Stage
from recovery.plans.actions import applicable_versions, do_start_plan, do_update_response
from recovery.plans.constants import ResponseStatus
from recovery.plans.models import Plan, Response

DEMO_STAGE = 3
DEMO_DATE = datetime.date(2026, 12, 1)  # target dates are set relative to this, not to today
OWNERS = (
    "Head of Residence",
    "Head of Reducing Reoffending",
    "Head of Safety",
    "Head of Learning and Skills",
    "Custodial Manager, Activities",
)


def demo_establishments() -> list[Establishment]:
    """Every establishment of the groups where the demo prison roles sit, plus every youth
    custody site the demo accounts hold: a PGD sees a whole group of plans. Closed
    establishments get none (no new plan can be started for them)."""
    codes = {r.unit_code for a in DEMO_ACCOUNTS for r in a.roles}
    held = Establishment.objects.filter(code__in=codes)
    groups = {e.parent_id for e in held}
    return list(
        Establishment.objects.filter(Q(parent_id__in=groups) | Q(code__in=codes))
        .filter(status=EstablishmentStatus.OPEN)
        .order_by("code")
    )


def _answer(rng: random.Random, response: Response) -> dict:
    baseline = response.baseline
    roll = rng.random()
    status = (
        ResponseStatus.MET
        if roll < 0.35 + 0.05 * (baseline.weighting or 1)
        else ResponseStatus.IN_PROGRESS
        if roll < 0.75
        else ResponseStatus.NOT_STARTED
    )
    changes = {
        "status": status,
        "owner": rng.choice(OWNERS),
        "approach": f"Local approach to baseline {baseline.number}, agreed with the regime "
        "management team and the local trade unions.",
        "target_date": DEMO_DATE + datetime.timedelta(days=rng.randint(-30, 90)),
    }
    if baseline.options:
        changes["chosen_option"] = rng.choice(baseline.options)
    if baseline.autonomy == Autonomy.LIMITED and status == ResponseStatus.MET:
        changes["compliance_confirmed"] = True
    return changes


def load_demo() -> str:
    """Called by `seed_demo`, after the estate, the accounts and the EDM library."""
    return f"Regime Recovery Plans: {build_demo_plans()} started"


def build_demo_plans(establishments=None) -> int:
    """Start the stage 3 plan of each demo establishment (or of each of `establishments`) that
    has none, and answer some of its baselines. Returns the number of plans started (0 on a
    second run)."""
    stage = Stage.objects.get(number=DEMO_STAGE)
    started = 0
    for establishment in demo_establishments() if establishments is None else establishments:
        if establishment.kind != UnitKind.ESTABLISHMENT:
            continue
        if Plan.objects.filter(establishment=establishment, stage=stage).exists():
            continue
        if not applicable_versions(establishment, stage):
            continue
        plan = do_start_plan(establishment, stage, acting_user=DEMO_DATA)
        started += 1
        rng = random.Random(f"demo-plan-{establishment.code}")
        for response in plan.responses.select_related("baseline").order_by("baseline_id"):
            do_update_response(
                response,
                expected_version=response.version,
                changes=_answer(rng, response),
                acting_user=DEMO_DATA,
            )
    return started

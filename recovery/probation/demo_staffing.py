"""Demo staffing (called by recovery.probation.demo): eight weeks, up to the current one, for
every PDU of the demo region and the first PDU of each other region. Most weeks are covered by
existing staff and overtime; some reach agency staff, redeployment and returners; a few are
left short after every rung, among them the current week of the demo PDU head's PDU (so its
home page asks for it). Through the action, as "System (demo data)"; running it again adds
nothing."""

import datetime
import random
from decimal import Decimal

from recovery.core.constants import UnitKind
from recovery.core.scope import DEMO_DATA
from recovery.estate.models import OrganisationUnit
from recovery.probation.queries import today
from recovery.probation.staffing import monday_of
from recovery.probation.staffing_actions import do_record_staffing_week, staffing_week_of
from recovery.probation.staffing_models import StaffingWeek

DEMO_REGION = "R01"
WEEKS = 8


def _pdus() -> list[OrganisationUnit]:
    pdus = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent").order_by("code")
    )
    firsts: dict[int, OrganisationUnit] = {}
    for pdu in pdus:
        firsts.setdefault(pdu.parent_id, pdu)
    return [p for p in pdus if p.parent.code == DEMO_REGION or firsts[p.parent_id] is p]


def _week(rng: random.Random, short: bool) -> dict[str, Decimal]:
    need = Decimal(rng.randrange(1800, 4200, 75)) / 2  # 900 to 2,100 hours, in half hours
    staff = (need * Decimal(rng.uniform(0.78, 0.97))).quantize(Decimal("37.5"))
    rest = need - staff
    figures = {
        "hours_needed": need,
        "existing_staff_hours": staff,
        "overtime_hours": (rest * Decimal("0.5")).quantize(Decimal("0.5")),
        "agency_hours": Decimal(rng.choice([0, 37.5, 75, 112.5])),
        "redeployment_hours": Decimal(rng.choice([0, 0, 37.5, 75])),
        "returners_hours": Decimal(rng.choice([0, 0, 0, 22.5])),
        "other_departments_hours": Decimal(rng.choice([0, 0, 0, 0, 15])),
        "third_sector_hours": Decimal(rng.choice([0, 0, 0, 0, 0, 7.5])),
    }
    if short:
        # No rung after overtime has hours: a gap remains.
        for key in (
            "agency_hours",
            "redeployment_hours",
            "returners_hours",
            "other_departments_hours",
            "third_sector_hours",
        ):
            figures[key] = Decimal("0")
    return figures


def load_demo_staffing() -> str:
    if StaffingWeek.objects.exists():
        return "staffing already recorded"
    pdus = _pdus()
    this_week = monday_of(today())
    recorded = 0
    for number, pdu in enumerate(pdus):
        rng = random.Random(f"demo-staffing-{pdu.code}")
        for back in range(WEEKS - 1, -1, -1):
            week_start = this_week - datetime.timedelta(weeks=back)
            # The demo PDU head's PDU (the first): the current week short; elsewhere a week in
            # five short.
            short = (number == 0 and back == 0) or rng.random() < 0.2
            do_record_staffing_week(
                staffing_week_of(pdu, week_start),
                expected_version=1,
                changes={
                    **_week(rng, short),
                    "notes": "Agency staff booked through the regional framework." if short else "",
                },
                acting_user=DEMO_DATA,
            )
            recorded += 1
    return f"{recorded} staffing weeks in {len(pdus)} PDUs"

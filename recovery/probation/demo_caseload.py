"""Demo caseloads (called by recovery.probation.demo after the steps and offices): a generated
caseload, pseudonymised references only ("X" and seven digits, never names), of a realistic size
(about 900 to 1,400 cases) for the first three PDUs of the demo region, loaded through the one
import engine; a first wave allocated for each, the first PDU's started eight days ago so its
review is due. Everything through the actions, as "System (demo data)"; running it again adds
nothing."""

import datetime
import random

from django.utils import timezone

from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import DEMO_DATA
from recovery.estate.models import OrganisationUnit
from recovery.probation.caseload_actions import do_allocate_wave, do_import_national_caseload
from recovery.probation.caseload_factories import csv_upload
from recovery.probation.caseload_models import Case

DEMO_REGION = "R01"
ROSH = ["Low", "Medium", "High", "Very high"]
MODES = ["Doorstep", "Audio", "Video", "Face to face"]


def load_demo_caseload() -> str:
    if Case.objects.exists():
        return "Caseloads already loaded"
    pdus = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PDU, parent__code=DEMO_REGION).order_by(
            "code"
        )[:3]
    )
    if not pdus:
        return "No demo PDU for caseloads"
    rows = []
    number = 0
    for pdu in pdus:
        rng = random.Random(f"demo-caseload-{pdu.code}")
        for _ in range(rng.randint(900, 1400)):
            number += 1
            rosh = rng.choices(ROSH, [40, 35, 20, 5])[0]
            mode = rng.choices(MODES, [25, 45, 25, 5])[0]
            rows.append(
                [
                    f"X{rng.randint(0, 9):01d}{number:06d}",
                    pdu.code,
                    rosh,
                    "Yes" if rng.random() < 0.3 else "No",
                    "Yes" if rng.random() < 0.2 else "No",
                    mode,
                    "Yes" if rng.random() < 0.1 else "No",
                    "Yes" if rng.random() < 0.1 else "No",
                ]
            )
    summary = do_import_national_caseload(
        csv_upload(rows), acting_user=DEMO_DATA, file_name="demo-caseload.csv"
    )
    today = timezone.localdate()
    waves = 0
    for index, pdu in enumerate(pdus):
        starts = today - datetime.timedelta(days=8 if index == 0 else 1)
        try:
            do_allocate_wave(pdu, limit=25, starts_on=starts, acting_user=DEMO_DATA)
            waves += 1
        except DomainError:
            continue  # no capacity that counts in this PDU
    return f"Caseloads: {summary.cases:,} cases in {len(pdus)} PDUs; {waves} first waves"

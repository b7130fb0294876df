"""Test and demo helpers for caseloads: cases made directly as facts, caseload files (CSV and
.xlsx) with invented pseudonymised references, and an office whose week is a known number of
face-to-face appointments."""

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from recovery.probation.caseload import SPEC, category_of
from recovery.probation.caseload_models import Case
from recovery.probation.factories import OfficeCapacityFactory, risk_assessment

HEADINGS = SPEC.headings


def make_case(
    pdu,
    reference: str,
    rosh: str = "high",
    *,
    domestic_abuse: bool = False,
    child_safeguarding: bool = False,
    mode: str = "doorstep",
    lives_with_victim: bool = False,
    lives_with_children_at_risk: bool = False,
) -> Case:
    return Case.objects.create(
        pdu=pdu,
        reference=reference,
        rosh=rosh,
        domestic_abuse=domestic_abuse,
        child_safeguarding=child_safeguarding,
        contact_mode=mode,
        lives_with_victim=lives_with_victim,
        lives_with_children_at_risk=lives_with_children_at_risk,
        category=category_of(rosh, domestic_abuse, child_safeguarding),
    )


def csv_upload(rows, headings=HEADINGS, name: str = "caseload.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, headings=HEADINGS, name: str = "caseload.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Caseload"
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(
    reference: str,
    pdu_code: str,
    rosh="High",
    da="Yes",
    cs="No",
    mode="Doorstep",
    lwv="No",
    lwc="No",
):
    return [reference, pdu_code, rosh, da, cs, mode, lwv, lwc]


def weekly_capacity(office, appointments: int, *, on: datetime.date | None = None) -> None:
    """Make `office` offer exactly `appointments` face-to-face appointments a week (Mondays,
    one-hour slots in as many rooms as needed, at most 12 hours a day) and count (a current,
    safe risk assessment)."""
    rooms = max(1, -(-appointments // 12))
    hours = appointments // rooms
    assert rooms * hours == appointments, "choose a number of appointments that divides evenly"
    office.opens_at = datetime.time(6, 0)
    office.closes_at = datetime.time(6 + hours, 0)
    office.days_open = 5
    office.interview_rooms = max(office.interview_rooms, rooms)
    office.save()
    OfficeCapacityFactory(
        office=office,
        usable_rooms=rooms,
        appointment_minutes=50,
        cleaning_minutes=10,
        max_on_site=2 * rooms,
        staff_monday=rooms,
        staff_tuesday=0,
        staff_wednesday=0,
        staff_thursday=0,
        staff_friday=0,
    )
    risk_assessment(office, on or timezone.localdate())

"""Test data for Covid controls: outbreaks declared and ended through the actions, and
workbooks written as a person would fill in the template."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from recovery.core.scope import TEST_DATA
from recovery.covid.actions import do_declare_outbreak, do_end_outbreak
from recovery.covid.models import Outbreak
from recovery.frameworks.models import Stage
from recovery.progression.stages import do_record_stage


def declare(establishment, declared_on: datetime.date, *, acting_user=TEST_DATA) -> Outbreak:
    return do_declare_outbreak(establishment, declared_on=declared_on, acting_user=acting_user)


def ended(establishment, declared_on: datetime.date, ended_on: datetime.date) -> Outbreak:
    outbreak = declare(establishment, declared_on)
    return do_end_outbreak(outbreak, ended_on=ended_on, acting_user=TEST_DATA)


def at_stage(establishment, number: int, *, since: datetime.date | None = None):
    """Put the establishment at stage `number` of the default ladder, as the panel records it."""
    return do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Stage at the start of the test",
        effective_from=since or datetime.date(2021, 1, 4),
        acting_user=TEST_DATA,
    )


def workbook(sheets: dict[str, list[list]], *, name: str = "covid.xlsx") -> SimpleUploadedFile:
    """An .xlsx upload: `sheets` maps each sheet's title to its rows, headings first."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())

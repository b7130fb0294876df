"""Shared pieces of the backlogs tests: dates worked out by hand (periods are weeks from Monday
4 January 2021) and a workbook builder."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

HEADINGS = ["Establishment code", "Period start", "Metric code", "Metric", "Value", "Note"]


def this_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def weeks_ago(n: int) -> datetime.date:
    """The Monday `n` weeks before this week's."""
    return this_monday() - datetime.timedelta(weeks=n)


def workbook(rows, *, title: str = "Returns", headings=HEADINGS, name="returns.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if headings is not None:
        sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())

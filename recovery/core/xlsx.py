"""Spreadsheet helpers shared by every domain: writing real .xlsx files. Reading uploads is
the import engine's job (`recovery.core.imports`, behind the guards of `recovery.core.uploads`).

The export writer. Every .xlsx the service produces is written cell by cell through
`write_cell`, so whatever a user typed comes back as the same text:

- every cell holds a value of its type (text, number, date, yes/no), never a formula: text is
  stored as an inline string whatever it starts with;
- text a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return)
  also carries the "quote prefix" style, which Excel and LibreOffice keep when the file is edited
  and re-saved, so `=1+1` stays the text `=1+1`;
- characters XML cannot hold (controls such as the vertical tab Word puts in for a manual line
  break, lone surrogates, U+FFFE and U+FFFF) are replaced by REPLACEMENT_CHARACTER (U+FFFD, the
  "�" every reader shows), so the loss is visible and the export never fails; text longer than
  a cell can hold (32,767 characters) is cut, ending in TRUNCATED_MARK;
- carriage returns are kept (spelt &#13; in the sheet XML, which an XML reader would otherwise
  turn into a line feed);
- sheet titles are made safe: none of [ ] : * ? / \\, at most 31 characters, never blank, unique
  ignoring case.
"""

import datetime
import decimal
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What XML 1.0 cannot carry (tab, line feed and carriage return are fine): C0 controls, lone
# surrogates, and the two non-characters U+FFFE and U+FFFF.
ILLEGAL_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT_CHARACTER = "\ufffd"
MAX_CELL_TEXT = 32_767
TRUNCATED_MARK = "…"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31
# Set on a workbook once a cell holds a carriage return: saving then spells each one &#13;.
_CARRIAGE_RETURN_FLAG = "_recovery_carriage_return"


def safe_text(text: str) -> str:
    """`text` as a cell can hold it: characters XML cannot carry replaced by U+FFFD, and cut to
    the 32,767 characters a cell holds (ending in "…")."""
    text = ILLEGAL_XML_CHARACTERS.sub(REPLACEMENT_CHARACTER, text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - len(TRUNCATED_MARK)] + TRUNCATED_MARK
    return text


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet (or a CSV reader) would take this text for a formula."""
    return text.startswith(FORMULA_STARTS)


def safe_value(value: object) -> object:
    """A value openpyxl writes as a value of its own type: text (made safe), a whole or decimal
    number, a date or time (timezone-aware ones in local time, as the service shows them),
    yes/no, or None. Anything else (a number that is not finite, an identifier, a lazy
    translation) is written as its text."""
    if value is None or isinstance(value, bool | int | decimal.Decimal):
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            return safe_text(str(value))
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else safe_text(str(value))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(timezone.localtime(value))
        return value
    if isinstance(value, datetime.date | datetime.time):
        if isinstance(value, datetime.time) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return value
    return safe_text(str(value))


def write_cell(ws, row: int, column: int, value: object):
    """Write one value into a cell as a value of its type — text is always text, never a
    formula — and return the cell (for the caller to style)."""
    cell = ws.cell(row=row, column=column)
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl makes "=..." a formula: text is stored as text whatever it starts with, and
        # marked with the quote prefix so a spreadsheet keeps it as text when re-saved.
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
        if "\r" in value:
            setattr(ws.parent, _CARRIAGE_RETURN_FLAG, True)
    return cell


def safe_sheet_title(title: object, taken: Iterable[str] = ()) -> str:
    """A sheet title Excel accepts, from any text: the characters [ ] : * ? / \\ become "-",
    controls are dropped, no quote at either end, at most 31 characters, "Sheet" if nothing is
    left, and a " (2)", " (3)"... suffix when the title is already in `taken` (ignoring case)."""
    text = ILLEGAL_XML_CHARACTERS.sub("", str(title or ""))
    text = re.sub(r"[\t\r\n]+", " ", SHEET_TITLE_FORBIDDEN.sub("-", text))
    text = text.strip().strip("'").strip()[:MAX_SHEET_TITLE].strip() or "Sheet"
    used = {t.casefold() for t in taken}
    candidate, number = text, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = text[: MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
    return candidate


def add_sheet(workbook: Workbook, title: object):
    """A new sheet whose title is made safe and unique within `workbook`."""
    return workbook.create_sheet(title=safe_sheet_title(title, workbook.sheetnames))


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = add_sheet(workbook, sheet.title)
        widths = []
        for column, header in enumerate(sheet.headers, start=1):
            write_cell(ws, 1, column, header).font = Font(bold=True)
            widths.append(len(str(header)))
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                write_cell(ws, row_number, column, value)
                length = min(60, len(str(value))) if value is not None else 0
                if column > len(widths):
                    widths.append(length)
                else:
                    widths[column - 1] = max(widths[column - 1], length)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        ws.freeze_panes = "A2"
    return workbook


def save_workbook(workbook: Workbook) -> bytes:
    """The .xlsx file of a workbook whose cells were written by `write_cell`."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if getattr(workbook, _CARRIAGE_RETURN_FLAG, False):
        data = _keep_carriage_returns(data)
    return data


def _keep_carriage_returns(data: bytes) -> bytes:
    """openpyxl writes a carriage return in cell text as itself, which every XML reader turns
    into a line feed; as the character reference &#13; it is read back as written. openpyxl puts
    no carriage return in a sheet's markup, only in text, so each one is replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b"\r", b"&#13;")
            target.writestr(info, content)
    return out.getvalue()


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    return save_workbook(build_workbook(sheets))


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    return xlsx_bytes_response(filename, workbook_bytes(sheets))


def xlsx_bytes_response(filename: str, data: bytes) -> HttpResponse:
    """An .xlsx download of bytes the writer produced."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- CSV, through the same rules (added with backlog releases) -----------------------------

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_cell(value: object) -> str:
    """One CSV field: the value as the .xlsx writer would hold it, as text; text a spreadsheet
    would take for a formula starts with an apostrophe (which spreadsheets hide), so opening
    the file runs nothing. Dates are ISO 8601; yes/no are "yes"/"no"; None is empty."""
    value = safe_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and looks_like_formula(text):
        return "'" + text
    return text


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV in UTF-8 with a byte order mark (so Excel reads accents), CRLF lines."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(filename: str, sheet: Sheet) -> HttpResponse:
    response = HttpResponse(csv_bytes(sheet), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

"""Spreadsheet helpers shared by every domain: writing real .xlsx files (reading helpers for
uploads live beside them)."""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from recovery.core.errors import InvalidUpload, Problem

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in sheet.headers]
        for row in sheet.rows:
            values = list(row)
            ws.append(values)
            for i, value in enumerate(values):
                widths[i] = max(widths[i], min(60, len(str(value)) if value is not None else 0))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        ws.freeze_panes = "A2"
    return workbook


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    build_workbook(sheets).save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Reading uploads -------------------------------------------------------------------------
#
# An upload is read whole into memory (it is capped at settings.MAX_UPLOAD_BYTES first), checked
# to be a real .xlsx (a zip whose unpacked size is bounded, so a "zip bomb" is refused before
# openpyxl unpacks it), then read sheet by sheet as rows of values keyed by column name.

# A real workbook packs text about 5 to 20 times; anything far beyond that is refused unread.
MAX_UNPACKED_RATIO = 100
NOT_XLSX = "The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and try again."


@dataclass
class SheetRow:
    """One data row of a sheet: its spreadsheet row number (the header is row 1) and its values
    keyed by the expected column names. Text is stripped; an empty cell is None."""

    number: int
    values: dict[str, object]


def _whole_file_problem(reason: str) -> InvalidUpload:
    return InvalidUpload([Problem("", None, None, reason)])


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{max(1, round(size / 1024))} KB"


def read_upload_bytes(file, *, max_bytes: int) -> bytes:
    """The bytes of `file` (a path, bytes, or a file-like object such as an UploadedFile), or
    InvalidUpload if it is empty or larger than `max_bytes`."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if not data:
        raise _whole_file_problem("The file is empty.")
    if len(data) > max_bytes:
        raise _whole_file_problem(f"The file is larger than {_size_text(max_bytes)}.")
    return data


def open_uploaded_workbook(file, *, max_bytes: int):
    """A read-only openpyxl workbook from an upload, or InvalidUpload with one clear problem
    (empty, too large, not an .xlsx) — never a traceback. Close it with `.close()`."""
    data = read_upload_bytes(file, max_bytes=max_bytes)
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise _whole_file_problem(NOT_XLSX)
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise _whole_file_problem(NOT_XLSX) from error
    if unpacked > max(max_bytes, len(data)) * MAX_UNPACKED_RATIO:
        raise _whole_file_problem(f"The file is larger than {_size_text(max_bytes)} when unpacked.")
    buffer.seek(0)
    try:
        return load_workbook(buffer, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - whatever openpyxl finds wrong, the answer is one
        raise _whole_file_problem(NOT_XLSX) from error


def find_sheet(workbook, title: str):
    """The worksheet called `title`, ignoring case and surrounding spaces; None if there is none."""
    wanted = title.strip().casefold()
    for name in workbook.sheetnames:
        if name.strip().casefold() == wanted:
            return workbook[name]
    return None


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_table(
    worksheet, *, sheet: str, columns: Sequence[str], max_rows: int = 10_000
) -> tuple[list[SheetRow], list[Problem]]:
    """The data rows of a sheet whose first row names its columns (in any order, any case;
    other columns are ignored). Returns (rows, problems): a missing column is a problem at row 1,
    wholly blank rows are skipped, more than `max_rows` data rows is a problem."""
    rows_iter = worksheet.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        if isinstance(value, str) and value.strip():
            positions.setdefault(value.strip().casefold(), index)
    problems: list[Problem] = []
    wanted: dict[str, int] = {}
    for column in columns:
        if column.casefold() in positions:
            wanted[column] = positions[column.casefold()]
        else:
            problems.append(Problem(sheet, 1, column, "The column is missing"))
    if problems:
        return [], problems
    rows: list[SheetRow] = []
    for number, raw in enumerate(rows_iter, start=2):
        values = {
            column: _clean(raw[index]) if index < len(raw) else None
            for column, index in wanted.items()
        }
        if all(value is None for value in values.values()):
            continue
        if len(rows) == max_rows:
            return rows, [Problem(sheet, None, None, f"The sheet has more than {max_rows} rows")]
        rows.append(SheetRow(number, values))
    return rows, []

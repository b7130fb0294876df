"""The import engine: every spreadsheet upload is read and checked here.

A domain declares what a sheet holds as a `SheetSpec` (its title and `Column`s: heading,
parser, required or not, bounds taken from the model field it fills, cross-row rules such as
"unique"), and reads an upload with `UploadedWorkbook`:

    with UploadedWorkbook.open(upload) as workbook:
        problems = ProblemList()
        for row in workbook.read(SPEC, problems):
            ...                      # row.values: parsed values by column key; row.ok
        problems.raise_if_any()      # InvalidUpload with every problem; nothing was written

What the engine guarantees, the same for every upload:
- the guards of `recovery.core.uploads` (size, unpacked size and ratio, no DTD or entities)
  run before any parsing;
- rows are streamed from the sheet XML itself: the row count a sheet records for itself (its
  `<dimension>`) is never trusted, so no row is silently skipped;
- headings are matched ignoring case and surrounding spaces; a missing column and an
  unexpected one are both problems;
- every problem of every row is reported, with sheet, row, column and reason;
- a formula is refused ("This cell holds a formula: paste it as a value"), and so is an error
  value such as #DIV/0!; the value a spreadsheet cached for a formula is never read;
- text is checked against the column's length and Excel's 32,767 characters; NUL is refused
  everywhere (PostgreSQL cannot store it), control characters and invisible or
  direction-changing characters in names and codes (one unit must not look like another);
- whole numbers are checked against the column's range, which is never wider than the
  database's (PostgreSQL's integer is below 2^31);
- whatever fails inside openpyxl while rows are read (truncated or non-UTF-8 XML) becomes one
  clear problem, never a server error.

A CSV file is read the same way where an importer accepts one (`csv_sheet`: the title of the
one sheet the file stands for): the same specs, parsers, messages and row numbers (the header is
row 1; a row is a record, even one whose quoted text runs over several lines). Its cells are
text; a cell starting "=" is text, as a CSV has no formulas.

The problems are kept (the first MAX_PROBLEMS_KEPT) and counted (all of them); pages show
the first PROBLEMS_SHOWN and offer the whole list as a workbook (`recovery.core.problem_report`).
"""

import csv
import datetime
import io
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from recovery.core.errors import InvalidUpload, Problem
from recovery.core.uploads import (
    csv_text,
    is_zip,
    open_guarded_workbook,
    read_upload_bytes,
    upload_limit,
)

EXCEL_TEXT_LIMIT = 32_767
EXCEL_ROWS = 1_048_576
MAX_PROBLEMS_KEPT = 100_000
PROBLEMS_SHOWN = 100
FORMULA = "This cell holds a formula: paste it as a value"
DEFAULT_MAX_ROWS = 10_000

# Integer ranges of PostgreSQL (the narrowest database the service runs on) by field type.
INT32 = (-(2**31), 2**31 - 1)
FIELD_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": INT32,
    "PositiveIntegerField": (0, INT32[1]),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}

# Invisible or direction-changing characters: zero-width spaces and joiners, left-to-right and
# right-to-left marks, embeddings, overrides and isolates, the byte-order mark.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
NUL = "\x00"
# How Excel writes a control character XML cannot hold (a vertical tab is "_x000B_"); openpyxl
# reads it as it stands, so the engine turns it back into the character and then checks it.
# Only C0 controls: any other "_xHHHH_" is read as the text it is (as openpyxl and the export
# writer agree), so "_x0041_ North" stays "_x0041_ North".
EXCEL_ESCAPE = re.compile("_x00([01][0-9A-Fa-f])_")


def excel_unescape(value: str) -> str:
    if "_x" not in value:
        return value
    return EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value)


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def text_problem(text: str, *, plain: bool) -> str | None:
    """Why `text` may not be stored, or None. `plain`: a name or a code, where no control
    character and no invisible or direction-changing character is allowed."""
    if NUL in text:
        return "The text holds a NUL character (U+0000): remove it"
    if plain:
        if match := CONTROL.search(text):
            name = unicodedata.name(match[0], "control character")
            return f"The text holds a control character ({_codepoint(match[0])} {name}): remove it"
        if match := INVISIBLE.search(text):
            name = unicodedata.name(match[0], "format character")
            return (
                "The text holds an invisible or direction-changing character "
                f"({_codepoint(match[0])} {name}): remove it"
            )
    return None


# --- Declaring a sheet --------------------------------------------------------------------------


class _Absent:
    """The value of every row's cell in an optional column the sheet leaves out."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    `parse` turns a non-empty cell (text already stripped) into a value, raising ValueError
    with the reason a user reads. `key` is the name of the value in a row (the model field it
    fills; the heading if not given). Bounds: `max_length` for text, `minimum`/`maximum` for
    whole numbers (checked on whatever `parse` returns). `plain`: a name or a code."""

    heading: str
    key: str | None = None
    parse: Callable[[Any], Any] | None = None
    required: bool = True
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    plain: bool = False
    empty: Any = None  # the value of an empty cell in a column that is not required
    # Whether `maximum` is a rule of the domain ("from 1 to 7") or only the database's limit.
    stated_maximum: bool = False
    # `optional`: the sheet may leave the whole column out; its rows then hold ABSENT.
    optional: bool = False
    # Other headings accepted for the column (a heading the format used before).
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.key or self.heading


def field_column(
    heading: str,
    model: type[models.Model],
    field_name: str,
    *,
    key: str | None = None,
    parse: Callable[[Any], Any] | None = None,
    required: bool | None = None,
    plain: bool = False,
    maximum: int | None = None,
    empty: Any = None,
    optional: bool = False,
    aliases: tuple[str, ...] = (),
) -> Column:
    """A column whose bounds come from the model field it fills: max_length, the database's
    integer range, MinValueValidator/MaxValueValidator; required unless the field may be blank.
    `maximum` states a domain rule the field holds only as a database constraint."""
    model_field = model._meta.get_field(field_name)
    minimum = low = high = None
    stated = maximum is not None
    internal = model_field.get_internal_type()
    if internal in FIELD_RANGES:
        low, high = FIELD_RANGES[internal]
        minimum = low
        for validator in model_field.validators:
            limit = getattr(validator, "limit_value", None)
            if not isinstance(limit, int):
                continue
            if validator.code == "min_value":
                minimum = max(minimum, limit)
            elif validator.code == "max_value" and limit < high:
                # Django adds the database's own range as validators: only a narrower one is
                # a rule of the domain.
                high = limit
                stated = True
    if maximum is not None:
        high = maximum if high is None else min(high, maximum)
    return Column(
        heading,
        key=key or field_name,
        parse=parse if parse is not None else (whole_number if low is not None else None),
        required=(not model_field.blank) if required is None else required,
        max_length=getattr(model_field, "max_length", None),
        minimum=minimum,
        maximum=high,
        plain=plain,
        empty=empty,
        stated_maximum=stated,
        optional=optional,
        aliases=aliases,
    )


@dataclass(frozen=True)
class Unique:
    """A cross-row rule: no two rows share a value of `column`. `scope` names a set of values
    shared by several sheets of one read (codes unique across the whole file). `message` may
    use {value}, {sheet} and {row} (where the value was first seen)."""

    column: str
    message: str = "{value} appears twice (also on row {row})"
    scope: str | None = None
    normalise: Callable[[Any], Any] = lambda value: value


@dataclass(frozen=True)
class SheetSpec:
    """What a sheet holds. `row_check(values)` returns (heading, reason) pairs for problems
    that need the whole row (an office closing before it opens)."""

    title: str
    columns: tuple[Column, ...]
    unique: tuple[Unique, ...] = ()
    row_check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    max_rows: int = DEFAULT_MAX_ROWS
    unexpected_columns: bool = True  # report a column the spec does not name
    missing_column: str = "The column is missing"
    # A heading that must never be uploaded (personal data): `refused_heading(heading)` gives
    # the reason, or None. Such a file is refused with no data row read.
    refused_heading: Callable[[str], str | None] | None = None

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    def key_of(self, heading: str) -> str:
        return next(c.name for c in self.columns if c.heading == heading)


# --- Parsers shared by the domains: each returns a value or raises ValueError(reason) -----------


def whole_number(cell: Any) -> int:
    if isinstance(cell, bool):
        raise ValueError(f"'{cell}' is not a whole number")
    whole = (
        isinstance(cell, int)
        or (isinstance(cell, float) and cell.is_integer())
        or (isinstance(cell, str) and re.fullmatch(r"-?\d{1,30}", cell))
    )
    if not whole:
        raise ValueError(f"'{cell}' is not a whole number")
    return int(cell)


def text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime.datetime | datetime.date | datetime.time):
        return cell.isoformat()
    return str(cell).strip()


# --- Problems ---------------------------------------------------------------------------------


class ProblemList:
    """Every problem of one upload: the first MAX_PROBLEMS_KEPT kept, all of them counted."""

    def __init__(self, keep: int = MAX_PROBLEMS_KEPT):
        self.items: list[Problem] = []
        self.total = 0
        self._keep = keep

    def add(self, sheet: str, row: int | None, column: str | None, reason: str) -> None:
        self.total += 1
        if len(self.items) < self._keep:
            self.items.append(Problem(sheet, row, column, reason))

    def extend(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            self.add(problem.sheet, problem.row, problem.column, problem.reason)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, *, order: Callable[[Problem], Any] | None = None) -> None:
        if self.total:
            items = sorted(self.items, key=order) if order else self.items
            raise InvalidUpload(items, total=self.total)


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row: its spreadsheet row number (the header is row 1), its values by column
    key (None for an empty cell) and whether any of its cells had a problem."""

    sheet: str
    number: int
    values: dict[str, Any]
    ok: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def unreadable_sheet(title: str) -> InvalidUpload:
    return InvalidUpload(
        [
            Problem(
                title,
                None,
                None,
                "The sheet could not be read: its content is damaged or not in a form Excel "
                "writes. Save the workbook again from Excel or LibreOffice and try again.",
            )
        ]
    )


class SeenValues:
    """The values a `Unique` rule has seen, and where each was first seen, in 16 bytes a value
    (an open-addressing table of 64-bit hashes), so that memory stays nearly flat however
    many rows a sheet has. Two different values share a 64-bit hash about once in 10^13
    pairs: a risk accepted for a duplicate report."""

    def __init__(self) -> None:
        self._capacity = 1024
        self._hashes = array("q", bytes(8 * self._capacity))
        self._places = array("q", bytes(8 * self._capacity))
        self._count = 0

    def first_place(self, value: Any, place: int) -> int | None:
        """Where `value` was seen first, or None (and `place` is remembered for it)."""
        key = hash(value) or 1
        mask = self._capacity - 1
        index = key & mask
        hashes = self._hashes
        while hashes[index]:
            if hashes[index] == key:
                return self._places[index]
            index = (index + 1) & mask
        hashes[index] = key
        self._places[index] = place
        self._count += 1
        if self._count * 2 > self._capacity:
            self._grow()
        return None

    def _grow(self) -> None:
        old = [(h, p) for h, p in zip(self._hashes, self._places, strict=True) if h]
        self._capacity *= 2
        self._hashes = array("q", bytes(8 * self._capacity))
        self._places = array("q", bytes(8 * self._capacity))
        mask = self._capacity - 1
        for key, place in old:
            index = key & mask
            while self._hashes[index]:
                index = (index + 1) & mask
            self._hashes[index] = key
            self._places[index] = place


class UploadedWorkbook:
    """An upload that passed every guard, opened for streaming. Use as a context manager."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._seen: dict[str, SeenValues] = {}
        self._titles: list[str] = []

    @classmethod
    def open(
        cls, file, *, max_bytes: int | None = None, csv_sheet: str | None = None
    ) -> "UploadedWorkbook":
        """The upload, guarded and opened. `csv_sheet`: the importer also accepts a CSV file,
        read as the one sheet of that title (a workbook is told from a CSV by its content)."""
        if csv_sheet is None:
            return cls(open_guarded_workbook(file, max_bytes=max_bytes))
        limit = upload_limit() if max_bytes is None else max_bytes
        data = read_upload_bytes(file, max_bytes=limit)
        if is_zip(data):
            return cls(open_guarded_workbook(data, max_bytes=limit))
        return UploadedCsv(csv_sheet, csv_text(data))

    def __enter__(self) -> "UploadedWorkbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._workbook.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._workbook.sheetnames)

    def find(self, title: str) -> str | None:
        """The name of the sheet called `title`, ignoring case and surrounding spaces."""
        wanted = title.strip().casefold()
        for name in self.sheetnames:
            if name.strip().casefold() == wanted:
                return name
        return None

    def cells(self, name: str) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
        """(row number, [(column number, value, data type)]) for every row the sheet's XML
        holds, in order, whatever size the sheet records for itself. Data types: 'f' a formula
        (its text as the value), 'e' an error, 's' text, 'n' a number, 'd' a date or time,
        'b' true/false."""
        workbook = self._workbook
        try:
            worksheet = workbook[name]
            if hasattr(worksheet, "reset_dimensions"):
                # Anyone who reads this sheet through openpyxl after us must not trust it either.
                worksheet.reset_dimensions()
            with worksheet._get_source() as source:
                yield from _sheet_rows(
                    source,
                    worksheet._shared_strings,
                    epoch=workbook.epoch,
                    date_styles=workbook._date_formats,
                    duration_styles=workbook._timedelta_formats,
                )
        except InvalidUpload:
            raise
        except GeneratorExit:
            raise
        except Exception as error:  # noqa: BLE001 - truncated XML, not UTF-8, entities...
            raise unreadable_sheet(name) from error

    def read(
        self, spec: SheetSpec, problems: ProblemList, *, required: bool = True
    ) -> Iterator[SheetRow]:
        """Every non-blank data row of the sheet `spec` describes, checked cell by cell, with
        problems added to `problems`. A missing sheet is a problem if `required`; a missing
        column, an unexpected one or too many rows stop the sheet being read."""
        name = self.find(spec.title)
        if name is None:
            if required:
                problems.add(spec.title, None, None, "The sheet is missing")
            return
        rows = self.cells(name)
        first = next(rows, None)
        header: dict[int, str] = {}
        if first is not None and first[0] == 1:
            for column, value, _ in first[1]:
                if isinstance(value, str) and value.strip():
                    header.setdefault(column, value.strip())
        elif first is not None:
            rows = _chain(first, rows)
        positions = _match_header(spec, header, problems)
        if positions is None:
            rows.close()
            return
        count = 0
        for number, cells in rows:
            by_position = {column: (value, kind) for column, value, kind in cells}
            if all(_blank(value) for value, _ in by_position.values()):
                continue
            count += 1
            if count > spec.max_rows:
                reason = f"The sheet has more than {spec.max_rows:,} rows"
                problems.add(spec.title, None, None, reason)
                rows.close()
                return
            yield self._row(spec, number, positions, by_position, problems)

    def _row(self, spec, number, positions, by_position, problems: ProblemList) -> SheetRow:
        before = problems.total
        values: dict[str, Any] = {}
        for column, position in positions:
            if position is None:  # an optional column the sheet leaves out
                values[column.name] = ABSENT
                continue
            value, kind = by_position.get(position, (None, "n"))
            values[column.name] = _cell(spec.title, number, column, value, kind, problems)
        if spec.row_check:
            for heading, reason in spec.row_check(values):
                problems.add(spec.title, number, heading, reason)
        for rule in spec.unique:
            value = values.get(spec.key_of(rule.column))
            if value is None:
                continue
            key = rule.normalise(value)
            scope = rule.scope or f"{spec.title}\0{rule.column}"
            seen = self._seen.get(scope)
            if seen is None:
                seen = self._seen[scope] = SeenValues()
            if spec.title not in self._titles:
                self._titles.append(spec.title)
            place = self._titles.index(spec.title) << 32 | number
            first = seen.first_place(key, place)
            if first is not None:
                problems.add(
                    spec.title,
                    number,
                    rule.column,
                    rule.message.format(
                        value=key, sheet=self._titles[first >> 32], row=first & 0xFFFFFFFF
                    ),
                )
        return SheetRow(spec.title, number, values, ok=problems.total == before)


class UploadedCsv(UploadedWorkbook):
    """A CSV upload read as a workbook of one sheet, `title`."""

    def __init__(self, title: str, text: str):
        super().__init__(None)
        self._title = title
        self._text = text

    def close(self) -> None:
        self._text = ""

    @property
    def sheetnames(self) -> list[str]:
        return [self._title]

    def cells(self, name: str) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
        reader = csv.reader(io.StringIO(self._text, newline=""))
        number = 0
        try:
            for record in reader:
                number += 1
                if number > EXCEL_ROWS:
                    raise ValueError("beyond the last row a sheet can have")
                yield number, [(i, value, "s") for i, value in enumerate(record, start=1)]
        except (csv.Error, ValueError) as error:
            raise InvalidUpload(
                [
                    Problem(
                        name,
                        number + 1,
                        None,
                        f"The CSV file could not be read from this row on ({error}). Save it "
                        'again as "CSV UTF-8 (Comma delimited)" and try again.',
                    )
                ]
            ) from error


# --- The sheet XML, streamed ------------------------------------------------------------------
#
# openpyxl's own row reader builds a dictionary and parses a coordinate for every cell; reading
# the few things the engine needs straight from the XML is about twice as fast. The parser is
# openpyxl's (defusedxml's when installed: no entities), and so are the shared strings, the
# date styles and the epoch, read when the workbook was opened.

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA_TAG = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}f"
INLINE, TEXT, PHONETIC = f"{MAIN}is", f"{MAIN}t", f"{MAIN}rPh"
SHEET_DATA = f"{MAIN}sheetData"
_COLUMN_NUMBERS: dict[str, int] = {}


def _column_number(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    number = _COLUMN_NUMBERS.get(letters)
    if number is None:
        number = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                raise ValueError(f"{reference} is not a cell reference")
            number = number * 26 + ord(letter) - 64
        if not 1 <= number <= 16_384:
            raise ValueError(f"{reference} is not a cell reference")
        _COLUMN_NUMBERS[letters] = number
    return number


def _inline_text(cell) -> str:
    inline = cell.find(INLINE)
    if inline is None:
        return ""
    parts = []
    for element in inline.iter(TEXT):
        parts.append(element.text or "")
    # Phonetic runs (furigana) are not part of the text.
    for phonetic in inline.iter(PHONETIC):
        for element in phonetic.iter(TEXT):
            parts.remove(element.text or "")
    return "".join(parts)


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text or "N" in text or "n" in text:
        return float(text)
    return int(text)


def _sheet_rows(source, shared_strings, *, epoch, date_styles, duration_styles):
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.xml.functions import iterparse

    row_counter = 0
    sheet_data = None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == SHEET_DATA:
                sheet_data = element
            continue
        if element.tag != ROW:
            continue
        reference = element.get("r")
        row_counter = int(reference) if reference else row_counter + 1
        if not 1 <= row_counter <= EXCEL_ROWS:
            raise ValueError(f"row {row_counter} is beyond Excel's last row")
        column_counter = 0
        cells = []
        for cell in element:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column_counter = _column_number(reference) if reference else column_counter + 1
            kind = cell.get("t", "n")
            formula = cell.find(FORMULA_TAG)
            if formula is not None:
                cells.append((column_counter, "=" + (formula.text or ""), "f"))
                continue
            if kind == "inlineStr":
                cells.append((column_counter, _inline_text(cell), "s"))
                continue
            text = cell.findtext(VALUE)
            if text is None:
                continue
            if kind == "n":
                value = _number(text)
                style = cell.get("s")
                if style and int(style) in date_styles:
                    try:
                        value = from_excel(value, epoch, timedelta=int(style) in duration_styles)
                    except (OverflowError, ValueError):
                        cells.append((column_counter, "#VALUE!", "e"))
                        continue
                    kind = "d"
            elif kind == "s":
                value = shared_strings[int(text)]
            elif kind == "str":
                value, kind = text, "s"
            elif kind == "b":
                value = text.strip() in ("1", "true")
            elif kind == "d":
                value = from_ISO8601(text)
            else:  # "e" and anything unknown: not a value to use
                value, kind = text, "e"
            cells.append((column_counter, value, kind))
        element.clear()
        if sheet_data is not None:
            # Rows already read are dropped, so memory does not grow with the sheet.
            sheet_data.clear()
        yield row_counter, cells


def _chain(first, rest):
    yield first
    yield from rest


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _match_header(
    spec: SheetSpec, header: dict[int, str], problems: ProblemList
) -> list[tuple[Column, int | None]] | None:
    by_name: dict[str, int] = {}
    for position, heading in header.items():
        by_name.setdefault(heading.casefold(), position)
    positions: list[tuple[Column, int | None]] = []
    missing = False
    for column in spec.columns:
        position = next(
            (
                by_name[h.casefold()]
                for h in (column.heading, *column.aliases)
                if h.casefold() in by_name
            ),
            None,
        )
        if position is None and not column.optional:
            problems.add(spec.title, 1, column.heading, spec.missing_column)
            missing = True
        else:
            positions.append((column, position))
    refused = False
    if spec.refused_heading is not None:
        for heading in header.values():
            reason = spec.refused_heading(heading)
            if reason:
                problems.add(spec.title, 1, heading, reason)
                refused = True
    if spec.unexpected_columns:
        known = {h.casefold() for c in spec.columns for h in (c.heading, *c.aliases)}
        for heading in header.values():
            if heading.casefold() not in known and not (
                spec.refused_heading and spec.refused_heading(heading)
            ):
                problems.add(
                    spec.title,
                    1,
                    heading,
                    "This column is not part of the format: remove it or correct its heading. "
                    f"The columns are: {', '.join(spec.headings)}",
                )
    return None if missing or refused else positions


def _cell(sheet: str, row: int, column: Column, value: Any, kind: str, problems: ProblemList):
    def problem(reason: str) -> None:
        problems.add(sheet, row, column.heading, reason)

    if kind == "f":
        problem(FORMULA)
        return None
    if kind == "e":
        problem(f"This cell holds an error ({value}): enter a value")
        return None
    if isinstance(value, str):
        value = excel_unescape(value).strip()
        if not value:
            value = None
        else:
            if len(value) > EXCEL_TEXT_LIMIT:
                problem(f"The text is longer than Excel's limit of {EXCEL_TEXT_LIMIT:,} characters")
                return None
            reason = text_problem(value, plain=column.plain)
            if reason:
                problem(reason)
                return None
    if value is None:
        if column.required:
            problem(f"Enter the {column.heading.lower()}")
            return None
        return column.empty
    if column.parse is not None:
        try:
            value = column.parse(value)
        except ValueError as error:
            problem(str(error))
            return None
    if isinstance(value, str) and column.max_length and len(value) > column.max_length:
        problem(f"The {column.heading.lower()} must be {column.max_length} characters or fewer")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        reason = _range_problem(column, value)
        if reason:
            problem(reason)
            return None
    return value


def _range_problem(column: Column, number: int) -> str | None:
    low, high = column.minimum, column.maximum
    if low is not None and low >= 0 and number < 0:
        return "The number cannot be negative"
    if (low is not None and number < low) or (high is not None and number > high):
        if high is not None and column.stated_maximum and low is not None:
            return f"The number must be from {low} to {high}"
        if low is not None and number < low:
            return f"The number must be at least {low}"
        return f"The number is too large: it must be {high:,} or less"
    return None

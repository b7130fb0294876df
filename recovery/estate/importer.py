"""Reading the estate from a spreadsheet: parse and check everything, change nothing.

The estate workbook (.xlsx) has five sheets, all required. The first row of each sheet names
its columns (in any order and any case; other columns and other sheets are ignored). Blank rows
are skipped. Row numbers in problems are spreadsheet row numbers: the header is row 1.

==================  ==========================================================================
sheet               columns
==================  ==========================================================================
Prison groups       Code, Name
Establishments      Code, Name, Group code, Type, Category, Public or private,
                    Operational capacity, Population
Probation regions   Code, Name
PDUs                Code, Name, Region code
Offices             Code, Name, PDU code, Interview rooms, Opens at, Closes at, Days open
==================  ==========================================================================

- Code: 1 to 20 capital letters, digits or hyphens (lower case is read as capitals); unique
  across the whole estate, whatever the kind of unit.
- Group code, Region code, PDU code: the code of a unit in the same file or already in the
  service. Giving an existing unit another parent moves it (and everything inside it).
- Type, Category, Public or private: the code or the label from `recovery.estate.constants`,
  in any case ("cat_c" or "Category C training"). Category may be left empty.
- Operational capacity: a whole number, at least 1. Population, Interview rooms: whole numbers,
  0 or more. Days open: a whole number from 1 to 7.
- Opens at, Closes at: a time cell or text as hh:mm ("08:30"); an office closes after it opens.

Prison groups and probation regions belong to the nation (code HMPPS, "England and Wales"),
which is created if the service has none yet. Units in the service but not in the file are left
alone. Every problem found is reported as a `Problem(sheet, row, column, reason)`; if there is
any, `InvalidUpload` is raised and nothing is written. Applying the result is the job of
`recovery.estate.actions.do_import_estate`. Documented for users in docs/estate-import.md."""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices

from recovery.core.constants import UnitKind
from recovery.core.errors import Problem
from recovery.core.imports import (
    Column,
    ProblemList,
    SheetSpec,
    Unique,
    UploadedWorkbook,
    field_column,
    text,
)
from recovery.core.xlsx import Sheet
from recovery.estate.constants import Category, EstablishmentType, Operator
from recovery.estate.models import (
    PARENT_KIND,
    Establishment,
    OrganisationUnit,
    ProbationOffice,
    code_validator,
)

NATION_CODE = "HMPPS"
NATION_NAME = "England and Wales"
CODE_PATTERN = re.compile(code_validator.regex.pattern)
CODE_RULE = code_validator.message
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


# --- Cell readers: each returns the value or raises ValueError(reason) ----------------------


def _choice(choices: type[TextChoices], what: str) -> Callable[[object], str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).casefold()] = value
        lookup[str(label).casefold()] = value

    def parse(cell: object) -> str:
        given = text(cell)
        if given.casefold() not in lookup:
            options = ", ".join(str(v) for v in choices.values)
            raise ValueError(f"'{given}' is not {what}. Use one of: {options}")
        return lookup[given.casefold()]

    return parse


def _code(cell: object) -> str:
    code = text(cell).upper()
    if not CODE_PATTERN.match(code):
        raise ValueError(CODE_RULE)
    return code


def _parent_code(cell: object) -> str:
    return text(cell).upper()


def _time(cell: object) -> datetime.time:
    if isinstance(cell, datetime.datetime):
        return cell.time().replace(microsecond=0)
    if isinstance(cell, datetime.time):
        return cell.replace(microsecond=0)
    if isinstance(cell, datetime.timedelta) and datetime.timedelta(0) <= cell < datetime.timedelta(
        days=1
    ):
        seconds = int(cell.total_seconds())
        return datetime.time(seconds // 3600, seconds // 60 % 60)
    if isinstance(cell, float) and 0 <= cell < 1:
        # Excel keeps a time as a fraction of a day when the cell has no time format.
        minutes = round(cell * 24 * 60)
        return datetime.time(minutes // 60 % 24, minutes % 60)
    match = TIME_PATTERN.match(str(cell).strip())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise ValueError(f"'{cell}' is not a time. Use hh:mm, for example 08:30")


def _office_hours(values: dict[str, Any]) -> list[tuple[str, str]]:
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens is not None and closes is not None and closes <= opens:
        return [("Closes at", "The office must close after it opens")]
    return []


# --- The sheets ---------------------------------------------------------------------------------

# Codes are unique across the whole estate, whatever the kind of unit.
UNIQUE_CODE = Unique(
    "Code", "The code {value} is already used on sheet '{sheet}', row {row}", scope="code"
)


def _unit_columns(parent_heading: str | None = None) -> tuple[Column, ...]:
    columns = [
        Column("Code", key="code", parse=_code, plain=True),
        field_column("Name", OrganisationUnit, "name", parse=text, plain=True),
    ]
    if parent_heading:
        columns.append(Column(parent_heading, key="parent_code", parse=_parent_code, plain=True))
    return tuple(columns)


@dataclass(frozen=True)
class EstateSheet:
    """A sheet of the estate workbook: the kind of unit each row is, the column naming its
    parent (None: the nation) and the engine's spec of its columns. Every column that is not
    the code, the name or the parent fills the model field named by its key."""

    kind: str
    parent_column: str | None
    spec: SheetSpec

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def headings(self) -> list[str]:
        return self.spec.headings

    @property
    def detail_fields(self) -> tuple[str, ...]:
        return tuple(
            c.name for c in self.spec.columns if c.name not in ("code", "name", "parent_code")
        )


def _sheet(title, kind, parent_column=None, details=(), row_check=None) -> EstateSheet:
    return EstateSheet(
        kind,
        parent_column,
        SheetSpec(
            title,
            _unit_columns(parent_column) + tuple(details),
            unique=(UNIQUE_CODE,),
            row_check=row_check,
        ),
    )


SHEETS: tuple[EstateSheet, ...] = (
    _sheet("Prison groups", UnitKind.PRISON_GROUP),
    _sheet(
        "Establishments",
        UnitKind.ESTABLISHMENT,
        "Group code",
        (
            field_column(
                "Type",
                Establishment,
                "establishment_type",
                parse=_choice(EstablishmentType, "a type of establishment"),
            ),
            field_column(
                "Category",
                Establishment,
                "category",
                parse=_choice(Category, "a category"),
                empty="",
            ),
            field_column(
                "Public or private",
                Establishment,
                "operator",
                parse=_choice(Operator, "public or private"),
                required=True,
            ),
            field_column("Operational capacity", Establishment, "operational_capacity"),
            field_column("Population", Establishment, "population"),
        ),
    ),
    _sheet("Probation regions", UnitKind.PROBATION_REGION),
    _sheet("PDUs", UnitKind.PDU, "Region code"),
    _sheet(
        "Offices",
        UnitKind.OFFICE,
        "PDU code",
        (
            field_column("Interview rooms", ProbationOffice, "interview_rooms", required=True),
            field_column("Opens at", ProbationOffice, "opens_at", parse=_time),
            field_column("Closes at", ProbationOffice, "closes_at", parse=_time),
            field_column("Days open", ProbationOffice, "days_open", maximum=7, required=True),
        ),
        row_check=_office_hours,
    ),
)
SHEET_BY_KIND = {sheet.kind: sheet for sheet in SHEETS}


@dataclass(frozen=True)
class UnitRow:
    """One unit as the file describes it."""

    kind: str
    code: str | None  # None only in a row with a problem
    name: str | None
    parent_code: str | None  # None: the nation (or, in a row with a problem, not given)
    details: dict[str, Any]
    sheet: str
    row: int
    has_problems: bool = False


@dataclass
class EstateData:
    """Every unit of a checked file, parents before children."""

    units: list[UnitRow]

    def of_kind(self, kind: str) -> list[UnitRow]:
        return [u for u in self.units if u.kind == kind]


KINDS_IN_ORDER = [sheet.kind for sheet in SHEETS]


def _plural(kind: str, count: int) -> str:
    label = UnitKind(kind).label.lower()
    if label == "probation delivery unit":
        label = "PDU"
    return label if count == 1 else f"{label}s"


@dataclass
class ImportSummary:
    """How many units of each kind an import created, changed (including moves) or left as
    they were."""

    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS_IN_ORDER, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS_IN_ORDER, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS_IN_ORDER, 0))

    @property
    def changed_anything(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    @staticmethod
    def _list(counts: dict[str, int]) -> str:
        parts = [f"{n} {_plural(kind, n)}" for kind, n in counts.items() if n]
        return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)

    def describe(self) -> str:
        """One sentence for the success banner and the command's output."""
        sentences = []
        if any(self.created.values()):
            sentences.append(f"Added {self._list(self.created)}.")
        if any(self.updated.values()):
            sentences.append(f"Changed {self._list(self.updated)}.")
        unchanged = sum(self.unchanged.values())
        if not sentences:
            return f"Nothing changed: all {unchanged} units already matched."
        if unchanged:
            sentences.append(f"{unchanged} unit{'s' if unchanged != 1 else ''} already matched.")
        return " ".join(sentences)


# --- Reading and checking ----------------------------------------------------------------------


def read_estate_rows(
    workbook: UploadedWorkbook, problems: ProblemList
) -> tuple[list[UnitRow], set[str]]:
    """Every unit row of the workbook (problems found in the file alone go to `problems`), and
    the kinds whose sheet could not be read (missing, a column wrong, or no rows)."""
    units: list[UnitRow] = []
    unreadable: set[str] = set()
    for sheet in SHEETS:
        present = workbook.find(sheet.title) is not None
        before = problems.total
        rows = list(workbook.read(sheet.spec, problems))
        if present and not rows and problems.total == before:
            problems.add(sheet.title, None, None, "The sheet has no rows")
        if not rows:
            unreadable.add(sheet.kind)
            continue
        details = sheet.detail_fields
        for row in rows:
            values = row.values
            units.append(
                UnitRow(
                    sheet.kind,
                    values["code"],
                    values["name"],
                    values.get("parent_code"),
                    {name: values[name] for name in details if values[name] is not None},
                    sheet.title,
                    row.number,
                    has_problems=not row.ok,
                )
            )
    return units, unreadable


def check_estate(units: list[UnitRow], *, unreadable: Iterable[str] = ()) -> list[Problem]:
    """Problems that need the service's current estate: codes that belong to another kind of
    unit, parents that do not exist (not looked for when the parents' sheet could not be read:
    that sheet's own problem says why). Codes used twice in the file are the engine's
    problem (a `Unique` rule). Two queries."""
    problems: list[Problem] = []
    unreadable = set(unreadable)
    wanted = {u.code for u in units if u.code} | {u.parent_code for u in units if u.parent_code}
    existing = {
        code: (kind, name)
        for code, kind, name in OrganisationUnit.objects.filter(code__in=wanted).values_list(
            "code", "kind", "name"
        )
    }
    # The nation's code is taken, whether or not the nation exists yet.
    nation = OrganisationUnit.objects.filter(kind=UnitKind.NATION).values_list("code", "name")
    for code, name in [(NATION_CODE, NATION_NAME), *nation[:1]]:
        existing.setdefault(code, (UnitKind.NATION, name))

    first_seen: dict[str, UnitRow] = {}
    for unit in units:
        if unit.code is None or unit.code in first_seen:
            continue
        first_seen[unit.code] = unit
        if unit.code in existing and existing[unit.code][0] != unit.kind:
            kind, name = existing[unit.code]
            problems.append(
                Problem(
                    unit.sheet,
                    unit.row,
                    "Code",
                    f"The code {unit.code} is already used by the "
                    f"{UnitKind(kind).label.lower()} {name}",
                )
            )

    kind_in_file = {code: unit.kind for code, unit in first_seen.items()}
    for unit in units:
        parent_kind = PARENT_KIND[unit.kind]
        if unit.parent_code is None or parent_kind in unreadable:
            continue
        sheet = SHEET_BY_KIND[unit.kind]
        found_kind = (
            kind_in_file.get(unit.parent_code) or existing.get(unit.parent_code, (None,))[0]
        )
        wanted_label = UnitKind(parent_kind).label.lower()
        if found_kind is None:
            problems.append(
                Problem(
                    unit.sheet,
                    unit.row,
                    sheet.parent_column,
                    f"There is no {wanted_label} with the code {unit.parent_code} in this file "
                    "or in the service",
                )
            )
        elif found_kind != parent_kind:
            problems.append(
                Problem(
                    unit.sheet,
                    unit.row,
                    sheet.parent_column,
                    f"{unit.parent_code} is a {UnitKind(found_kind).label.lower()}, "
                    f"not a {wanted_label}",
                )
            )
    return problems


def _workbook_order(problem: Problem) -> tuple[int, int, int]:
    """Problems read in the workbook's order: sheet by sheet, row by row, column by column."""
    titles = [sheet.title for sheet in SHEETS]
    index = titles.index(problem.sheet) if problem.sheet in titles else -1
    headings = SHEETS[index].headings if index >= 0 else []
    column = headings.index(problem.column) if problem.column in headings else len(headings)
    return index, problem.row or 0, column


def read_estate_workbook(file) -> EstateData:
    """Read and check an estate workbook (a path, bytes or an uploaded file). Raises
    InvalidUpload listing every problem; reads the database, writes nothing."""
    problems = ProblemList()
    with UploadedWorkbook.open(file) as workbook:
        units, unreadable = read_estate_rows(workbook, problems)
    problems.extend(check_estate(units, unreadable=unreadable))
    problems.raise_if_any(order=_workbook_order)
    order = {kind: i for i, kind in enumerate(KINDS_IN_ORDER)}
    return EstateData(sorted(units, key=lambda u: order[u.kind]))


# --- Writing the format: a template, and the current estate in it -----------------------------

GUIDANCE_ROWS = (
    ("All sheets", "Code", "1 to 20 capital letters, digits or hyphens; unique in the estate"),
    ("Establishments", "Group code", "The code of a prison group in this file or the service"),
    ("Establishments", "Type", "; ".join(f"{v} ({lbl})" for v, lbl in EstablishmentType.choices)),
    (
        "Establishments",
        "Category",
        "; ".join(f"{v} ({lbl})" for v, lbl in Category.choices) + "; or empty",
    ),
    ("Establishments", "Public or private", "public or private"),
    ("Establishments", "Operational capacity", "A whole number, at least 1"),
    ("Establishments", "Population", "A whole number, 0 or more"),
    ("PDUs", "Region code", "The code of a probation region in this file or the service"),
    ("Offices", "PDU code", "The code of a PDU in this file or the service"),
    ("Offices", "Interview rooms", "A whole number, 0 or more"),
    ("Offices", "Opens at", "A time, hh:mm, for example 08:30"),
    ("Offices", "Closes at", "A time after Opens at, for example 17:00"),
    ("Offices", "Days open", "A whole number from 1 to 7"),
)


def _guidance_sheet() -> Sheet:
    return Sheet("Guidance", ["Sheet", "Column", "What to enter"], GUIDANCE_ROWS)


def template_sheets() -> list[Sheet]:
    """The five sheets with their headings and no rows, and a guidance sheet."""
    return [Sheet(sheet.title, sheet.headings, []) for sheet in SHEETS] + [_guidance_sheet()]


def _label(choices: type[TextChoices], value: str) -> str:
    return str(choices(value).label) if value else ""


def export_sheets() -> list[Sheet]:
    """The whole estate in the import format (three queries). Importing it back changes
    nothing."""
    units = list(
        OrganisationUnit.objects.filter(
            kind__in=[UnitKind.PRISON_GROUP, UnitKind.PROBATION_REGION, UnitKind.PDU]
        )
        .select_related("parent")
        .order_by("code")
    )
    establishments = Establishment.objects.select_related("parent").order_by("code")
    offices = ProbationOffice.objects.select_related("parent").order_by("code")

    def rows_of(kind: str) -> Iterable[list[object]]:
        return [
            [u.code, u.name] + ([u.parent.code] if kind == UnitKind.PDU else [])
            for u in units
            if u.kind == kind
        ]

    return [
        Sheet("Prison groups", SHEETS[0].headings, rows_of(UnitKind.PRISON_GROUP)),
        Sheet(
            "Establishments",
            SHEETS[1].headings,
            [
                [
                    e.code,
                    e.name,
                    e.parent.code,
                    _label(EstablishmentType, e.establishment_type),
                    _label(Category, e.category),
                    _label(Operator, e.operator),
                    e.operational_capacity,
                    e.population,
                ]
                for e in establishments
            ],
        ),
        Sheet("Probation regions", SHEETS[2].headings, rows_of(UnitKind.PROBATION_REGION)),
        Sheet("PDUs", SHEETS[3].headings, rows_of(UnitKind.PDU)),
        Sheet(
            "Offices",
            SHEETS[4].headings,
            [
                [
                    o.code,
                    o.name,
                    o.parent.code,
                    o.interview_rooms,
                    f"{o.opens_at:%H:%M}",
                    f"{o.closes_at:%H:%M}",
                    o.days_open,
                ]
                for o in offices
            ],
        ),
        _guidance_sheet(),
    ]

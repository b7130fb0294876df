"""Reading Covid controls from a spreadsheet: parse and check everything, change nothing;
then apply a checked file (`apply_covid_workbook`, called by `do_import_covid`).

The workbook (.xlsx) has up to three sheets; a sheet left out changes nothing of its part, a
file with none of them is refused. Headings are in the first row, in any order and case.

==============  ================================================================================
sheet           columns
==============  ================================================================================
Controls        Establishment code, Figures as of, Staff tested (%), Prisoners tested (%),
                Staff vaccinated (%), Prisoners vaccinated (%), Contact-tracing lead,
                Contingency plan reviewed on
PPE stock       Establishment code, Item, In stock, Needed
Outbreaks       Establishment code, Declared on, Ended on, Staff cases, Prisoner cases, Notes
==============  ================================================================================

- Establishment code: one the person may record Covid controls for (on an establishment's own
  import page, that establishment only); any other is a problem of its row, in the same words
  whether or not it exists.
- Controls: a row states the figures as they are; an empty cell is "not known".
- Percentages: whole numbers from 0 to 100. Counts: whole numbers, 0 or more.
- Dates: a date cell, or text as 31/03/2021 or 2021-03-31; never in the future.
- Item: the item's code or its name as the template lists it.
- Outbreaks: matched with those already recorded by establishment and "Declared on". A new row
  declares an outbreak (one with no end date proposes a move back a stage, as a declaration on
  the page does); a recorded open outbreak with an end date in the file is ended; an end date
  already recorded cannot be changed or removed. No two outbreaks of an establishment may
  overlap, so at most one is open.

Every problem is reported with sheet, row, column and reason; if there is any, InvalidUpload is
raised and nothing is written."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone

from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import (
    Column,
    ProblemList,
    SheetSpec,
    Unique,
    UploadedWorkbook,
    field_column,
    text,
)
from recovery.core.scope import unit_filter
from recovery.core.xlsx import Sheet
from recovery.covid.actions import (
    CovidImportSummary,
    PpeCount,
    correct_outbreak_in_transaction,
    declare_outbreak_in_transaction,
    end_outbreak_in_transaction,
    overlap_message,
    overlapping,
    set_ppe_in_transaction,
    update_controls_in_transaction,
)
from recovery.covid.checks import CONTROLS_FIELDS, MAX_COUNT, NOTES_MAX
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.covid.rules import EDIT_COVID
from recovery.estate.models import Establishment

CONTROLS, PPE, OUTBREAKS = "Controls", "PPE stock", "Outbreaks"
CODE = "Establishment code"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


# --- Cell readers -----------------------------------------------------------------------------


def _code(cell: Any) -> str:
    return text(cell).upper()


def _date(cell: Any) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        value = cell.date()
    elif isinstance(cell, datetime.date):
        value = cell
    else:
        given = text(cell)
        for fmt in DATE_FORMATS:
            try:
                value = datetime.datetime.strptime(given, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"'{given}' is not a date. Use a date cell or 31/03/2021")
    if value > timezone.localdate():
        raise ValueError(
            f"{value:%-d %B %Y} is in the future: enter today's date or an earlier one"
        )
    return value


def _choice(choices: type[TextChoices], what: str) -> Callable[[Any], str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[str(value).casefold()] = value
        lookup[str(label).casefold()] = value

    def parse(cell: Any) -> str:
        given = text(cell)
        if given.casefold() not in lookup:
            names = "; ".join(str(label) for label in choices.labels)
            raise ValueError(f"'{given}' is not {what}. Use one of: {names}")
        return lookup[given.casefold()]

    return parse


def _count(heading: str, key: str, *, required: bool) -> Column:
    return field_column(
        heading, PpeStock, "in_stock", key=key, required=required, maximum=MAX_COUNT
    )


def _code_column() -> Column:
    return Column(CODE, key="code", parse=_code, plain=True, max_length=20)


def _both_counts(values: dict[str, Any]) -> list[tuple[str, str]]:
    """An item with neither count is not counted yet (the template lists every item); one with
    only one of them is a slip."""
    stock, needed = values.get("in_stock"), values.get("needed")
    if stock is None and needed is not None:
        return [("In stock", "Enter the stock as well as the need, or leave both empty")]
    if needed is None and stock is not None:
        return [("Needed", "Enter the need as well as the stock, or leave both empty")]
    return []


CONTROLS_SPEC = SheetSpec(
    CONTROLS,
    (
        _code_column(),
        Column("Figures as of", key="as_of", parse=_date, required=False),
        field_column("Staff tested (%)", CovidControls, "staff_tested_percent"),
        field_column("Prisoners tested (%)", CovidControls, "prisoners_tested_percent"),
        field_column("Staff vaccinated (%)", CovidControls, "staff_vaccinated_percent"),
        field_column("Prisoners vaccinated (%)", CovidControls, "prisoners_vaccinated_percent"),
        field_column(
            "Contact-tracing lead",
            CovidControls,
            "contact_tracing_lead",
            parse=text,
            plain=True,
            empty="",
        ),
        Column(
            "Contingency plan reviewed on",
            key="contingency_plan_reviewed_on",
            parse=_date,
            required=False,
        ),
    ),
    unique=(Unique(CODE, "{value} is already on row {row}: give each establishment one row"),),
)
PPE_SPEC = SheetSpec(
    PPE,
    (
        _code_column(),
        Column("Item", key="item", parse=_choice(PpeItem, "an item of PPE counted here")),
        _count("In stock", "in_stock", required=False),
        _count("Needed", "needed", required=False),
    ),
)


def _outbreak_dates(values: dict[str, Any]) -> list[tuple[str, str]]:
    declared, ended = values.get("declared_on"), values.get("ended_on")
    if declared is not None and ended is not None and ended < declared:
        return [("Ended on", "The outbreak cannot end before it was declared")]
    return []


OUTBREAKS_SPEC = SheetSpec(
    OUTBREAKS,
    (
        _code_column(),
        Column("Declared on", key="declared_on", parse=_date),
        Column("Ended on", key="ended_on", parse=_date, required=False),
        _count("Staff cases", "cases_staff", required=False),
        _count("Prisoner cases", "cases_prisoners", required=False),
        Column("Notes", key="notes", parse=text, required=False, empty="", max_length=NOTES_MAX),
    ),
    row_check=_outbreak_dates,
)
SPECS = (CONTROLS_SPEC, PPE_SPEC, OUTBREAKS_SPEC)


# --- What a checked file holds ----------------------------------------------------------------


@dataclass
class CovidData:
    """A checked file: what to write, by establishment."""

    establishments: dict[str, Establishment] = field(default_factory=dict)
    controls: list[tuple[Establishment, dict[str, Any]]] = field(default_factory=list)
    ppe: dict[str, list[PpeCount]] = field(default_factory=dict)
    ends: list[tuple[Outbreak, datetime.date]] = field(default_factory=list)
    corrections: list[tuple[Outbreak, dict[str, Any]]] = field(default_factory=list)
    declarations: list[tuple[Establishment, dict[str, Any]]] = field(default_factory=list)

    def first_establishment(self) -> Establishment | None:
        return next(iter(self.establishments.values()), None)


def _allowed_establishments(codes: set[str], *, scope, acting_user) -> dict[str, Establishment]:
    rows = Establishment.objects.filter(code__in=codes).filter(unit_filter(acting_user, EDIT_COVID))
    if scope is not None:
        rows = rows.filter(pk=scope.pk)
    return {e.code: e for e in rows}


def _not_allowed(code: str, scope) -> str:
    if scope is not None:
        return f"This page loads the Covid controls of {scope.name} ({scope.code}) only"
    return f"There is no establishment with the code {code} whose Covid controls you may record"


def _check_codes(rows, allowed, problems: ProblemList, scope) -> None:
    for row in rows:
        code = row.values.get("code")
        if code is not None and code not in allowed:
            problems.add(row.sheet, row.number, CODE, _not_allowed(code, scope))
            row.ok = False


def _check_ppe_rows(rows, problems: ProblemList) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.ok:  # a count the engine refused is not also "missing"
            for heading, reason in _both_counts(row.values):
                problems.add(PPE, row.number, heading, reason)
                row.ok = False
        key = (row.values.get("code"), row.values.get("item"))
        if None in key:
            continue
        if key in seen:
            problems.add(
                PPE, row.number, "Item", f"This item is already on row {seen[key]} for {key[0]}"
            )
            row.ok = False
        else:
            seen[key] = row.number


def _plan_outbreaks(rows, data: CovidData, problems: ProblemList) -> None:
    """Match the file's outbreaks with those recorded, and check that no two overlap once the
    file is applied."""
    good = [r for r in rows if r.ok]
    establishments = {data.establishments[r.values["code"]] for r in good}
    recorded: dict[tuple[int, datetime.date], Outbreak] = {
        (o.establishment_id, o.declared_on): o
        for o in Outbreak.objects.filter(establishment__in=establishments)
    }
    periods: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    ends = {}
    for row in good:
        values = row.values
        establishment = data.establishments[values["code"]]
        existing = recorded.get((establishment.pk, values["declared_on"]))
        if existing is None:
            continue
        if existing.ended_on is not None and values["ended_on"] != existing.ended_on:
            problems.add(
                OUTBREAKS,
                row.number,
                "Ended on",
                f"This outbreak ended on {existing.ended_on:%-d %B %Y}: its end date cannot be "
                "changed or removed",
            )
            row.ok = False
            continue
        if existing.ended_on is None and values["ended_on"] is not None:
            ends[existing.pk] = values["ended_on"]
            data.ends.append((existing, values["ended_on"]))
        changes = {
            name: values[name]
            for name in ("cases_staff", "cases_prisoners", "notes")
            if values[name] != getattr(existing, name)
        }
        if changes:
            data.corrections.append((existing, changes))
    for outbreak in recorded.values():
        periods[outbreak.establishment_id].append(
            (outbreak.declared_on, ends.get(outbreak.pk, outbreak.ended_on))
        )
    for row in good:
        if not row.ok:
            continue
        values = row.values
        establishment = data.establishments[values["code"]]
        if (establishment.pk, values["declared_on"]) in recorded:
            continue
        taken = sorted(periods[establishment.pk], key=lambda p: p[1] is not None)
        found = overlapping(taken, values["declared_on"], values["ended_on"])
        if found is not None:
            problems.add(
                OUTBREAKS, row.number, "Declared on", overlap_message(establishment, *found)
            )
            continue
        periods[establishment.pk].append((values["declared_on"], values["ended_on"]))
        data.declarations.append((establishment, dict(values)))


def read_covid_workbook(file, *, scope=None, acting_user) -> CovidData:
    """Read and check a Covid controls workbook. Raises InvalidUpload listing every problem;
    reads the database, writes nothing."""
    problems = ProblemList()
    read: dict[str, list] = {}
    with UploadedWorkbook.open(file) as workbook:
        present = [spec for spec in SPECS if workbook.find(spec.title) is not None]
        if not present:
            names = ", ".join(spec.title for spec in SPECS)
            problems.add(
                "",
                None,
                None,
                f"The file has none of the sheets {names}. Check the sheet names, or download "
                "the template.",
            )
        for spec in present:
            read[spec.title] = list(workbook.read(spec, problems))
    codes = {r.values.get("code") for rows in read.values() for r in rows} - {None}
    allowed = _allowed_establishments(codes, scope=scope, acting_user=acting_user)
    for rows in read.values():
        _check_codes(rows, allowed, problems, scope)
    _check_ppe_rows(read.get(PPE, []), problems)
    data = CovidData(establishments=allowed)
    _plan_outbreaks(read.get(OUTBREAKS, []), data, problems)
    problems.raise_if_any(order=_workbook_order)
    for row in read.get(CONTROLS, []):
        values = row.values
        data.controls.append(
            (allowed[values["code"]], {name: values[name] for name in CONTROLS_FIELDS})
        )
    for row in read.get(PPE, []):
        values = row.values
        if values["in_stock"] is None:
            continue
        data.ppe.setdefault(values["code"], []).append(
            PpeCount(values["item"], values["in_stock"], values["needed"])
        )
    if not any(read.values()):
        raise InvalidUpload(
            [Problem("", None, None, "The file has no rows on any of its sheets: nothing to load.")]
        )
    return data


def _workbook_order(problem) -> tuple[int, int, int]:
    titles = [spec.title for spec in SPECS]
    index = titles.index(problem.sheet) if problem.sheet in titles else -1
    headings = SPECS[index].headings if index >= 0 else []
    column = headings.index(problem.column) if problem.column in headings else len(headings)
    return index, problem.row or 0, column


def apply_covid_workbook(data: CovidData, *, acting_user) -> CovidImportSummary:
    """Write a checked file, inside the caller's transaction."""
    source = "from a spreadsheet"
    summary = CovidImportSummary(establishments=sorted(data.establishments))
    for establishment, values in data.controls:
        stored = CovidControls.objects.filter(establishment=establishment).first()
        controls = stored or CovidControls(establishment=establishment)
        if update_controls_in_transaction(
            controls,
            expected_version=controls.version,
            changes=values,
            acting_user=acting_user,
            source=source,
        ):
            summary.controls_changed += 1
    for code, counts in data.ppe.items():
        summary.ppe_changed += len(
            set_ppe_in_transaction(
                data.establishments[code],
                counts,
                counted_on=None,
                acting_user=acting_user,
                source=source,
            )
        )
    for outbreak, changes in data.corrections:
        correct_outbreak_in_transaction(outbreak, changes, acting_user=acting_user, source=source)
        summary.outbreaks_changed += 1
    for outbreak, ended_on in data.ends:
        end_outbreak_in_transaction(
            outbreak, ended_on=ended_on, acting_user=acting_user, source=source
        )
        summary.outbreaks_ended += 1
    for establishment, values in sorted(data.declarations, key=lambda d: d[1]["declared_on"]):
        declare_outbreak_in_transaction(
            establishment,
            declared_on=values["declared_on"],
            ended_on=values["ended_on"],
            cases_staff=values["cases_staff"],
            cases_prisoners=values["cases_prisoners"],
            notes=values["notes"],
            acting_user=acting_user,
            source=source,
        )
        summary.outbreaks_declared += 1
    return summary


# --- Writing the format: the template, filled in with what is recorded --------------------------

GUIDANCE_ROWS = (
    ("All sheets", CODE, "The establishment's code, for example EST1"),
    ("All sheets", "(dates)", "A date cell, or 31/03/2021; never in the future"),
    ("Controls", "(percentages)", "Whole numbers from 0 to 100; empty when not known"),
    ("Controls", "Contact-tracing lead", "The person who leads contact tracing"),
    (
        "PPE stock",
        "Item",
        "; ".join(str(label) for label in PpeItem.labels),
    ),
    ("PPE stock", "In stock, Needed", "Whole numbers, 0 or more"),
    (
        "Outbreaks",
        "Declared on, Ended on",
        "A new row declares an outbreak; give a recorded open one an end date to end it. "
        "Outbreaks may not overlap",
    ),
    ("All sheets", "(the file)", "Leave a sheet out to change nothing of that part"),
)


def covid_sheets(establishments: list[Establishment]) -> list[Sheet]:
    """The three sheets with what is recorded for `establishments` (an empty row for each PPE
    item not yet counted), and a guidance sheet: a template that loads back unchanged."""
    controls = {
        c.establishment_id: c
        for c in CovidControls.objects.filter(establishment__in=establishments)
    }
    stock = {
        (s.establishment_id, s.item): s
        for s in PpeStock.objects.filter(establishment__in=establishments)
    }
    outbreaks = Outbreak.objects.filter(establishment__in=establishments).select_related(
        "establishment"
    )
    control_rows, ppe_rows = [], []
    for e in establishments:
        c = controls.get(e.pk)
        control_rows.append(
            [
                e.code,
                c.as_of if c else None,
                c.staff_tested_percent if c else None,
                c.prisoners_tested_percent if c else None,
                c.staff_vaccinated_percent if c else None,
                c.prisoners_vaccinated_percent if c else None,
                c.contact_tracing_lead if c else "",
                c.contingency_plan_reviewed_on if c else None,
            ]
        )
        for item in PpeItem:
            s = stock.get((e.pk, item.value))
            ppe_rows.append(
                [e.code, str(item.label), s.in_stock if s else None, s.needed if s else None]
            )
    outbreak_rows = [
        [
            o.establishment.code,
            o.declared_on,
            o.ended_on,
            o.cases_staff,
            o.cases_prisoners,
            o.notes,
        ]
        for o in sorted(outbreaks, key=lambda o: (o.establishment.code, o.declared_on))
    ]
    return [
        Sheet(CONTROLS, CONTROLS_SPEC.headings, control_rows),
        Sheet(PPE, PPE_SPEC.headings, ppe_rows),
        Sheet(OUTBREAKS, OUTBREAKS_SPEC.headings, outbreak_rows),
        Sheet("Guidance", ["Sheet", "Column", "What to enter"], GUIDANCE_ROWS),
    ]

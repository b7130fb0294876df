"""Every write to the metric catalogue, the return settings, Local Recovery Plans and returns.
Each action checks the permission first, validates, writes inside one transaction and records
its audit event in it.

A figure is never overwritten: a correction adds a revision (`ReturnValue.revision` + 1, marked
current) and the old one stays. A return form names the version of the return it was opened
at (0: none sent yet); a form opened before someone else saved the same period is refused."""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from recovery.audit.actions import build_event, record_event, record_events
from recovery.backlogs.constants import MetricUnit, ValueSource
from recovery.backlogs.models import LrpLine, Metric, Return, ReturnSettings, ReturnValue
from recovery.backlogs.periods import first_period_start, is_period_start
from recovery.backlogs.queries import metrics_reported_by, people_who_may_own
from recovery.backlogs.rules import EDIT_LRP, EDIT_RETURNS, MANAGE_CATALOGUE
from recovery.core.bulk import insert_rows, update_rows
from recovery.core.concurrency import stale_edit_error, update_versioned
from recovery.core.errors import DomainError
from recovery.core.files import shown_file_name
from recovery.core.scope import is_system, require
from recovery.estate.models import Establishment

# The largest figure a return holds (the column has 12 digits before the point).
MAX_VALUE = Decimal("999999999999.99")
WHOLE_UNITS = {MetricUnit.PEOPLE, MetricUnit.CASES}
# ASCII digits only: Decimal would also read other scripts' digits ("٣" as 3).
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def shown(value: Decimal) -> str:
    """A figure as people write it: 40, not 40.00; 3.2, not 3.20."""
    return f"{value.normalize():f}"


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Checking a figure (the form, the spreadsheet and the API alike) ----------------------------


def check_value(metric: Metric, raw: Any) -> Decimal:
    """`raw` (typed text or a spreadsheet cell) as a figure of `metric`, or ValueError with the
    reason a person reads: not a number, negative, a percentage over 100, a fraction of a
    count, more than two decimal places."""
    if isinstance(raw, bool):
        raise ValueError(f"'{raw}' is not a number")
    if isinstance(raw, int | float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation as error:
            raise ValueError(f"'{raw}' is not a number") from error
    else:
        text = str(raw).strip().replace(",", "")
        if not NUMBER.fullmatch(text):
            raise ValueError(f"'{str(raw).strip()}' is not a number: enter a figure such as 12")
        value = Decimal(text)
    if not value.is_finite():
        raise ValueError(f"'{raw}' is not a number")
    if value < 0:
        raise ValueError("The figure cannot be negative")
    if metric.unit == MetricUnit.PERCENT and value > 100:
        raise ValueError("A percentage cannot be more than 100")
    # Before any rounding: a figure of 29 digits or more cannot be rounded to cents at all.
    if value > MAX_VALUE:
        raise ValueError(f"The figure is too large: at most {MAX_VALUE:,.2f}")
    if metric.unit in WHOLE_UNITS and value != value.to_integral_value():
        raise ValueError(f"Enter a whole number of {MetricUnit(metric.unit).label}")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("Enter the figure with no more than 2 decimal places")
    return value.quantize(Decimal("0.01"))


def period_problem(
    period_start: datetime.date, settings: ReturnSettings, *, today: datetime.date
) -> str:
    """Why no return can be sent for a period starting `period_start` ("" if one can): it has
    not started, it is before the first return period, or the day does not start a period.
    The form, the spreadsheet and the API all ask this."""
    if period_start > today:
        return (
            f"The period from {period_start:%-d %B %Y} has not started yet: a return can only "
            "be sent for a period that has started"
        )
    first = first_period_start(settings)
    if period_start < first:
        return (
            f"{period_start:%-d %B %Y} is before the first return period, which starts on "
            f"{first:%-d %B %Y}: there are no returns before it"
        )
    if not is_period_start(period_start, settings):
        return period_start_problem(period_start, settings)
    return ""


def period_start_problem(day: datetime.date, settings: ReturnSettings) -> str:
    if settings.period_days == 7:
        first = settings.first_period_start
        if isinstance(first, str):
            first = datetime.date.fromisoformat(first)
        return (
            f"{day:%-d %B %Y} is not the first day of a return period: periods start on a "
            f"{first:%A}"
        )
    return f"{day:%-d %B %Y} is not the first day of a return period"


# --- The catalogue ------------------------------------------------------------------------------

METRIC_FIELDS = (
    "code",
    "name",
    "description",
    "area",
    "unit",
    "direction",
    "aggregation",
    "weight_metric",
    "establishment_types",
    "national_target",
    "amber_weeks",
    "amber_percent",
    "standard",
    "order",
)


def _check_metric(metric: Metric, changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(changes)
    code = cleaned.get("code", metric.code)
    if code and Metric.objects.filter(code=code).exclude(pk=metric.pk).exists():
        raise DomainError(f"Another metric already has the code {code}", field="code")
    weight = cleaned.pop("weight_metric", metric.weight_metric_id)
    if weight not in (None, "") and not isinstance(weight, Metric):
        weight = Metric.objects.filter(pk=weight).first()
        if weight is None:
            raise DomainError(
                "Choose a metric of the catalogue as the weight", field="weight_metric"
            )
    weight = weight or None
    if weight is not None and metric.pk is not None and weight.pk == metric.pk:
        raise DomainError("A metric cannot be its own weight", field="weight_metric")
    if "weight_metric" in changes:
        cleaned["weight_metric_id"] = weight.pk if weight is not None else None
    target = cleaned.get("national_target")
    if target is not None:
        try:
            cleaned["national_target"] = check_value(
                Metric(unit=cleaned.get("unit", metric.unit)), target
            )
        except ValueError as error:
            raise DomainError(str(error), field="national_target") from error
    return cleaned


def do_save_metric(
    metric: Metric, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Add a metric to the catalogue (`metric` unsaved) or change one. Refused if someone saved
    it after `expected_version`. Returns the fields that changed."""
    with transaction.atomic(durable=True):
        require(acting_user, MANAGE_CATALOGUE)
        cleaned = _check_metric(metric, changes)
        if metric.pk is None:
            for name, value in cleaned.items():
                setattr(metric, name, value)
            metric.save()
            after = {k.removesuffix("_id"): v for k, v in cleaned.items()}
            record_event(
                acting_user=acting_user,
                action="backlogs.add_metric",
                obj=metric,
                summary=f"Added the metric {metric.name} to the catalogue",
                after=after,
            )
            return after
        before, after = update_versioned(
            metric,
            expected_version=expected_version,
            changes=cleaned,
            label=f"The metric {metric.name}",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="backlogs.update_metric",
                obj=metric,
                summary=f"Changed {', '.join(k.removesuffix('_id') for k in after)} of the "
                f"metric {metric.name}",
                before={k.removesuffix("_id"): v for k, v in before.items()},
                after={k.removesuffix("_id"): v for k, v in after.items()},
            )
        return after


def do_retire_metric(
    metric: Metric, *, expected_version: int, retire: bool = True, acting_user
) -> dict[str, Any]:
    """Retire a metric (no longer asked for; its figures are kept) or bring it back."""
    with transaction.atomic(durable=True):
        require(acting_user, MANAGE_CATALOGUE)
        before, after = update_versioned(
            metric,
            expected_version=expected_version,
            changes={"active": not retire},
            label=f"The metric {metric.name}",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="backlogs.retire_metric" if retire else "backlogs.reinstate_metric",
                obj=metric,
                summary=f"{'Retired' if retire else 'Brought back'} the metric {metric.name}",
                before=before,
                after=after,
            )
        return after


def settings_row() -> ReturnSettings:
    """The one settings row (made with the defaults if the data migration's row was removed)."""
    found = ReturnSettings.objects.order_by("pk").first()
    return found or ReturnSettings.objects.create()


def do_save_return_settings(
    settings: ReturnSettings, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change the return period, deadline, release delay, trend window or suppression rule."""
    with transaction.atomic(durable=True):
        require(acting_user, MANAGE_CATALOGUE)
        if changes.get("period_days") is not None and changes["period_days"] < 1:
            raise DomainError("A period is at least 1 day", field="period_days")
        if changes.get("trend_window") is not None and changes["trend_window"] < 2:
            raise DomainError("A trend needs at least 2 periods", field="trend_window")
        before, after = update_versioned(
            settings,
            expected_version=expected_version,
            changes=changes,
            label="The return settings",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="backlogs.update_return_settings",
                obj=settings,
                summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of the "
                "return settings",
                before=before,
                after=after,
            )
        return after


# --- Local Recovery Plans -----------------------------------------------------------------------

LRP_FIELDS = (
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_date",
    "owner",
    "owner_name",
    "approach",
)


def _checked_owner(establishment: Establishment, value):
    """The person `value` names, who must hold a role at the establishment itself and have an
    active account (as for an answer's assignee in recovery.plans); None for nobody."""
    if value in (None, ""):
        return None
    key = getattr(value, "pk", value)
    try:
        key = int(key)
    except (TypeError, ValueError):
        key = None
    person = people_who_may_own(establishment).filter(pk=key).first()
    if person is None:
        raise DomainError(
            "Choose an owner with an active account who holds a role at "
            f"{establishment.name}, or type the name of someone without an account",
            field="owner",
        )
    return person


def _names(changes: dict[str, Any]) -> str:
    return ", ".join(k.removesuffix("_id").replace("_", " ") for k in changes)


def check_lrp_line(line: LrpLine, changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(changes)
    establishment, metric = line.establishment, line.metric
    if "owner" in cleaned:
        owner = _checked_owner(establishment, cleaned.pop("owner"))
        cleaned["owner_id"] = owner.pk if owner else None
    owner_id = cleaned.get("owner_id", line.owner_id)
    owner_name = (cleaned.get("owner_name", line.owner_name) or "").strip()
    if "owner_name" in cleaned:
        cleaned["owner_name"] = owner_name
    if owner_id and owner_name:
        raise DomainError(
            "Choose an owner from the list or type a name, not both", field="owner_name"
        )
    for name in ("baseline_value", "target_value"):
        if cleaned.get(name) is not None:
            try:
                cleaned[name] = check_value(metric, cleaned[name])
            except ValueError as error:
                raise DomainError(str(error), field=name) from error
    baseline_on = cleaned.get("baseline_on", line.baseline_on)
    if baseline_on and baseline_on > timezone.localdate():
        raise DomainError("The baseline date cannot be in the future", field="baseline_on")
    target_date = cleaned.get("target_date", line.target_date)
    if target_date and cleaned.get("target_value", line.target_value) is None:
        raise DomainError("Give the local target as well as its date", field="target_value")
    if target_date and baseline_on and target_date <= baseline_on:
        raise DomainError("The target date must be after the baseline date", field="target_date")
    return cleaned


def do_save_lrp_line(
    line: LrpLine, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Write one line of the establishment's Local Recovery Plan (made on its first save).
    Refused if someone saved it after `expected_version`. Returns the fields that changed."""
    establishment, metric = line.establishment, line.metric
    with transaction.atomic(durable=True):
        require(acting_user, EDIT_LRP, establishment)
        if not metric.reported_by(establishment.establishment_type):
            raise DomainError(f"{establishment.name} does not report {metric.name}")
        cleaned = check_lrp_line(line, changes)
        Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
        stored = LrpLine.objects.filter(establishment=establishment, metric=metric).first()
        if stored is None:
            if expected_version != 1:
                raise stale_edit_error(
                    line, expected_version=expected_version, label=f"The line for {metric.name}"
                )
            stored = LrpLine.objects.create(establishment=establishment, metric=metric)
        before, after = update_versioned(
            stored,
            expected_version=expected_version,
            changes=cleaned,
            label=f"The plan's line for {metric.name}",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="backlogs.update_lrp_line",
                obj=stored,
                summary=f"Changed {_names(after)} of the Local Recovery Plan of "
                f"{establishment.name} for {metric.name}",
                before={k.removesuffix("_id"): v for k, v in before.items()},
                after={k.removesuffix("_id"): v for k, v in after.items()},
            )
        line.pk, line.version = stored.pk, stored.version
        return after


# --- Returns ------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One figure to write: the metric, its value, a note."""

    metric: Metric
    value: Decimal
    note: str = ""


@dataclass
class ReturnWrite:
    """What one return's write did."""

    record: Return
    added: int = 0
    corrected: int = 0
    created: bool = False
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _write_figures(
    establishment: Establishment,
    period_start: datetime.date,
    figures: list[Figure],
    *,
    record: Return | None,
    acting_user,
    source: str,
    now: datetime.datetime,
    current: dict[int, ReturnValue],
) -> tuple[ReturnWrite, list[ReturnValue], list[ReturnValue]]:
    """The rows one return's write adds and the current rows it retires (not yet written)."""
    person = _person(acting_user)
    created = record is None
    if record is None:
        record = Return(
            establishment=establishment,
            period_start=period_start,
            first_submitted_at=now,
            submitted_by=person,
            last_changed_at=now,
        )
    write = ReturnWrite(record=record, created=created)
    new_rows, retired = [], []
    for figure in figures:
        old = current.get(figure.metric.pk)
        if old is not None and old.value == figure.value and old.note == figure.note:
            continue
        if old is not None:
            old.current = False
            retired.append(old)
            write.corrected += 1
        else:
            write.added += 1
        write.changes[figure.metric.code] = (
            shown(old.value) if old is not None else None,
            shown(figure.value),
        )
        new_rows.append(
            ReturnValue(
                return_record=record,
                establishment=establishment,
                metric=figure.metric,
                period_start=period_start,
                value=figure.value,
                revision=(old.revision + 1) if old is not None else 1,
                current=True,
                entered_at=now,
                entered_by=person,
                entered_by_name=_name(acting_user),
                source=source,
                note=figure.note,
            )
        )
    return write, new_rows, retired


def _return_event(write: ReturnWrite, *, acting_user, source: str) -> dict:
    record = write.record
    parts = []
    if write.added:
        parts.append(f"{write.added} figure{'s' if write.added != 1 else ''} sent")
    if write.corrected:
        parts.append(f"{write.corrected} corrected")
    how = {ValueSource.UPLOAD: " (from a spreadsheet)", ValueSource.API: " (through the API)"}
    return dict(
        acting_user=acting_user,
        action="backlogs.enter_return",
        obj=record,
        summary=f"Return of {record.establishment.name} for the period from "
        f"{record.period_start:%-d %B %Y}: {', '.join(parts)}" + how.get(source, ""),
        before={code: old for code, (old, _) in write.changes.items()},
        after={code: new for code, (_, new) in write.changes.items()},
    )


@dataclass
class FigureProblem:
    """One thing wrong with a return. `index`: the figure's place in what was sent (None for
    the period); `key`: the metric as it was named (an id or a code); `about`: "period",
    "metric" or "value"."""

    index: int | None
    key: int | str | None
    about: str
    message: str

    @property
    def field(self) -> str:
        return "period" if self.about == "period" else f"m{self.key}"


class ReturnRefused(DomainError):
    """A return refused whole, with every problem it has; nothing was written."""

    def __init__(self, problems: list[FigureProblem]):
        self.problems = problems
        if len(problems) == 1:
            super().__init__(problems[0].message, field=problems[0].field)
        else:
            super().__init__(
                f"The return has {len(problems)} problems. Nothing has been saved: "
                + "; ".join(p.message for p in problems)
            )


def _not_reported(establishment: Establishment, key: int | str) -> str:
    if isinstance(key, str):
        if Metric.objects.filter(code=key).exists():
            return f"{establishment.name} does not report the metric {key}"
        return f"There is no metric with the code {key}"
    return f"{establishment.name} does not report this metric"


def do_enter_return(
    establishment: Establishment,
    period_start: datetime.date,
    values: Mapping[int | str, Any] | Iterable[tuple[int | str, Any]],
    *,
    expected_version: int,
    acting_user,
    source: str = ValueSource.FORM,
) -> ReturnWrite:
    """Send or correct the establishment's return for the period starting `period_start`.

    `values` maps metrics to figures (text or numbers; None or "" for a figure not sent), or
    lists (metric, figure) pairs; a metric is named by its id (the form's boxes) or its code
    (the API). `expected_version`: the return's version the form was opened at (0: no return
    yet). Everything is checked first; if anything is wrong, ReturnRefused lists every problem
    (the period, a metric not reported or named twice, a figure) and nothing is written. A
    changed figure becomes a new revision."""
    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    with transaction.atomic(durable=True):
        require(acting_user, EDIT_RETURNS, establishment)
        settings = ReturnSettings.current()
        problems: list[FigureProblem] = []
        if reason := period_problem(period_start, settings, today=timezone.localdate()):
            problems.append(FigureProblem(None, None, "period", reason))
        metrics = metrics_reported_by(establishment)
        by_id, by_code = {m.pk: m for m in metrics}, {m.code: m for m in metrics}
        record, current = None, {}
        if not problems:
            Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
            record = (
                Return.objects.select_for_update()
                .filter(establishment=establishment, period_start=period_start)
                .first()
            )
            found_version = record.version if record else 0
            if found_version != expected_version:
                raise stale_edit_error(
                    record or Return(establishment=establishment, period_start=period_start),
                    expected_version=expected_version,
                    label=f"The return for the period from {period_start:%-d %B %Y}",
                )
            current = {
                v.metric_id: v
                for v in ReturnValue.objects.filter(
                    establishment=establishment, period_start=period_start, current=True
                )
            }
        figures, given = [], set()
        for index, (key, raw) in enumerate(pairs):
            metric = by_code.get(key) if isinstance(key, str) else by_id.get(key)
            if metric is None:
                problems.append(
                    FigureProblem(index, key, "metric", _not_reported(establishment, key))
                )
                continue
            if metric.pk in given:
                problems.append(
                    FigureProblem(
                        index, key, "metric", f"{metric.name} is given twice: give it once"
                    )
                )
                continue
            given.add(metric.pk)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if metric.pk in current:
                    problems.append(
                        FigureProblem(
                            index,
                            key,
                            "value",
                            f"{metric.name} was sent as {shown(current[metric.pk].value)}: a "
                            "figure cannot be removed, enter the corrected figure",
                        )
                    )
                continue
            try:
                value = check_value(metric, raw)
            except ValueError as error:
                problems.append(FigureProblem(index, key, "value", f"{metric.name}: {error}"))
                continue
            old = current.get(metric.pk)
            figures.append(Figure(metric, value, old.note) if old else Figure(metric, value))
        if problems:
            raise ReturnRefused(problems)
        now = timezone.now()
        write, new_rows, retired = _write_figures(
            establishment,
            period_start,
            figures,
            record=record,
            acting_user=acting_user,
            source=source,
            now=now,
            current=current,
        )
        if not new_rows:
            return write
        _save_return(write, now)
        for row in new_rows:  # the return may have been made just now
            row.return_record_id = write.record.pk
        update_rows(ReturnValue, retired, ["current"])
        insert_rows(ReturnValue, new_rows)
        record_event(**_return_event(write, acting_user=acting_user, source=source))
        return write


def _save_return(write: ReturnWrite, now: datetime.datetime) -> None:
    record = write.record
    if write.created:
        record.save()
    else:
        record.version += 1
        record.last_changed_at = now
        Return.objects.filter(pk=record.pk).update(version=record.version, last_changed_at=now)


# --- Loading returns from a spreadsheet ---------------------------------------------------------


@dataclass
class ReturnsImportSummary:
    periods: int = 0
    added: int = 0
    corrected: int = 0
    unchanged: int = 0

    def describe(self) -> str:
        if not self.added and not self.corrected:
            return "The spreadsheet has been loaded: every figure in it was already recorded."
        parts = []
        if self.added:
            parts.append(f"{self.added} figure{'s' if self.added != 1 else ''} added")
        if self.corrected:
            parts.append(f"{self.corrected} corrected")
        return (
            f"The spreadsheet has been loaded: {', '.join(parts)}, in {self.periods} "
            f"period{'s' if self.periods != 1 else ''}."
        )


def do_import_returns(establishment: Establishment, upload, *, acting_user) -> ReturnsImportSummary:
    """Load figures of several metrics and periods from a workbook
    (recovery.backlogs.importer). Every row is checked first; if any has a problem, nothing is
    written and InvalidUpload lists them all with sheet, row, column and reason. A figure that
    differs from the one recorded becomes a new revision; one event per return changed, and one
    for the upload."""
    from recovery.backlogs.importer import read_returns_workbook

    require(acting_user, EDIT_RETURNS, establishment)
    rows = read_returns_workbook(upload, establishment=establishment)
    by_period: dict[datetime.date, list[Figure]] = {}
    for row in rows:
        by_period.setdefault(row.period_start, []).append(Figure(row.metric, row.value, row.note))
    summary = ReturnsImportSummary()
    with transaction.atomic(durable=True):
        Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
        records = {
            r.period_start: r
            for r in Return.objects.select_for_update().filter(
                establishment=establishment, period_start__in=list(by_period)
            )
        }
        current: dict[datetime.date, dict[int, ReturnValue]] = {}
        for value in ReturnValue.objects.filter(
            establishment=establishment, period_start__in=list(by_period), current=True
        ):
            current.setdefault(value.period_start, {})[value.metric_id] = value
        now = timezone.now()
        new_rows, retired, writes = [], [], []
        for period_start, figures in sorted(by_period.items()):
            write, added_rows, retired_rows = _write_figures(
                establishment,
                period_start,
                figures,
                record=records.get(period_start),
                acting_user=acting_user,
                source=ValueSource.UPLOAD,
                now=now,
                current=current.get(period_start, {}),
            )
            summary.unchanged += len(figures) - len(added_rows)
            if not added_rows:
                continue
            writes.append(write)
            new_rows.extend(added_rows)
            retired.extend(retired_rows)
            summary.periods += 1
            summary.added += write.added
            summary.corrected += write.corrected
        created = [w.record for w in writes if w.created]
        if created:
            insert_rows(Return, created, assign_ids=True)
        changed = [w.record for w in writes if not w.created]
        for record in changed:
            record.version += 1
            record.last_changed_at = now
        update_rows(Return, changed, ["version", "last_changed_at"])
        for row in new_rows:
            row.return_record_id = row.return_record.pk
        update_rows(ReturnValue, retired, ["current"])
        insert_rows(ReturnValue, new_rows)
        record_events(
            [
                build_event(**_return_event(w, acting_user=acting_user, source=ValueSource.UPLOAD))
                for w in writes
            ]
        )
        record_event(
            acting_user=acting_user,
            action="backlogs.import_returns",
            obj=establishment,
            summary=summary.describe(),
            after={
                "file_name": shown_file_name(getattr(upload, "name", "") or ""),
                "periods": summary.periods,
                "added": summary.added,
                "corrected": summary.corrected,
                "unchanged": summary.unchanged,
            },
        )
    return summary


# Data calls, releases and feeds: their actions live beside their queries; listed here too so
# that every write of backlogs is found in this module.
from recovery.backlogs.datacalls import (  # noqa: F401, E402
    do_close_data_call,
    do_create_data_call,
    do_remind_data_call,
)
from recovery.backlogs.feeds import do_create_feed_token, do_revoke_feed_token  # noqa: F401, E402
from recovery.backlogs.releases import do_publish_release  # noqa: F401, E402

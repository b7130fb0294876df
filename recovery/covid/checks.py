"""The rules every door shares for Covid controls (the forms, the spreadsheet and the API all
reach the same actions, which call these): dates that cannot be in the future, an outbreak that
cannot end before it began, coverage from 0 to 100 and stock that cannot be negative. Each
refusal is a DomainError naming the field, in words a person can act on."""

import datetime
from typing import Any

from recovery.core.errors import DomainError

COVERAGE_FIELDS = (
    "staff_tested_percent",
    "prisoners_tested_percent",
    "staff_vaccinated_percent",
    "prisoners_vaccinated_percent",
)
CONTROLS_FIELDS = (
    "as_of",
    *COVERAGE_FIELDS,
    "contact_tracing_lead",
    "contingency_plan_reviewed_on",
)
COVERAGE_LABELS = {
    "staff_tested_percent": "Staff tested",
    "prisoners_tested_percent": "Prisoners tested",
    "staff_vaccinated_percent": "Staff vaccinated",
    "prisoners_vaccinated_percent": "Prisoners vaccinated",
}
DATE_LABELS = {
    "as_of": "The date of the figures",
    "contingency_plan_reviewed_on": "The date the plan was last reviewed",
    "declared_on": "The date the outbreak was declared",
    "ended_on": "The date the outbreak ended",
    "counted_on": "The date the stock was counted",
}
LEAD_MAX = 200
NOTES_MAX = 5000
# A count above this is a typing slip, and PostgreSQL's integer is below 2^31.
MAX_COUNT = 10_000_000


def check_not_future(name: str, value: datetime.date | None, today: datetime.date) -> None:
    if value is not None and value > today:
        raise DomainError(
            f"{DATE_LABELS[name]} must be today or in the past (today is {today:%-d %B %Y})",
            field=name,
        )


def check_percent(name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise DomainError(
            f"{COVERAGE_LABELS[name]} must be a whole number from 0 to 100", field=name
        )


def check_count(name: str, label: str, value: Any, *, required: bool = False) -> None:
    if value is None:
        if required:
            raise DomainError(f"Enter {label.lower()}", field=name)
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{label} must be a whole number", field=name)
    if value < 0:
        raise DomainError(f"{label} cannot be negative", field=name)
    if value > MAX_COUNT:
        raise DomainError(f"{label} must be {MAX_COUNT:,} or fewer", field=name)


def check_controls(changes: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """The controls' values as they will be stored; DomainError for the first that cannot."""
    unknown = set(changes) - set(CONTROLS_FIELDS)
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    cleaned = dict(changes)
    for name in COVERAGE_FIELDS:
        if name in cleaned:
            check_percent(name, cleaned[name])
    for name in ("as_of", "contingency_plan_reviewed_on"):
        if name in cleaned:
            check_not_future(name, cleaned[name], today)
    if "contact_tracing_lead" in cleaned:
        lead = (cleaned["contact_tracing_lead"] or "").strip()
        if len(lead) > LEAD_MAX:
            raise DomainError(
                f"The contact-tracing lead must be {LEAD_MAX} characters or fewer",
                field="contact_tracing_lead",
            )
        cleaned["contact_tracing_lead"] = lead
    return cleaned


def check_outbreak_dates(
    declared_on: datetime.date, ended_on: datetime.date | None, today: datetime.date
) -> None:
    check_not_future("declared_on", declared_on, today)
    if ended_on is not None:
        check_not_future("ended_on", ended_on, today)
        if ended_on < declared_on:
            raise DomainError(
                "The outbreak cannot end before it was declared "
                f"(declared on {declared_on:%-d %B %Y})",
                field="ended_on",
            )

"""Validation of a response to a baseline: raise a DomainError with the words a user reads.

Shared by the form, the API and the spreadsheet import, so that a rule holds whichever door the
answer comes through."""

import datetime
from typing import Any

from recovery.core.errors import DomainError
from recovery.frameworks.constants import Autonomy
from recovery.plans.constants import ResponseStatus

RESPONSE_FIELDS = (
    "status",
    "not_applicable_reason",
    "chosen_option",
    "compliance_confirmed",
    "approach",
    "owner",
    "target_date",
)
TEXT_LIMITS = {"owner": 200, "chosen_option": 300, "approach": 5000, "not_applicable_reason": 2000}


def status_list() -> str:
    labels = [label for _, label in ResponseStatus.choices]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def check_response(baseline, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The full set of response fields after `changes`, checked against `baseline`.

    `current` holds the stored values. Returns the cleaned values of every field in
    RESPONSE_FIELDS; raises DomainError (with `field`) at the first problem."""
    unknown = set(changes) - set(RESPONSE_FIELDS) - {"needs_review"}
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    values = {name: current.get(name) for name in RESPONSE_FIELDS}
    values.update({k: v for k, v in changes.items() if k in RESPONSE_FIELDS})
    number = baseline.number

    for name, limit in TEXT_LIMITS.items():
        text = values[name]
        text = "" if text is None else str(text).strip()
        if len(text) > limit:
            raise DomainError(f"{_label(name)} must be {limit} characters or fewer", field=name)
        values[name] = text

    status = values["status"]
    if status not in ResponseStatus.values:
        raise DomainError(f"Status must be {status_list()}", field="status")
    if status == ResponseStatus.NOT_APPLICABLE:
        if baseline.mandatory:
            raise DomainError(
                f"Baseline {number} is mandatory, so it cannot be not applicable",
                field="status",
            )
        if not values["not_applicable_reason"]:
            raise DomainError(
                f"Give the reason baseline {number} does not apply",
                field="not_applicable_reason",
            )
    else:
        values["not_applicable_reason"] = ""

    option = values["chosen_option"]
    if baseline.autonomy == Autonomy.PARTIAL:
        if option and option not in baseline.options:
            raise DomainError(
                f"Choose one of the options for baseline {number}: " + "; ".join(baseline.options),
                field="chosen_option",
            )
        if status == ResponseStatus.MET and not option and baseline.options:
            raise DomainError(
                f"Choose the option delivered before marking baseline {number} met",
                field="chosen_option",
            )
    elif option:
        raise DomainError(
            f"Baseline {number} has no options to choose from: leave the option empty",
            field="chosen_option",
        )

    confirmed = bool(values["compliance_confirmed"])
    values["compliance_confirmed"] = confirmed
    if baseline.autonomy == Autonomy.LIMITED:
        if status == ResponseStatus.MET and not confirmed:
            raise DomainError(
                f"Confirm that baseline {number} is delivered as stipulated before marking it met",
                field="compliance_confirmed",
            )
    elif confirmed:
        raise DomainError(
            f"Only a limited-autonomy baseline records delivery as stipulated; baseline "
            f"{number} is {baseline.get_autonomy_display().lower()}",
            field="compliance_confirmed",
        )

    target = values["target_date"]
    if target is not None and not isinstance(target, datetime.date):
        raise DomainError(
            "Enter the target date as a date, for example 31/03/2021", field="target_date"
        )
    if isinstance(target, datetime.datetime):
        values["target_date"] = target.date()
    return values


LABELS = {
    "status": "Status",
    "not_applicable_reason": "Reason not applicable",
    "chosen_option": "Option chosen",
    "compliance_confirmed": "Delivered as stipulated",
    "approach": "Approach",
    "owner": "Owner",
    "target_date": "Target date",
    "needs_review": "Needs review",
}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())

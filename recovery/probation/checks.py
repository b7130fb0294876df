"""The rules of the Probation Roadmap to Recovery that refuse a decision, each with the words a
person reads. The actions call them; forms and demo data are refused alike."""

import datetime

from recovery.core.errors import DomainError
from recovery.probation.constants import NOTICE_DAYS


def _day(d: datetime.date) -> str:
    return f"{d:%-d %B %Y}"


def check_notice(
    *,
    staff_told_on: datetime.date | None,
    takes_effect_on: datetime.date,
    exceptional: bool,
    exceptional_reason: str,
) -> None:
    """A relaxation (a move up a step) records when staff were told and when it takes effect:
    at least 14 days apart ("at least two weeks' notice"), unless marked exceptional with a
    reason ("unless in exceptional circumstances")."""
    if staff_told_on is None:
        raise DomainError(
            "Enter the date staff were told: a move up a step needs two weeks' notice to staff",
            field="staff_told_on",
        )
    if staff_told_on > takes_effect_on:
        raise DomainError(
            "Staff must be told before the move takes effect, not after it",
            field="staff_told_on",
        )
    if exceptional and not exceptional_reason.strip():
        raise DomainError(
            "Say why this is exceptional: staff are given less than two weeks' notice only in "
            "exceptional circumstances",
            field="exceptional_reason",
        )
    notice = (takes_effect_on - staff_told_on).days
    if notice < NOTICE_DAYS and not exceptional:
        raise DomainError(
            f"Staff must be told at least {NOTICE_DAYS} days before a move up a step takes "
            f"effect: told on {_day(staff_told_on)}, it would take effect {notice} "
            f"day{'s' if notice != 1 else ''} later, on {_day(takes_effect_on)}. Choose a later "
            "date, or mark it exceptional and say why",
            field="takes_effect_on",
        )


def check_after_government(step: int, takes_effect_on: datetime.date, government) -> None:
    """ "The probation steps outlined below will start no sooner than the government's wider
    steps": probation step N takes effect on or after the government's step N starts.
    `government` is the GovernmentStep of that number, or None."""
    if government is None or government.starts_on is None:
        raise DomainError(
            f"The government has not set a date for its step {step} yet: a probation step "
            "never starts before the government's wider step",
            field="takes_effect_on",
        )
    if takes_effect_on < government.starts_on:
        raise DomainError(
            f"Probation step {step} cannot take effect on {_day(takes_effect_on)}: the "
            f"government's wider step {step} starts on {_day(government.starts_on)}, and a "
            "probation step never starts before the government's wider step",
            field="takes_effect_on",
        )


def check_reasons(text: str, what: str, field: str = "reasons") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Give the reasons for {what}", field=field)
    if len(text) > 5000:
        raise DomainError("The reasons must be 5,000 characters or fewer", field=field)
    return text


def check_capacity(changes: dict) -> dict:
    """An office's capacity figures: whole numbers within sensible bounds, extended hours
    given both or neither and closing after opening."""
    cleaned = dict(changes)
    bounds = {
        "usable_rooms": (0, 200, "Interview rooms usable with 2 m distancing"),
        "appointment_minutes": (5, 480, "The appointment length"),
        "cleaning_minutes": (0, 240, "The cleaning gap"),
        "max_on_site": (0, 2000, "The maximum number of people on site"),
    }
    for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        bounds[f"staff_{name}"] = (0, 500, f"Staff available on {name.capitalize()}")
    for name, (low, high, label) in bounds.items():
        if name not in cleaned:
            continue
        value = cleaned[name]
        if value is None:
            raise DomainError(f"Enter {label[0].lower() + label[1:]}", field=name)
        if not low <= value <= high:
            raise DomainError(f"{label} must be between {low} and {high}", field=name)
    opens, closes = cleaned.get("extended_opens_at"), cleaned.get("extended_closes_at")
    if (opens is None) != (closes is None):
        raise DomainError(
            "Enter both the opening and the closing time of the extended hours, or neither",
            field="extended_opens_at",
        )
    if opens is not None and closes <= opens:
        raise DomainError(
            "The extended hours must close after they open", field="extended_closes_at"
        )
    return cleaned


def check_not_future(name: str, value: datetime.date | None, today: datetime.date, what: str):
    if value is None:
        raise DomainError(f"Enter {what}", field=name)
    if value > today:
        raise DomainError(f"{what[0].upper() + what[1:]} must be today or earlier", field=name)

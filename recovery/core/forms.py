"""Form pieces every domain shares: optimistic locking, showing an action's refusal, and the
GOV.UK date input (three boxes read into one date, with errors a person can act on)."""

import datetime
import json
from typing import Any

from django import forms
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from recovery.core.errors import DomainError, StaleEditError, object_key

OPENED_SALT = "recovery.core.forms.VersionedForm.opened"


def comparable(value: Any) -> Any:
    """A value as it is compared to tell a changed field from an untouched one: as the audit
    trail and the form's snapshot store it (JSON), then as text without surrounding spaces and
    with one kind of line ending (a browser sends a textarea's lines with CRLF)."""
    value = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    if isinstance(value, list | dict):
        return value
    # A choice field gives text where the model holds a number, and "" where it holds None.
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


class VersionedForm(forms.Form):
    """An edit form of a versioned object (recovery.core.models.VersionedModel).

    It names the version it was opened at, so that a stale edit is refused
    (recovery.core.concurrency.update_versioned), and carries a signed snapshot of the values
    it was opened with, so that after a refusal it can tell the values the person changed from
    the ones they did not touch. Open one with `opened_on(obj)`; a view sends it through the
    one door for edits, `recovery.core.edits.edit_versioned`.

    A subclass names the values it edits in `editable` (the keys of `changes()`, by default
    model fields of the same name), gives `initial_for(obj)` (the form's initial values), and
    where its values and its fields differ: `values_of(obj)` (the object's values under those
    keys), `changes()` (the values the form sends) and `fields_of` (the form fields that make up
    a value, such as a date's day, month and year)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)
    editable: tuple[str, ...] = ()
    fields_of: dict[str, tuple[str, ...]] = {}

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {name: getattr(obj, name) for name in cls.editable}

    @classmethod
    def values_of(cls, obj: models.Model) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in cls.editable}

    @classmethod
    def opened_on(cls, obj: models.Model, *, lock: int | None = None, **kwargs):
        """The form as a person opens it on `obj`: its current values, version and snapshot.
        `lock` is the version when the object is a part of a bigger thing locked as a whole
        (an area of a draft); otherwise the object's own."""
        return cls(initial=cls._initial(obj, lock), **kwargs)

    @classmethod
    def _initial(cls, current: models.Model, lock: int | None) -> dict:
        return {
            **cls.initial_for(current),
            "version": current.version if lock is None else lock,
            "opened": cls.snapshot(current),
        }

    @classmethod
    def snapshot(cls, obj: models.Model) -> str:
        payload = {"object": object_key(obj), "values": comparable(cls.values_of(obj))}
        return signing.dumps(payload, salt=OPENED_SALT, compress=True)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.editable}

    def opened_values(self, current: models.Model, error: StaleEditError) -> dict[str, Any]:
        """The values the person started from: from the form's snapshot when it carries a good
        one for this object; otherwise rebuilt from the current values and what the audit
        trail says changed since (each change's "before"). Without either (a part of a draft,
        whose trail is the draft's), nothing is known, and all the person sent is kept."""
        try:
            payload = signing.loads(self.cleaned_data.get("opened") or "", salt=OPENED_SALT)
        except signing.BadSignature:
            payload = None
        if isinstance(payload, dict) and payload.get("object") == object_key(current):
            values = payload.get("values") or {}
            if set(self.editable) <= set(values):
                return values
        if error.object_key != object_key(current):
            return {}
        opened = self.values_of(current)
        for change in reversed(error.changes):  # oldest last, so its "before" wins
            if change.field in opened:
                opened[change.field] = change.before
        return opened

    def after_stale(
        self, current: models.Model, error: StaleEditError, *, lock: int | None = None, **kwargs
    ):
        """The form to show after `error` refused this one, and the values the person changed.

        What the person changed keeps the value they sent (beside the table of what the other
        person changed, which may include the same thing); every field they did not touch
        shows the current value; the version and the snapshot are the current ones. Sending
        the form again as shown therefore writes only the person's own changes."""
        opened = self.opened_values(current, error)
        kept = {
            name: value
            for name, value in self.changes().items()
            if name not in opened or comparable(value) != comparable(opened[name])
        }
        initial = self._initial(current, lock)
        for name in kept:
            for field_name in self.fields_of.get(name, (name,)):
                if field_name in self.fields:
                    initial[field_name] = self[field_name].value()
        return type(self)(initial=initial, **kwargs), kept


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show an action's refusal on the form: against its field when the form has one, in the
    error summary otherwise."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- The GOV.UK date input: three boxes, day, month and year, named `<prefix>_day` etc. ---------

PARTS = ("day", "month", "year")


def date_fields(form: forms.Form, prefix: str, label: str) -> None:
    form.fields[f"{prefix}_day"] = forms.CharField(label=label, required=False)
    form.fields[f"{prefix}_month"] = forms.CharField(required=False)
    form.fields[f"{prefix}_year"] = forms.CharField(required=False)


def date_initial(prefix: str, value: datetime.date | None) -> dict:
    return {
        f"{prefix}_day": value.day if value else "",
        f"{prefix}_month": value.month if value else "",
        f"{prefix}_year": value.year if value else "",
    }


def read_date(form: forms.Form, prefix: str, what: str, *, required: bool) -> datetime.date | None:
    """The date typed in the three boxes of `prefix`, or None; errors go on the day box."""
    data = form.cleaned_data
    parts = [(data.get(f"{prefix}_{p}") or "").strip() for p in PARTS]
    if not any(parts):
        if required:
            form.add_error(f"{prefix}_day", f"Enter {what}")
        return None
    missing = [name for name, part in zip(PARTS, parts, strict=True) if not part]
    if missing:
        form.add_error(
            f"{prefix}_day", f"{what[0].upper()}{what[1:]} must include a {' and '.join(missing)}"
        )
        return None
    if len(parts[2]) != 4 or not parts[2].isdigit():
        form.add_error(f"{prefix}_day", "The year must have 4 numbers, like 2021")
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1900:
            raise ValueError
        return datetime.date(year, month, day)
    except ValueError:
        form.add_error(f"{prefix}_day", f"{what[0].upper()}{what[1:]} must be a real date")
        return None

"""The one door for versioned edits: every edit page of a versioned object, and every API
handler that updates one, goes through here.

A page opens its form on the object (`VersionedForm.opened_on`), and a sent form goes through
`edit_versioned`, which calls the page's action with the version the form was opened at. When
someone else saved the object in between, the action refuses (StaleEditError, with what they
changed and who, from the audit trail) and the door gives back the form to show: the person's
own changes kept, every field they did not touch refreshed to its current value, the version and
snapshot the current ones. Sending that form again writes only the person's changes: it can never
put back an older value over someone's newer one."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from recovery.core.errors import DomainError, StaleEditError
from recovery.core.forms import VersionedForm, add_domain_error


@dataclass
class EditOutcome:
    """What became of an edit: saved (with what the action returned), refused as stale (with
    the refusal and the fields the person changed), or still to show (the form, maybe with
    errors)."""

    form: VersionedForm
    saved: bool = False
    result: Any = None
    stale: StaleEditError | None = None
    kept: dict[str, Any] = field(default_factory=dict)


def edit_versioned(
    request,
    obj: models.Model,
    *,
    form_class: type[VersionedForm],
    action: Callable[..., Any] | None = None,
    save: Callable[[VersionedForm], Any] | None = None,
    form_kwargs: dict | None = None,
    lock: Callable[[], int] | None = None,
    show_error: Callable[[VersionedForm, DomainError], None] = add_domain_error,
) -> EditOutcome:
    """Open (GET) or save (POST) the edit form of `obj`.

    The write is `action(obj, expected_version=..., changes=form.changes(), acting_user=...)`,
    or `save(form)` for an action of another shape. After a refusal the object is read again
    from the database by its key; `lock` gives its lock version now, when that is
    not the object's own (a part of a draft is locked by the draft's version)."""
    kwargs = form_kwargs or {}
    if request.method != "POST":
        return EditOutcome(form_class.opened_on(obj, lock=lock() if lock else None, **kwargs))
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        return EditOutcome(form)
    if save is None:

        def save(form: VersionedForm) -> Any:
            return action(
                obj,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                acting_user=request.user,
            )

    try:
        result = save(form)
    except StaleEditError as error:
        try:
            now = type(obj)._default_manager.get(pk=obj.pk)
        except ObjectDoesNotExist:
            # Removed since (a part of a draft): nothing to refresh; the refusal says why.
            return EditOutcome(form, stale=error)
        refreshed, kept = form.after_stale(now, error, lock=lock() if lock else None, **kwargs)
        return EditOutcome(refreshed, stale=error, kept=kept)
    except DomainError as error:
        show_error(form, error)
        return EditOutcome(form)
    return EditOutcome(form, saved=True, result=result)


def check_one_edit_each(keys: Iterable[Any], *, describe: Callable[[Any], str]) -> None:
    """Refuse a batch of edits that changes one object twice: the second would be refused as
    stale against the first, and blamed on someone else. `describe(key)` names the object."""
    seen = set()
    for key in keys:
        if key in seen:
            raise DomainError(
                f"{describe(key)} is updated more than once in this request. Send one update "
                "for each, with all its changes. Nothing has been changed."
            )
        seen.add(key)

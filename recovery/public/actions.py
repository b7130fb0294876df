"""The one write of the public app: the Governor publishes (or clears) their establishment's
note for families."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core.concurrency import update_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.public.cache import forget_establishment_page
from recovery.public.models import NOTE_MAX_LENGTH, PublicNote, PublicNoteRevision
from recovery.public.rules import EDIT_NOTE

NOTE_FIELDS = ("text",)


def note_of(establishment) -> PublicNote:
    """The establishment's note, or a new empty one (not saved) when it has never published."""
    return PublicNote.objects.filter(establishment=establishment).first() or PublicNote(
        establishment=establishment
    )


def check_note_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(NOTE_FIELDS)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    if len(str(changes.get("text", ""))) > NOTE_MAX_LENGTH:
        raise DomainError(f"The note must be {NOTE_MAX_LENGTH} characters or fewer", field="text")


def do_publish_note(
    note: PublicNote, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Publish the note's new text on the establishment's public page at once. Refused if
    someone published it after `expected_version`. Returns what changed (nothing: no change)."""
    require(acting_user, EDIT_NOTE, note.establishment)
    check_note_changes(changes)
    changes = {"text": str(changes.get("text", note.text)).strip()}
    with transaction.atomic(durable=True):
        stored, _ = PublicNote.objects.get_or_create(establishment=note.establishment)
        note.pk = stored.pk
        before, after = update_versioned(
            note,
            expected_version=expected_version,
            changes=changes,
            label=f"The public note of {note.establishment.name}",
        )
        if not after:
            return after
        now = timezone.now()
        PublicNote.objects.filter(pk=note.pk).update(published_at=now)
        note.published_at = now
        PublicNoteRevision.objects.create(
            note=note,
            text=note.text,
            published_at=now,
            published_by=acting_user,
            published_by_name=acting_user.get_full_name() or str(acting_user),
        )
        record_event(
            acting_user=acting_user,
            action="public.publish_note",
            obj=note,
            summary=f"Published the public note of {note.establishment.name}",
            before=before,
            after=after,
        )
        code = note.establishment.code
        transaction.on_commit(lambda: forget_establishment_page(code))
    return after

"""Every write to a decision log: a draft written, changed or deleted; a draft recorded; a
recorded entry superseded by a new one. Each action checks the permission first, validates
(recovery.decisions.checks), writes inside one transaction and records its audit event in it.

Recording appends to the establishment's chain with the chain's head row locked
(SELECT ... FOR UPDATE OF the head's table only), so two entries recorded at once are numbered
and linked one after the other."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core.concurrency import stale_edit_error, update_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.decisions.chain import COLUMNS, hash_of
from recovery.decisions.checks import CONTENT_FIELDS, check_content, concerns_label
from recovery.decisions.constants import GENESIS_HASH
from recovery.decisions.models import DecisionChainHead, DecisionDraft, DecisionEntry
from recovery.decisions.rules import WRITE_DECISIONS


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def _today() -> datetime.date:
    return timezone.localdate()


def _label(draft: DecisionDraft) -> str:
    return f"The draft decision “{draft.title}”"


# --- Drafts -------------------------------------------------------------------------------------


def do_create_decision_draft(establishment, *, content: dict[str, Any], acting_user):
    """Start a draft decision in the establishment's log."""
    require(acting_user, WRITE_DECISIONS, establishment)
    cleaned = check_content(establishment, content, today=_today())
    with transaction.atomic(durable=True):
        draft = DecisionDraft.objects.create(
            establishment=establishment, created_by=_person(acting_user), **cleaned
        )
        record_event(
            acting_user=acting_user,
            action="decisions.create_draft",
            obj=draft,
            summary=f"Draft decision “{draft.title}” written for {establishment.name}",
            after=cleaned,
        )
    return draft


def do_edit_decision_draft(
    draft: DecisionDraft, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change a draft; refused if someone saved it after `expected_version`. Returns the
    fields that changed."""
    establishment = draft.establishment
    require(acting_user, WRITE_DECISIONS, establishment)
    current = {name: getattr(draft, name) for name in CONTENT_FIELDS}
    cleaned = check_content(establishment, {**current, **changes}, today=_today())
    with transaction.atomic(durable=True):
        before, after = update_versioned(
            draft, expected_version=expected_version, changes=cleaned, label=_label(draft)
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="decisions.edit_draft",
                obj=draft,
                summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of the draft "
                f"decision “{draft.title}” of {establishment.name}",
                before=before,
                after=after,
            )
    return after


def _locked_draft(draft: DecisionDraft, expected_version: int) -> DecisionDraft:
    current = DecisionDraft.objects.select_for_update(of=("self",)).filter(pk=draft.pk).first()
    if current is None:
        raise DomainError(f"{_label(draft)} is no longer a draft: it has been recorded or deleted.")
    if current.version != expected_version:
        raise stale_edit_error(current, expected_version=expected_version, label=_label(current))
    return current


def do_delete_decision_draft(draft: DecisionDraft, *, expected_version: int, acting_user) -> None:
    """Delete a draft (a recorded entry can never be deleted)."""
    require(acting_user, WRITE_DECISIONS, draft.establishment)
    with transaction.atomic(durable=True):
        current = _locked_draft(draft, expected_version)
        record_event(
            acting_user=acting_user,
            action="decisions.delete_draft",
            obj=current,
            summary=f"Draft decision “{current.title}” of {current.establishment.name} deleted",
            before={"title": current.title, "decided_on": current.decided_on},
        )
        current.delete()


# --- Recording ----------------------------------------------------------------------------------


def after_chain_head_read(establishment, head: "DecisionChainHead") -> None:
    """Called between reading (and locking) the chain's head and writing the entry after it:
    nothing in service. A test replaces it to run a second recording at exactly that moment
    (recovery/decisions/tests/test_concurrency.py), which the lock must make wait."""


def _locked_head(establishment) -> DecisionChainHead:
    """The establishment's chain head, locked until the transaction ends (made on the first
    recording; two first recordings at once: the second waits, then takes the row)."""
    locked = DecisionChainHead.objects.select_for_update(of=("self",))
    head = locked.filter(establishment=establishment).first()
    if head is None:
        try:
            with transaction.atomic():
                DecisionChainHead.objects.create(
                    establishment=establishment, length=0, last_hash=GENESIS_HASH
                )
        except IntegrityError:
            pass  # made by a recording at the same moment, now committed
        head = locked.get(establishment=establishment)
    return head


def row_of(entry: DecisionEntry) -> dict[str, Any]:
    """The entry's values under the names the chain hashes (recovery.decisions.chain)."""
    return {name: getattr(entry, name) for name in COLUMNS}


def append_entry_in_transaction(
    establishment, cleaned: dict[str, Any], *, supersedes: DecisionEntry | None, acting_user
) -> DecisionEntry:
    """Add the next entry to the establishment's chain; the caller holds the transaction and
    has checked the permission and the content."""
    head = _locked_head(establishment)
    after_chain_head_read(establishment, head)
    if supersedes is not None:
        later = DecisionEntry.objects.filter(supersedes=supersedes).first()
        if later is not None:
            raise DomainError(
                f"Entry #{supersedes.sequence} has already been superseded by "
                f"#{later.sequence}. Supersede #{later.sequence} instead."
            )
    entry = DecisionEntry(
        establishment=establishment,
        sequence=head.length + 1,
        supersedes=supersedes,
        concerns_label=concerns_label(cleaned),
        recorded_at=timezone.now(),
        recorded_by=_person(acting_user),
        recorded_by_name=_name(acting_user),
        previous_hash=head.last_hash,
        **cleaned,
    )
    entry.hash = hash_of(
        row_of(entry),
        log=establishment.code,
        supersedes=(supersedes.sequence, supersedes.hash) if supersedes else None,
    )
    entry.save()
    DecisionChainHead.objects.filter(pk=head.pk).update(length=entry.sequence, last_hash=entry.hash)
    return entry


def _chain_after(entry: DecisionEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "title": entry.title,
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
    }


def do_record_decision(draft: DecisionDraft, *, expected_version: int, acting_user):
    """Record a draft: it becomes the next entry of the log, for good, and the draft goes."""
    establishment = draft.establishment
    require(acting_user, WRITE_DECISIONS, establishment)
    with transaction.atomic(durable=True):
        current = _locked_draft(draft, expected_version)
        cleaned = check_content(
            establishment,
            {name: getattr(current, name) for name in CONTENT_FIELDS},
            today=_today(),
        )
        entry = append_entry_in_transaction(
            establishment, cleaned, supersedes=None, acting_user=acting_user
        )
        record_event(
            acting_user=acting_user,
            action="decisions.record",
            obj=entry,
            summary=f"Decision #{entry.sequence} “{entry.title}” recorded in the decision log "
            f"of {establishment.name}",
            after=_chain_after(entry),
        )
        current.delete()
    return entry


def do_supersede_decision(entry: DecisionEntry, *, content: dict[str, Any], acting_user):
    """Record a new entry that corrects `entry`; both stay in the log, the earlier one read
    as "Superseded by #n"."""
    establishment = entry.establishment
    require(acting_user, WRITE_DECISIONS, establishment)
    cleaned = check_content(establishment, content, today=_today())
    with transaction.atomic(durable=True):
        new = append_entry_in_transaction(
            establishment, cleaned, supersedes=entry, acting_user=acting_user
        )
        record_event(
            acting_user=acting_user,
            action="decisions.supersede",
            obj=new,
            summary=f"Decision #{new.sequence} “{new.title}” recorded in the decision log of "
            f"{establishment.name}, superseding #{entry.sequence}",
            after={**_chain_after(new), "supersedes": entry.sequence},
        )
    return new

"""The defensible decision log of an establishment.

A decision is written as a `DecisionDraft` (editable, with optimistic locking; it may be
deleted). Recording it writes a `DecisionEntry`: the next link of the establishment's chain,
in a table the database keeps append-only (recovery.core.append_only), so a recorded entry is
never changed or removed through any door. A correction is a new entry that supersedes an
earlier one; both stay in the log. `DecisionChainHead` keeps, per establishment, how long the
chain is and the hash of its last entry, so that an entry removed from the end is noticed
(docs/decisions/0015-decision-log-hash-chain.md)."""

from django.conf import settings
from django.db import models

from recovery.core.append_only import AppendOnlyModel
from recovery.core.models import VersionedModel
from recovery.decisions.constants import ConcernKind, EntryStatus, Priority

USER = settings.AUTH_USER_MODEL


class DecisionContent(models.Model):
    """What a decision says: the same in a draft and in a recorded entry."""

    title = models.CharField(max_length=200)
    decision = models.TextField()
    rationale = models.TextField()
    options_considered = models.TextField("options considered", blank=True)
    risks_accepted = models.TextField("risks accepted", blank=True)
    concerns_kind = models.CharField("what it concerns", max_length=10, choices=ConcernKind.choices)
    priority = models.CharField(max_length=20, choices=Priority.choices, blank=True)
    metric = models.ForeignKey(
        "backlogs.Metric", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline = models.ForeignKey(
        "frameworks.Baseline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concerns_other = models.CharField("what else it concerns", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name as it was when the decision was written: kept if the account changes later.
    decided_by_name = models.CharField("decided by", max_length=200)
    decided_on = models.DateField("decided on")

    class Meta:
        abstract = True

    @property
    def scope_unit(self):
        return self.establishment


class DecisionDraft(DecisionContent, VersionedModel):
    """A decision being written: changed by its establishment's editors and Governor (a stale
    edit is refused), deleted, or recorded (which removes the draft)."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="decision_drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["establishment", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Draft decision: {self.title}"

    status = EntryStatus.DRAFT


class DecisionEntry(DecisionContent, AppendOnlyModel):
    """A recorded decision: entry number `sequence` of its establishment's log, for good.

    `hash` is the SHA-256 of the entry's canonical content (recovery.decisions.chain), which
    includes `previous_hash` (the hash of entry `sequence - 1`, or 64 zeros for the first) and
    the hash of the entry it supersedes. Never updated or deleted: the model refuses, and so
    does the database (migration 0002)."""

    append_only_refusal = (
        "A recorded decision cannot be changed or removed. Record a new entry that supersedes it."
    )

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="decision_entries"
    )
    sequence = models.PositiveIntegerField("entry number")
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The earlier entry of the same log that this one corrects",
    )
    # What the concern said when the entry was recorded (a metric or a baseline may be renamed).
    concerns_label = models.CharField(max_length=400)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["establishment", "sequence"]
        verbose_name_plural = "decision entries"
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "sequence"], name="decision_entry_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="decision_entry_sequence_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Decision #{self.sequence}: {self.title}"


class DecisionChainHead(models.Model):
    """Where each establishment's chain ends: how many entries it has and the hash of the last.
    Recording locks this row (SELECT ... FOR UPDATE), so two entries recorded at once are
    appended one after the other; verification compares the chain with it, so removing the
    last entry is noticed."""

    establishment = models.OneToOneField(
        "estate.Establishment", on_delete=models.PROTECT, related_name="decision_chain_head"
    )
    length = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Decision log of establishment {self.establishment_id}: {self.length} entries"

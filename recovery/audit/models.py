"""The audit trail: one row for every change anywhere in the service. Append-only."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from recovery.core.append_only import AppendOnlyModel, AppendOnlyQuerySet

# The one append-only mechanism (recovery.core.append_only), under the name the audit trail
# has always used.
AuditEventQuerySet = AppendOnlyQuerySet


class AuditEvent(AppendOnlyModel):
    """Who did what, to which object, when, with the values before and after.

    Rows are never updated or deleted: `save()` refuses an existing row, the queryset refuses
    bulk updates and deletes, and the database refuses both with a trigger (see migrations);
    all three from recovery.core.append_only."""

    append_only_refusal = "Audit events are append-only."

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    summary = models.CharField(max_length=500)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    object_version = models.PositiveIntegerField(null=True, blank=True)
    # The organisation unit the object belongs to: who may see the object may see its events.
    unit = models.ForeignKey(
        "estate.OrganisationUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        keys = list(dict.fromkeys([*self.before.keys(), *self.after.keys()]))
        return [(key, self.before.get(key), self.after.get(key)) for key in keys]

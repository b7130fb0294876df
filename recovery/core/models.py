"""Base models every domain shares."""

from django.db import models


class VersionedModel(models.Model):
    """An editable object with optimistic locking.

    `version` goes up by one on every saved change; an edit made against an older version is
    refused (see `recovery.core.concurrency.update_versioned`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

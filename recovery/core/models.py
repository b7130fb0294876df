"""Base models every domain shares."""

from django.conf import settings
from django.db import models


class VersionedModel(models.Model):
    """An editable object with optimistic locking.

    `version` goes up by one on every saved change; an edit made against an older version is
    refused (see `recovery.core.concurrency.update_versioned`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ProblemReport(models.Model):
    """The whole list of problems of a rejected upload, kept briefly so that the person who
    uploaded it can download it (the page shows only the first of them). Stored in the
    database, so any web server process can answer the download; only its owner may read it,
    by a random token, for PROBLEM_REPORT_MINUTES."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    total = models.PositiveIntegerField()
    # The problems as zlib-compressed JSON: [[sheet, row, column, reason], ...].
    problems = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.total} problems ({self.created_at:%Y-%m-%d %H:%M})"

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


class Job(models.Model):
    """Long work done in the background (recovery.core.jobs): queued, running, then done (with
    its result) or failed (with why, and nothing changed). `progress` is a percentage the job
    page shows while it runs; `arguments` are what the work was started with (JSON), `payload`
    an uploaded file it reads, kept in the database so any worker can read it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    arguments = models.JSONField(default=dict)
    payload = models.BinaryField(null=True, blank=True)
    result = models.JSONField(default=dict)
    unit = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def scope_unit(self):
        return self.unit

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

"""The 15 recovery workstreams that report to the Recovery Programme Board (the roadmap's
"Governance structure"), and what each reports: a RAG status with a summary (kept as a history
of updates, the last one current), milestones and issues.

- `Workstream`: one of the roadmap's 15, loaded by migration 0101 (the list is the roadmap's).
- `WorkstreamUpdate`: one status report (RAG and summary) on a date; never edited, the newest is
  the workstream's current status, the older ones are its history ("changes since the last
  report to ministers" compare against them).
- `WorkstreamMilestone` / `WorkstreamIssue`: editable (stale edits refused)."""

from django.conf import settings
from django.db import models

from recovery.core.models import VersionedModel

USER = settings.AUTH_USER_MODEL

# The roadmap's list, in its order ("Recovery Workstreams that will report to the Recovery
# Programme Board include: ..."). Migration 0101 loads it.
WORKSTREAMS = (
    "Community and post-release supervision",
    "Courts",
    "Victims",
    "Accredited Programmes",
    "Unpaid work and ETE",
    "Approved Premises and Bail Accommodation and Support Services",
    "Offender Management in Custody",
    "Public Protection",
    "Health",
    "HQ Functions",
    "Enabling infrastructure (including digital, estates, IT, supply chains, PPE)",
    "Assurance (including input from Her Majesty's Inspectorate of Probation)",
    "Trade unions",
    "Communications and engagement",
    "Contingency planning",
)


class WorkstreamRag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Workstream(VersionedModel):
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    lead = models.CharField("lead", max_length=200, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class WorkstreamUpdate(models.Model):
    """A status report to the Board. Recorded once, never edited."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="updates")
    rag = models.CharField("RAG status", max_length=10, choices=WorkstreamRag.choices)
    summary = models.TextField()
    reported_on = models.DateField("reported on")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workstream", "-reported_on", "-pk"]
        indexes = [models.Index(fields=["workstream", "-reported_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.workstream.name}: {self.get_rag_display()} on {self.reported_on}"


class WorkstreamMilestone(VersionedModel):
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField("due on")
    done_on = models.DateField("done on", null=True, blank=True)

    class Meta:
        ordering = ["workstream", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class WorkstreamIssue(VersionedModel):
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    rag = models.CharField("severity (RAG)", max_length=10, choices=WorkstreamRag.choices)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    raised_on = models.DateField("raised on")
    owner = models.CharField(max_length=200, blank=True)
    resolution = models.TextField(blank=True)
    closed_on = models.DateField("closed on", null=True, blank=True)

    class Meta:
        ordering = ["workstream", "status", "-raised_on", "pk"]

    def __str__(self) -> str:
        return self.title

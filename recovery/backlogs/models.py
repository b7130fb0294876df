"""Local Recovery Plans and backlogs: the centre's metric catalogue, each establishment's plan for
the metrics it reports (baseline, local target, owner, approach), its periodic returns (every
correction a new revision, the old one kept), the centre's data calls, and the releases in which
national and group figures are published."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recovery.backlogs.constants import (
    Aggregation,
    BacklogArea,
    DataCallKind,
    DataCallStatus,
    Direction,
    MetricUnit,
    ValueSource,
)
from recovery.core.models import VersionedModel

USER = settings.AUTH_USER_MODEL
VALUE = {"max_digits": 14, "decimal_places": 2}


class Metric(VersionedModel):
    """One backlog metric in the centre's catalogue, under one of the guide's 13 areas.

    RAG against a target (the establishment's local target, else the national one): green when
    the figure is at or better than the target, or projected to reach it by the target date;
    amber when projected to reach it within `amber_weeks` after the target date (without a target
    date: within `amber_percent` of the target); red otherwise, or when it is not clearing."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField("what it counts", blank=True)
    area = models.CharField(max_length=30, choices=BacklogArea.choices, db_index=True)
    unit = models.CharField(max_length=10, choices=MetricUnit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.LOWER)
    aggregation = models.CharField(
        max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    # For a weighted mean: the metric whose value at each establishment (same period) is the
    # weight, e.g. staff in post for leave carried over per person. None: each establishment
    # counts once (a plain mean of establishments, labelled so).
    weight_metric = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Which establishment types report it (values of estate.constants.EstablishmentType);
    # empty: every type.
    establishment_types = models.JSONField(default=list, blank=True)
    national_target = models.DecimalField(null=True, blank=True, **VALUE)
    amber_weeks = models.PositiveSmallIntegerField(
        "amber: projected to reach target within (weeks after the target date)", default=4
    )
    amber_percent = models.PositiveSmallIntegerField(
        "amber without a target date: within (% of target)", default=10
    )
    # Part of the regular return; False for a metric asked for only by ad hoc data calls.
    standard = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def reported_by(self, establishment_type: str) -> bool:
        return not self.establishment_types or establishment_type in self.establishment_types


class ReturnSettings(VersionedModel):
    """What the centre sets for returns (one row): the period, when a return is due, when
    national figures are released, the trend window and the small-number suppression rule."""

    period_days = models.PositiveSmallIntegerField(
        "period (days)", default=7, validators=[MinValueValidator(1)]
    )
    # Periods run back-to-back from this date (a Monday by default).
    first_period_start = models.DateField(default="2021-01-04")
    deadline_days = models.PositiveSmallIntegerField(
        "return due (days after the period ends)", default=3
    )
    release_delay_hours = models.PositiveSmallIntegerField(
        "figures released (hours after the return deadline)", default=24
    )
    trend_window = models.PositiveSmallIntegerField(
        "trend over the last (periods)", default=8, validators=[MinValueValidator(2)]
    )
    # Outside the establishment, a count from 1 to threshold - 1 is shown as "fewer than
    # <threshold>"; 0 switches suppression off.
    suppression_threshold = models.PositiveSmallIntegerField(
        "suppress counts below", default=5, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "return settings"
        verbose_name_plural = "return settings"

    @classmethod
    def current(cls) -> "ReturnSettings":
        return cls.objects.order_by("pk").first() or cls()


class LrpLine(VersionedModel):
    """One line of an establishment's Local Recovery Plan: for a metric it reports, where it
    started (baseline), where it means to get to and by when, who owns it and how."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="lrp_lines"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="lrp_lines")
    baseline_value = models.DecimalField(null=True, blank=True, **VALUE)
    baseline_on = models.DateField("baseline as of", null=True, blank=True)
    target_value = models.DecimalField("local target", null=True, blank=True, **VALUE)
    target_date = models.DateField("target date", null=True, blank=True)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField("owner (someone without an account)", max_length=200, blank=True)
    approach = models.TextField(blank=True)

    class Meta:
        ordering = ["establishment", "metric__order", "metric__name"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "metric"], name="one_lrp_line"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} at {self.establishment}"

    @property
    def scope_unit(self):
        return self.establishment


class Return(VersionedModel):
    """An establishment's return for one period: when it was first sent (late if after the
    deadline) and last changed. Its figures are the current `ReturnValue` rows of the period."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="returns"
    )
    period_start = models.DateField(db_index=True)
    first_submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    last_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["establishment", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "period_start"], name="one_return_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Return of {self.establishment} for the period from {self.period_start}"

    @property
    def scope_unit(self):
        return self.establishment


class ReturnValue(models.Model):
    """One figure of a return. A correction adds a new revision and marks it current; the old
    revision stays, so the history of every figure is kept. Establishment and period are copied
    from the return so that national figures read one indexed table."""

    return_record = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="values")
    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="+"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="values")
    period_start = models.DateField()
    value = models.DecimalField(**VALUE)
    revision = models.PositiveIntegerField(default=1)
    current = models.BooleanField(default=True)
    entered_at = models.DateTimeField()
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    entered_by_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=ValueSource.choices, default=ValueSource.FORM)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["establishment", "metric", "period_start", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "metric", "period_start", "revision"],
                name="one_value_per_revision",
            ),
            models.UniqueConstraint(
                fields=["establishment", "metric", "period_start"],
                condition=models.Q(current=True),
                name="one_current_value",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="value_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["metric", "period_start"],
                condition=models.Q(current=True),
                name="current_value_by_metric",
            ),
            models.Index(
                fields=["establishment", "period_start"],
                condition=models.Q(current=True),
                name="current_value_by_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} at {self.establishment}, {self.period_start}: {self.value}"

    @property
    def scope_unit(self):
        return self.establishment


class DataCall(VersionedModel):
    """The centre asks a set of establishments for a set of metrics, for one period, by a
    deadline. An establishment has answered when it has a current value for every metric."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=10, choices=DataCallKind.choices, default=DataCallKind.STANDARD
    )
    period_start = models.DateField()
    deadline = models.DateTimeField()
    metrics = models.ManyToManyField(Metric, related_name="data_calls")
    establishments = models.ManyToManyField("estate.Establishment", related_name="data_calls")
    status = models.CharField(
        max_length=10, choices=DataCallStatus.choices, default=DataCallStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # The national unit: a data call belongs to the centre (for the scope engine).
    unit = models.ForeignKey("estate.OrganisationUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_unit(self):
        return self.unit


class DataCallReminder(models.Model):
    """A reminder sent to an establishment that had not answered a data call."""

    data_call = models.ForeignKey(DataCall, on_delete=models.CASCADE, related_name="reminders")
    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Reminder of {self.data_call} to {self.establishment}"


class Release(models.Model):
    """A publication of national and group figures for one period, at a fixed time after the
    return deadline. Its figures are frozen in `ReleaseFigure` rows, so a past release reads
    the same whatever is corrected later."""

    number = models.PositiveIntegerField(unique=True)
    period_start = models.DateField(unique=True)
    published_at = models.DateTimeField(db_index=True)
    # Values entered after this moment are not in the release.
    cutoff = models.DateTimeField()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Release {self.number} (period from {self.period_start})"


class ReleaseFigure(models.Model):
    """One published figure: a metric's value for the nation or for one prison group in a
    release's period, how many establishments it covers, and whether it is suppressed."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figures")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    # The nation or a prison group.
    unit = models.ForeignKey("estate.OrganisationUnit", on_delete=models.PROTECT, related_name="+")
    # The period the figure is of: the release's own period, or (when `revised`) an earlier
    # period whose figure changed since it was last published (a correction came in late).
    period_start = models.DateField()
    revised = models.BooleanField(default=False)
    value = models.DecimalField(null=True, blank=True, **VALUE)
    establishments_reporting = models.PositiveIntegerField()
    establishments_expected = models.PositiveIntegerField()
    # Suppressed by the rule in force when it was released (it stays so whatever the rule
    # becomes; the rule in force now may suppress more: see releases.suppress).
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["release", "metric__order", "unit__path", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "metric", "unit", "period_start"],
                name="one_figure_per_release_unit_period",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "metric", "period_start"], name="release_figure_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} for {self.unit} in {self.release}"


# --- Feeds (releases engineer) -------------------------------------------------------------


class FeedToken(models.Model):
    """A secret that lets a feed reader (which cannot sign in) read one person's Atom feed of
    releases and data calls. Only its SHA-256 is kept; the link is shown to its owner once.
    It reads what its owner may read, now: a deactivated owner, or one who no longer holds a
    role that reads national or group figures, reads nothing through it."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="feed_tokens")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feed link {self.prefix}…"

    @property
    def scope_unit(self):
        return None

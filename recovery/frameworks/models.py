"""The framework library: the stage ladder, the regime element catalogue and the EDMs.

An EDM (Exceptional Delivery Model) is national guidance for one regime element at one stage of
the National Framework. Each version is loaded from a YAML file (library/edms/) and keeps that
file's text and SHA-256; its areas and baselines are rows that plans answer. Once a version is
published its content never changes: a correction is a new version."""

from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recovery.core.constants import UnitKind
from recovery.core.models import VersionedModel
from recovery.frameworks.constants import Autonomy, EdmStatus, TagColour


class Stage(VersionedModel):
    """One rung of the National Framework ladder (5 the tightest lockdown, 1 the fullest
    regime). Reference data the centre keeps: it may rename it, recolour it or reword its
    meaning without a code change."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=20, choices=TagColour.choices, default=TagColour.GREY)
    meaning = models.TextField(help_text="What this stage means, in plain English")
    # What the stage means for families and voluntary organisations (the public status page).
    visits = models.TextField("what it means for visits", blank=True)
    education = models.TextField("what it means for education", blank=True)
    work = models.TextField("what it means for work", blank=True)
    rotl = models.TextField("what it means for release on temporary licence", blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"


class RegimeElement(VersionedModel):
    """One service or activity of the prison regime (visits, education, resettlement...).
    Each EDM serves one element; the centre keeps the catalogue."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Edm(models.Model):
    """An EDM, across all its versions: "EDM 18". What each version says is on `EdmVersion`."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "EDM"

    def __str__(self) -> str:
        return f"EDM {self.number}"


class EdmVersion(VersionedModel):
    """One version of one EDM, as loaded from one YAML file or built in the service.

    Status (see `EdmStatus`): a draft may be replaced by uploading the same number and version
    again, or changed part by part by a framework author (`raw_yaml` is then rewritten to match,
    and `version`, the optimistic-locking counter, goes up with every change to the draft or any
    of its areas and baselines); a published version is immutable (its content fields refuse to
    change, its areas and baselines refuse to be saved); a withdrawn version is kept for
    history."""

    CONTENT_FIELDS = (
        "edm_id",
        "version_number",
        "title",
        "element_id",
        "stage_id",
        "applies_to",
        "issued",
        "introduction",
        "raw_yaml",
        "sha256",
    )

    edm = models.ForeignKey(Edm, on_delete=models.PROTECT, related_name="versions")
    # Not `version`: that name is the optimistic-locking counter (from VersionedModel).
    version_number = models.CharField(max_length=20, help_text="As printed, e.g. 1.0")
    version_major = models.PositiveIntegerField(editable=False)
    version_minor = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    element = models.ForeignKey(RegimeElement, on_delete=models.PROTECT, related_name="edms")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="edms")
    applies_to = models.JSONField(
        default=list, help_text="The establishment types (estate EstablishmentType) it applies to"
    )
    issued = models.DateField()
    introduction = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=EdmStatus.choices, default=EdmStatus.DRAFT, db_index=True
    )
    raw_yaml = models.TextField(help_text="The file exactly as loaded")
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["edm__number", "version_major", "version_minor"]
        verbose_name = "EDM version"
        constraints = [
            models.UniqueConstraint(fields=["edm", "version_number"], name="edm_version_unique"),
            models.UniqueConstraint(
                fields=["edm", "version_major", "version_minor"],
                name="edm_version_order_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"EDM {self.edm.number} {self.title} (version {self.version_number})"

    def save(self, *args, **kwargs):
        major, _, minor = self.version_number.partition(".")
        self.version_major, self.version_minor = int(major), int(minor or 0)
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS, "status")
            stored = stored.first()
            if stored and stored["status"] != EdmStatus.DRAFT:
                changed = [f for f in self.CONTENT_FIELDS if getattr(self, f) != stored[f]]
                if changed:
                    raise PermissionDenied("A published EDM version cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def number(self) -> int:
        return self.edm.number

    @property
    def is_draft(self) -> bool:
        return self.status == EdmStatus.DRAFT

    @cached_property
    def scope_unit(self):
        """National guidance: the version belongs to the nation, so the scope engine asks
        whether a person's role covers the nation (framework authors are appointed there)."""
        units = apps.get_model("estate", "OrganisationUnit").objects
        return units.filter(kind=UnitKind.NATION).first()


class _PartOfVersion(models.Model):
    """Areas and baselines belong to a version; once it is published they are fixed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        status = EdmVersion.objects.filter(pk=self.edm_version_id).values_list("status", flat=True)
        if status.first() != EdmStatus.DRAFT:
            raise PermissionDenied("A published EDM version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        status = EdmVersion.objects.filter(pk=self.edm_version_id).values_list("status", flat=True)
        if status.first() != EdmStatus.DRAFT:
            raise PermissionDenied("A published EDM version cannot be changed.")
        return super().delete(*args, **kwargs)


class EdmArea(_PartOfVersion):
    """One area or process of an EDM ("1. Start of sentence"), holding its baselines."""

    edm_version = models.ForeignKey(EdmVersion, on_delete=models.CASCADE, related_name="areas")
    number = models.CharField(max_length=20, help_text="As printed, e.g. 1")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["edm_version", "position"]
        verbose_name = "EDM area"
        constraints = [
            models.UniqueConstraint(fields=["edm_version", "number"], name="edm_area_number"),
            models.UniqueConstraint(fields=["edm_version", "position"], name="edm_area_position"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Baseline(_PartOfVersion):
    """One requirement of an EDM.

    `identifier` matches the same requirement across versions (it defaults to the number);
    `number` is exactly as printed ("3.1"; gaps are kept). `weighting` 3 is a precursor to other
    tasks, 2 part of wider work, 1 once others are done; a desirable baseline may have none.
    `autonomy` partial means the establishment chooses from `options`."""

    edm_version = models.ForeignKey(EdmVersion, on_delete=models.CASCADE, related_name="baselines")
    area = models.ForeignKey(EdmArea, on_delete=models.CASCADE, related_name="baselines")
    identifier = models.CharField(max_length=60)
    number = models.CharField(max_length=20)
    text = models.TextField()
    weighting = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    mandatory = models.BooleanField(default=True)
    autonomy = models.CharField(max_length=20, choices=Autonomy.choices)
    options = models.JSONField(default=list, blank=True)
    comments = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["edm_version", "area__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edm_version", "identifier"], name="baseline_identifier_unique"
            ),
            models.UniqueConstraint(fields=["edm_version", "number"], name="baseline_number"),
            models.CheckConstraint(
                condition=models.Q(weighting__isnull=True)
                | models.Q(weighting__gte=1, weighting__lte=3),
                name="baseline_weighting_1_to_3",
            ),
            models.CheckConstraint(
                condition=models.Q(mandatory=False) | models.Q(weighting__isnull=False),
                name="baseline_mandatory_has_weighting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"

    @property
    def autonomy_label(self) -> str:
        return Autonomy(self.autonomy).label

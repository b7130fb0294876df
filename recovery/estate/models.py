"""The estate: the nation, prison groups and establishments; probation regions, PDUs and offices.

Every unit is an `OrganisationUnit` in one tree with a materialised path of codes
("/HMPPS/G01/AAA/"), so "is this inside that scope?" is a prefix test that a database index
answers. Establishments and offices carry their own facts in child tables."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from recovery.core.constants import UnitKind
from recovery.core.models import VersionedModel
from recovery.core.numbers import percent
from recovery.estate.constants import (
    YOUTH_CUSTODY_TYPES,
    Category,
    EstablishmentStatus,
    EstablishmentType,
    Operator,
    categories_label,
)

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,19}$",
    "Use 1 to 20 capital letters, digits or hyphens, starting with a letter or digit",
)

PARENT_KIND = {
    UnitKind.NATION: None,
    UnitKind.PRISON_GROUP: UnitKind.NATION,
    UnitKind.ESTABLISHMENT: UnitKind.PRISON_GROUP,
    UnitKind.PROBATION_REGION: UnitKind.NATION,
    UnitKind.PDU: UnitKind.PROBATION_REGION,
    UnitKind.OFFICE: UnitKind.PDU,
}


class OrganisationUnit(VersionedModel):
    """A place in the organisation where roles are held and data belongs."""

    kind = models.CharField(max_length=20, choices=UnitKind.choices, db_index=True)
    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, kind=UnitKind.NATION)
                | models.Q(parent__isnull=False) & ~models.Q(kind=UnitKind.NATION),
                name="unit_only_nation_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def compute_path(self) -> str:
        parent_path = self.parent.path if self.parent_id else "/"
        return f"{parent_path}{self.code}/"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        super().save(*args, **kwargs)

    def contains(self, other: "OrganisationUnit") -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.strip("/").split("/")][:-1]


def validate_categories(value) -> None:
    """A list of security categories (`Category` values), each at most once."""
    if not isinstance(value, list):
        raise ValidationError("Categories must be a list", code="not_a_list")
    for item in value:
        if item not in Category.values:
            raise ValidationError(f"'{item}' is not a category", code="unknown_category")
    if len(set(value)) != len(value):
        raise ValidationError("A category is given more than once", code="repeated_category")


class Establishment(OrganisationUnit):
    """A prison, young offender institution, youth custody site or immigration removal centre.

    `categories` is a JSON list of `Category` values in `Category` order (["B", "C"]): see
    docs/decisions/0013. Capacity and population are empty (NULL) when not known, never 0."""

    establishment_type = models.CharField("type", max_length=20, choices=EstablishmentType.choices)
    status = models.CharField(
        max_length=10,
        choices=EstablishmentStatus.choices,
        default=EstablishmentStatus.OPEN,
        db_index=True,
    )
    categories = models.JSONField(default=list, blank=True, validators=[validate_categories])
    operator = models.CharField(
        "public or private", max_length=10, choices=Operator.choices, default=Operator.PUBLIC
    )
    operational_capacity = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    @property
    def is_youth_custody(self) -> bool:
        return self.establishment_type in YOUTH_CUSTODY_TYPES

    @property
    def is_closed(self) -> bool:
        return self.status == EstablishmentStatus.CLOSED

    @property
    def categories_label(self) -> str:
        return categories_label(self.categories)

    @property
    def occupancy_percent(self) -> int | None:
        """Population as a percentage of capacity; None when either is not known."""
        return percent(self.population, self.operational_capacity)


class ProbationOffice(OrganisationUnit):
    """An office of a probation delivery unit, where supervision appointments happen."""

    interview_rooms = models.PositiveIntegerField(default=0)
    opens_at = models.TimeField("opens at")
    closes_at = models.TimeField("closes at")
    days_open = models.PositiveSmallIntegerField(
        "days open a week", default=5, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="office_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(days_open__lte=7), name="office_days_open_at_most_seven"
            ),
        ]

    @property
    def opening_hours(self) -> str:
        return f"{self.opens_at:%H:%M} to {self.closes_at:%H:%M}, {self.days_open} days a week"

    @property
    def hours_open_a_week(self) -> float:
        minutes = (self.closes_at.hour * 60 + self.closes_at.minute) - (
            self.opens_at.hour * 60 + self.opens_at.minute
        )
        return minutes * self.days_open / 60


# The model of each kind of unit that has details of its own; every other kind is a plain unit.
MODEL_BY_KIND: dict[str, type[OrganisationUnit]] = {
    UnitKind.ESTABLISHMENT: Establishment,
    UnitKind.OFFICE: ProbationOffice,
}

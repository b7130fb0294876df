"""Test data for plans: published EDM versions built to order, plans started through the action,
and answers given through the action (so every state a test needs is one a user could reach)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from recovery.core.scope import TEST_DATA
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import Autonomy, EdmStatus
from recovery.frameworks.models import (
    Baseline,
    Edm,
    EdmArea,
    EdmVersion,
    RegimeElement,
    Stage,
)
from recovery.plans.actions import do_start_plan, do_update_response
from recovery.plans.models import Plan, Response

ADULT_TYPES = [
    EstablishmentType.LOCAL,
    EstablishmentType.CAT_B,
    EstablishmentType.CAT_C,
    EstablishmentType.OPEN,
    EstablishmentType.WOMENS,
    EstablishmentType.YOI,
    EstablishmentType.HIGH_SECURITY,
]
YOUTH_TYPES = [EstablishmentType.YCS_YOI, EstablishmentType.STC, EstablishmentType.SCH]


@dataclass
class B:
    """One baseline to build: number as printed, weighting, mandatory, autonomy, options."""

    number: str
    weighting: int | None = 3
    mandatory: bool = True
    autonomy: str = Autonomy.TOTAL
    options: list[str] = field(default_factory=list)
    text: str = ""
    identifier: str = ""
    area: str = "1"


def stage(number: int = 3) -> Stage:
    return Stage.objects.get(number=number)


def make_edm_version(
    number: int,
    baselines: Iterable[B],
    *,
    version: str = "1.0",
    stage_number: int = 3,
    applies_to: Iterable[str] = tuple(ADULT_TYPES),
    title: str = "",
    publish: bool = True,
) -> EdmVersion:
    element = RegimeElement.objects.order_by("pk").first() or RegimeElement.objects.create(
        code="visits", name="Visits"
    )
    edm, _ = Edm.objects.get_or_create(number=number)
    raw = f"number: {number}\nversion: '{version}'\n"
    edm_version = EdmVersion.objects.create(
        edm=edm,
        version_number=version,
        title=title or f"Illustrative EDM {number}",
        element=element,
        stage=stage(stage_number),
        applies_to=list(applies_to),
        issued="2020-07-03",
        raw_yaml=raw,
        sha256=hashlib.sha256(raw.encode()).hexdigest(),
    )
    areas: dict[str, EdmArea] = {}
    for position, spec in enumerate(baselines, start=1):
        area = areas.get(spec.area)
        if area is None:
            area = areas[spec.area] = EdmArea.objects.create(
                edm_version=edm_version,
                number=spec.area,
                title=f"Area {spec.area}",
                position=len(areas) + 1,
            )
        Baseline.objects.create(
            edm_version=edm_version,
            area=area,
            identifier=spec.identifier or spec.number,
            number=spec.number,
            text=spec.text or f"Requirement {spec.number} of EDM {number}",
            weighting=spec.weighting,
            mandatory=spec.mandatory,
            autonomy=spec.autonomy,
            options=list(spec.options),
            position=position,
        )
    if publish:
        EdmVersion.objects.filter(pk=edm_version.pk).update(status=EdmStatus.PUBLISHED)
        edm_version.refresh_from_db()
    return edm_version


def load_library_edm(filename: str) -> EdmVersion:
    """A real EDM file of the library (library/edms/), loaded and published."""
    from recovery.frameworks.actions import do_load_edm

    text = (Path(settings.BASE_DIR) / "library" / "edms" / filename).read_text()
    return do_load_edm(text, acting_user=TEST_DATA, publish=True).edm_version


def start_plan(establishment, stage_number: int = 3) -> Plan:
    return do_start_plan(establishment, stage(stage_number), acting_user=TEST_DATA)


def response_for(plan: Plan, number: str, edm: int | None = None) -> Response:
    found = Response.objects.select_related("baseline", "plan__establishment").filter(
        plan=plan, baseline__number=number, archived_at__isnull=True
    )
    if edm is not None:
        found = found.filter(baseline__edm_version__edm__number=edm)
    return found.get()


def answer(response: Response, **changes) -> Response:
    """Give an answer as the system would, through the action."""
    do_update_response(
        response, expected_version=response.version, changes=changes, acting_user=TEST_DATA
    )
    response.refresh_from_db()
    return response

"""What a decision must say before it is kept, with the words a person reads when it does not.
The form, the actions and the demo data all go through `check_content`."""

import datetime
from typing import Any

from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.decisions.constants import ConcernKind, Priority

TITLE_MAX = 200
TEXT_MAX = 10_000
OTHER_MAX = 300
DECIDERS = (Role.GOVERNOR, Role.ESTABLISHMENT_EDITOR)

# The values a decision is made of, as the actions take them (references by id).
CONTENT_FIELDS = (
    "title",
    "decision",
    "rationale",
    "options_considered",
    "risks_accepted",
    "concerns_kind",
    "priority",
    "metric_id",
    "baseline_id",
    "concerns_other",
    "decided_by_id",
    "decided_by_name",
    "decided_on",
)

LABELS = {
    "title": "Title",
    "decision": "Decision",
    "rationale": "Rationale",
    "options_considered": "Options considered",
    "risks_accepted": "Risks accepted",
}


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def deciders_of(establishment):
    """The people who may be named as having decided: the establishment's Governor and
    editors."""
    from recovery.accounts.models import User

    return (
        User.objects.filter(
            role_assignments__unit=establishment, role_assignments__role__in=DECIDERS
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def baselines_to_choose():
    """Baselines of the EDM versions plans answer (published), in library order."""
    from recovery.frameworks.constants import EdmStatus
    from recovery.frameworks.models import Baseline

    return Baseline.objects.filter(edm_version__status=EdmStatus.PUBLISHED).select_related(
        "edm_version__edm"
    )


def baseline_label(baseline) -> str:
    version = baseline.edm_version
    return f"EDM {version.edm.number} version {version.version_number}, baseline {baseline.number}"


def metrics_to_choose():
    from recovery.backlogs.models import Metric

    return Metric.objects.filter(active=True).order_by("area", "order", "name")


def check_content(
    establishment, content: dict[str, Any], *, today: datetime.date
) -> dict[str, Any]:
    """The decision's values as they will be stored, or a DomainError naming the field."""
    cleaned: dict[str, Any] = {}
    for name in ("title", "decision", "rationale"):
        cleaned[name] = _text(content.get(name))
        if not cleaned[name]:
            raise DomainError(f"Enter the {LABELS[name].lower()}", field=name)
    if len(cleaned["title"]) > TITLE_MAX:
        raise DomainError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    for name in ("options_considered", "risks_accepted"):
        cleaned[name] = _text(content.get(name))
    for name in ("decision", "rationale", "options_considered", "risks_accepted"):
        if len(cleaned[name]) > TEXT_MAX:
            raise DomainError(
                f"{LABELS[name]} must be {TEXT_MAX:,} characters or fewer", field=name
            )

    kind = content.get("concerns_kind") or ""
    if kind not in ConcernKind.values:
        raise DomainError("Choose what the decision concerns", field="concerns_kind")
    cleaned.update(
        concerns_kind=kind, priority="", metric_id=None, baseline_id=None, concerns_other=""
    )
    if kind == ConcernKind.PRIORITY:
        if content.get("priority") not in Priority.values:
            raise DomainError("Choose the recovery priority it concerns", field="priority")
        cleaned["priority"] = content["priority"]
    elif kind == ConcernKind.METRIC:
        metric_id = content.get("metric_id")
        if not metric_id or not metrics_to_choose().filter(pk=metric_id).exists():
            raise DomainError("Choose the backlog it concerns", field="metric_id")
        cleaned["metric_id"] = int(metric_id)
    elif kind == ConcernKind.BASELINE:
        baseline_id = content.get("baseline_id")
        if not baseline_id or not baselines_to_choose().filter(pk=baseline_id).exists():
            raise DomainError("Choose the EDM baseline it concerns", field="baseline_id")
        cleaned["baseline_id"] = int(baseline_id)
    else:
        cleaned["concerns_other"] = _text(content.get("concerns_other"))
        if not cleaned["concerns_other"]:
            raise DomainError("Say what the decision concerns", field="concerns_other")
        if len(cleaned["concerns_other"]) > OTHER_MAX:
            raise DomainError(
                f"What it concerns must be {OTHER_MAX} characters or fewer",
                field="concerns_other",
            )

    decided_by_id = content.get("decided_by_id")
    person = deciders_of(establishment).filter(pk=decided_by_id).first() if decided_by_id else None
    if person is None:
        raise DomainError(
            f"Choose who decided, from the Governor and editors of {establishment.name}",
            field="decided_by_id",
        )
    cleaned["decided_by_id"] = person.pk
    cleaned["decided_by_name"] = person.get_full_name() or person.email

    decided_on = content.get("decided_on")
    if not isinstance(decided_on, datetime.date):
        raise DomainError("Enter the date the decision was made", field="decided_on")
    if decided_on > today:
        raise DomainError(
            "The date the decision was made must be today or in the past", field="decided_on"
        )
    cleaned["decided_on"] = decided_on
    return cleaned


def concerns_label(content: dict[str, Any]) -> str:
    """What the decision concerns, in words (kept on a recorded entry)."""
    from recovery.backlogs.models import Metric
    from recovery.frameworks.models import Baseline

    kind = content["concerns_kind"]
    if kind == ConcernKind.PRIORITY:
        return f"Recovery priority: {Priority(content['priority']).label}"
    if kind == ConcernKind.METRIC:
        return f"Backlog: {Metric.objects.get(pk=content['metric_id']).name}"
    if kind == ConcernKind.BASELINE:
        baseline = Baseline.objects.select_related("edm_version__edm").get(
            pk=content["baseline_id"]
        )
        return baseline_label(baseline)
    return content["concerns_other"]

"""Demo Local Recovery Plans and returns: the same picture every run. Every open establishment
gets two years of weekly returns for every metric it reports, with a story per metric (some
backlogs clearing, some growing, some flat and noisy; percentages drifting up), a few returns
missed or sent late and a few figures corrected; and a plan line per metric (baseline, local
target and date, an owner, an approach). At the demo Governor's establishment the demo editor
and Governor own some lines by name.

Written in bulk (recovery.core.bulk, COPY on PostgreSQL), in one transaction with one audit
event per establishment, so that `seed_demo` stays fast: about 120 establishments x 50 metrics
x 104 weeks is some 600,000 figures. A second run adds nothing."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from recovery.audit.actions import build_event, record_events
from recovery.backlogs.constants import Direction, MetricUnit, ValueSource
from recovery.backlogs.models import LrpLine, Return, ReturnSettings, ReturnValue
from recovery.backlogs.periods import deadline_of, periods_back
from recovery.backlogs.queries import latest_period, metrics_reported_by
from recovery.core.bulk import insert_rows, insert_values
from recovery.core.scope import DEMO_DATA
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment

DEMO_DATE = datetime.date(2026, 12, 1)
WEEKS = 104
TWO_PLACES = Decimal("0.01")
VALUE_FIELDS = [
    "return_record_id",
    "establishment_id",
    "metric_id",
    "period_start",
    "value",
    "revision",
    "current",
    "entered_at",
    "entered_by_id",
    "entered_by_name",
    "source",
    "note",
]
OWNERS = {
    "annual_leave": "Head of Operations",
    "poelt": "Head of Residence",
    "training": "Head of Business Assurance",
    "non_productive_hours": "Head of Operations",
    "hub_support": "Head of Business Assurance",
    "high_risk_thematic": "Head of Safety",
    "resilience": "Head of Security",
    "education": "Head of Learning and Skills",
    "offender_management": "Head of OMU",
    "accredited_programmes": "Interventions lead",
    "health": "Head of Healthcare",
    "regime_delivery": "Deputy Governor",
    "covid_controls": "Covid lead (local SPOC)",
}
APPROACHES = {
    Direction.LOWER: (
        "Clear the oldest first; weekly review at the Senior Leadership Team.",
        "Overtime for two months, then reviewed against the regime.",
        "Virtual courses where they count; face to face for the rest.",
        "Shared with the group: places at the neighbouring establishment.",
        "Held steady while the regime expands; to be revisited at Stage 2.",
    ),
    Direction.HIGHER: (
        "Build back week by week as staffing allows.",
        "Timetable rebuilt around the new regime groups.",
    ),
}


def _anchor() -> datetime.date:
    return min(DEMO_DATE, timezone.localdate())


def load_demo() -> str:
    """Called by `seed_demo`, after the estate and the accounts."""
    from recovery.backlogs.demo_releases import load_demo_releases

    sites, figures = build_demo_returns()
    releases = load_demo_releases()
    return (
        f"Backlogs: {figures:,} weekly figures and plan lines for {sites} establishments; "
        f"{releases}"
    )


def build_demo_returns() -> tuple[int, int]:
    """Returns and plan lines for every open establishment that has no return yet. Returns
    (establishments, figures) written (0, 0 on a second run)."""
    settings = ReturnSettings.current()
    latest = latest_period(_anchor(), settings)
    periods = periods_back(latest, WEEKS, settings)
    done = set(Return.objects.values_list("establishment_id", flat=True).distinct())
    people = _demo_people()
    sites = figures = 0
    catalogue: dict[str, list] = {}
    with transaction.atomic():
        for site in Establishment.objects.filter(status=EstablishmentStatus.OPEN).order_by("code"):
            if site.pk in done:
                continue
            metrics = catalogue.get(site.establishment_type)
            if metrics is None:
                metrics = catalogue[site.establishment_type] = metrics_reported_by(site)
            figures += _site(site, metrics, periods, settings, people.get(site.pk, []))
            sites += 1
    return sites, figures


def _demo_people() -> dict[int, list]:
    """The demo accounts that hold a role at an establishment, by establishment."""
    from recovery.accounts.models import RoleAssignment

    found: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
        user__email__endswith="@demo.example", role__in=["establishment_editor", "governor"]
    ).select_related("user"):
        found.setdefault(assignment.unit_id, []).append(assignment.user)
    return found


def _start(metric, rng: random.Random, staff: int) -> float:
    """A plausible figure two years ago for an establishment of `staff` staff in post."""
    scale = staff / 400
    if metric.code == "staff-in-post":
        return staff
    if metric.unit == MetricUnit.PERCENT:
        return rng.uniform(30, 70) if metric.direction == Direction.HIGHER else rng.uniform(8, 20)
    if metric.unit == MetricUnit.DAYS:
        per_person = rng.uniform(2.0, 5.0)
        return per_person if "per-person" in metric.code else per_person * staff
    if metric.unit == MetricUnit.HOURS:
        if metric.direction == Direction.HIGHER:
            return rng.uniform(2, 6) if metric.code == "time-unlocked" else rng.uniform(20, 80)
        return rng.uniform(200, 2500) * scale
    return rng.uniform(10, 160) * scale


def _series(metric, rng: random.Random, staff: int, weeks: int) -> list[float]:
    """Two years of a metric: a story (clearing, growing or flat) with noise."""
    start = _start(metric, rng, staff)
    if metric.code == "staff-in-post":
        return [max(1.0, start + rng.gauss(0, staff * 0.01)) for _ in range(weeks)]
    story = rng.choices(("clearing", "growing", "flat"), weights=(5, 2, 3))[0]
    if metric.direction == Direction.HIGHER:
        story = "growing" if story != "flat" else "flat"
    rate = {"clearing": -rng.uniform(0.006, 0.02), "growing": rng.uniform(0.003, 0.012)}.get(
        story, 0.0
    )
    values, value = [], start
    for _ in range(weeks):
        value = max(0.0, value * (1 + rate) + rng.gauss(0, start * 0.03))
        values.append(value)
    return values


def _figure(metric, value: float) -> Decimal:
    if metric.unit == MetricUnit.PERCENT:
        value = min(100.0, value)
    if metric.unit in (MetricUnit.PEOPLE, MetricUnit.CASES) or metric.code == "staff-in-post":
        return Decimal(round(value))
    return Decimal(str(round(value, 1))).quantize(TWO_PLACES)


def _site(site, metrics, periods, settings, people) -> int:
    rng = random.Random(f"demo-backlogs-{site.code}")
    staff = round((site.operational_capacity or 500) * rng.uniform(0.55, 0.8))
    reliability = rng.random()
    missed = set(rng.sample(range(len(periods) - 1), k=int(reliability * 6)))
    late = {k for k in range(len(periods)) if rng.random() < 0.08 * (1 - reliability / 2)}
    tz = timezone.get_current_timezone()
    returns, sent = [], []
    for index, start in enumerate(periods):
        if index in missed:
            continue
        deadline = deadline_of(start, settings)
        if deadline >= _anchor() and index == len(periods) - 1 and rng.random() < 0.5:
            continue  # the week asked for now: not sent yet at half the establishments
        day = (
            deadline + datetime.timedelta(days=rng.randint(1, 5))
            if index in late
            else (deadline - datetime.timedelta(days=rng.randint(0, 2)))
        )
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz
        )
        returns.append(
            Return(
                establishment=site,
                period_start=start,
                first_submitted_at=moment,
                last_changed_at=moment,
            )
        )
        sent.append(index)
    insert_rows(Return, returns, assign_ids=True)
    values = []
    series = {metric.pk: _series(metric, rng, staff, len(periods)) for metric in metrics}
    for record, index in zip(returns, sent, strict=True):
        moment = record.first_submitted_at
        head = (record.pk, site.pk)
        tail = (moment, None, "Demo data", ValueSource.DEMO, "")
        for metric in metrics:
            figure = _figure(metric, series[metric.pk][index])
            if rng.random() < 0.004:  # corrected: the first figure sent is kept as revision 1
                first_sent = figure + 3 if figure <= 90 else figure - 3
                values.append((*head, metric.pk, record.period_start, first_sent, 1, False, *tail))
                values.append((*head, metric.pk, record.period_start, figure, 2, True, *tail))
            else:
                values.append((*head, metric.pk, record.period_start, figure, 1, True, *tail))
    # In the order of the figures' own index (metric, period), which SQLite fills fastest.
    values.sort(key=lambda row: (row[2], row[3], row[5]))
    insert_values(ReturnValue, VALUE_FIELDS, values)
    first = {metric.pk: series[metric.pk][sent[0]] for metric in metrics} if sent else {}
    lines = [
        _line(site, metric, _figure(metric, first[metric.pk]), periods[sent[0]], rng, people)
        for metric in metrics
        if sent and metric.code != "staff-in-post"
    ]
    insert_rows(LrpLine, lines)
    record_events(
        [
            build_event(
                acting_user=DEMO_DATA,
                action="backlogs.load_demo_returns",
                obj=site,
                summary=f"Demo returns of {site.name}: {len(returns)} weeks, {len(values)} "
                f"figures, {len(lines)} plan lines",
                after={"weeks": len(returns), "figures": len(values), "plan_lines": len(lines)},
            )
        ]
    )
    return len(values)


def _line(site, metric, baseline, baseline_on, rng, people) -> LrpLine:
    if metric.direction == Direction.LOWER:
        target = (baseline * Decimal(str(rng.choice((0, 0.25, 0.5))))).quantize(TWO_PLACES)
    else:
        target = min(
            Decimal(100) if metric.unit == MetricUnit.PERCENT else baseline * 2,
            (baseline * Decimal("1.4")).quantize(TWO_PLACES),
        )
    if metric.unit in (MetricUnit.PEOPLE, MetricUnit.CASES):
        target = Decimal(round(target))
    owner = rng.choice(people) if people and rng.random() < 0.4 else None
    return LrpLine(
        establishment=site,
        metric=metric,
        baseline_value=baseline,
        baseline_on=baseline_on,
        target_value=target,
        target_date=_anchor() + datetime.timedelta(weeks=rng.randint(8, 52)),
        owner=owner,
        owner_name="" if owner else OWNERS.get(metric.area, "Deputy Governor"),
        approach=rng.choice(APPROACHES[Direction(metric.direction)]),
        version=1,
    )

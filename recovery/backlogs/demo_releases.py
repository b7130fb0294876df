"""Demo releases and data calls, on whatever returns exist (seed_demo calls `load_demo_releases`
after the demo returns): a release for each of the last `DEMO_RELEASES` periods whose release
is due, published as at its due time (every one of the two years would take minutes on the
embedded database, and `make run` must start quickly), and a few data calls: the standard
return for the latest period (open, half the establishments yet to answer), an ad hoc call to
one prison group (open), and an older one closed. Everything goes through the actions, as the
demo data actor. A second run adds nothing."""

import datetime

from django.utils import timezone

from recovery.backlogs.constants import DataCallKind
from recovery.backlogs.datacalls import (
    chosen_establishments,
    do_close_data_call,
    do_create_data_call,
)
from recovery.backlogs.models import DataCall, Metric, ReturnSettings, ReturnValue
from recovery.backlogs.periods import deadline_of, previous_period
from recovery.backlogs.releases import do_publish_release, due_periods, release_time
from recovery.core.constants import UnitKind
from recovery.core.scope import DEMO_DATA
from recovery.estate.models import OrganisationUnit

DEMO_RELEASES = 12


def load_demo_releases(now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    settings = ReturnSettings.current()
    published = 0
    from recovery.backlogs.models import Release

    due = [] if Release.objects.exists() else due_periods(now, settings)[-DEMO_RELEASES:]
    for period in due:
        do_publish_release(period, acting_user=DEMO_DATA, at=release_time(period, settings))
        published += 1
    calls = _data_calls(now, settings)
    return f"Backlog releases: {published} published; {calls} data calls"


def _data_calls(now: datetime.datetime, settings: ReturnSettings) -> int:
    if DataCall.objects.exists():
        return 0
    latest = ReturnValue.objects.order_by("-period_start").values_list("period_start", flat=True)
    latest = latest.first()
    if latest is None:
        return 0
    metrics = list(Metric.objects.filter(active=True).select_related("weight_metric"))
    standard = [m for m in metrics if m.standard]
    if not standard:
        return 0
    everyone = chosen_establishments()
    made = 0

    def deadline_after(period: datetime.date) -> datetime.datetime:
        day = max(deadline_of(period, settings), timezone.localdate())
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))

    do_create_data_call(
        title=f"Weekly return: the week from {latest:%-d %B %Y}",
        description="The standard return: every metric your establishment reports.",
        kind=DataCallKind.STANDARD,
        period_start=latest,
        deadline=deadline_after(latest),
        metrics=standard,
        establishments=everyone,
        acting_user=DEMO_DATA,
    )
    made += 1

    offender = [m for m in metrics if m.area == "offender_management"][:4] or standard[:3]
    group = OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP).order_by("code").first()
    in_group = chosen_establishments(groups=[group.code]) if group else []
    if in_group:
        do_create_data_call(
            title="Offender management: where the backlog stands",
            description=(
                "Ahead of the group's recovery review: parole, categorisation and HDC work "
                "outstanding, for the latest week."
            ),
            kind=DataCallKind.AD_HOC,
            period_start=latest,
            deadline=deadline_after(latest) + datetime.timedelta(days=7),
            metrics=offender,
            establishments=in_group,
            acting_user=DEMO_DATA,
        )
        made += 1

    earlier = previous_period(previous_period(latest, settings), settings)
    old = do_create_data_call(
        title=f"Weekly return: the week from {earlier:%-d %B %Y}",
        description="The standard return: every metric your establishment reports.",
        kind=DataCallKind.STANDARD,
        period_start=earlier,
        deadline=deadline_after(earlier),
        metrics=standard,
        establishments=everyone,
        acting_user=DEMO_DATA,
    )
    do_close_data_call(old, acting_user=DEMO_DATA)
    return made + 1

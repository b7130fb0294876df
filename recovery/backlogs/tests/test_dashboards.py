"""The backlog dashboards as people read them: each metric's latest figure, rate, projected
clearance and RAG, areas at red first; the chart's words and the table beneath; group and
national figures of a release with small counts suppressed; the comparison; the exports; and
query counts that do not grow with the estate."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from recovery.backlogs import factories
from recovery.backlogs.constants import Aggregation, BacklogArea, Direction, MetricUnit
from recovery.backlogs.models import LrpLine, Release, ReturnValue
from recovery.core.constants import Role
from recovery.estate.factories import EstablishmentFactory

TODAY = timezone.localdate()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())
LATEST = MONDAY - datetime.timedelta(weeks=1)  # the last period that has ended


def weeks_back(n: int) -> datetime.date:
    return LATEST - datetime.timedelta(weeks=n)


def falling(start: int, by: int, weeks: int = 8) -> dict:
    """`weeks` weekly values ending in the latest period, falling by `by` a week."""
    return {weeks_back(weeks - 1 - i): start - by * i for i in range(weeks)}


def text_of(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture(autouse=True)
def only_the_tests_own_metrics(db):
    """The seeded catalogue retired: each test's dashboard shows only the metrics it makes."""
    from recovery.backlogs.models import Metric

    Metric.objects.update(active=False)


@pytest.fixture
def governor(small_estate, person_with_role, client):
    user = person_with_role(Role.GOVERNOR, small_estate.establishment_1)
    client.force_login(user)
    return user


@pytest.fixture
def centre(small_estate, person_with_role, client):
    user = person_with_role(Role.CENTRAL_PANEL, small_estate.nation)
    client.force_login(user)
    return user


# --- The establishment's dashboard ------------------------------------------------------------


def test_the_establishment_sees_each_metric_latest_rate_clearance_and_rag(
    small_estate, governor, client
):
    site = small_estate.establishment_1
    parole = factories.metric(
        name="Parole reports outstanding", area=BacklogArea.OFFENDER_MANAGEMENT
    )
    # 100, 90, ... 30 over 8 weeks: falling by 10 a week; 30 left: 3 weeks to zero.
    factories.series(site, parole, falling(100, 10))
    response = client.get(f"/backlogs/{site.code}/")

    assert response.status_code == 200
    text = text_of(response)
    clears = LATEST + datetime.timedelta(weeks=3)
    assert "Parole reports outstanding" in text
    assert "Falling by 10 cases a week" in text
    assert f"{clears:%-d %B %Y}" in text
    # The chart: a title, the trend in words, and the figures in the table beneath.
    body = response.content.decode()
    title = re.search(r'<title id="metric-[^"]+-title">([^<]+)</title>', body).group(1)
    assert title.startswith("Parole reports outstanding, HMP Ashgrove: 26 periods")
    desc = re.search(r'<desc id="metric-[^"]+-desc">([^<]+)</desc>', body).group(1)
    assert "falling by 10 cases a week over the last 8 periods" in desc
    assert f"projected to clear by {clears:%-d %B %Y}" in desc
    table = body[body.index('-figures"') :]
    assert f"{LATEST:%-d %B %Y}</th>" in table
    assert re.search(r"numeric\">30</td>", table)


def test_the_local_plan_target_and_date_decide_the_rag_and_red_areas_come_first(
    small_estate, governor, client
):
    site = small_estate.establishment_1
    leave = factories.metric(
        name="Leave carried over", area=BacklogArea.ANNUAL_LEAVE, unit=MetricUnit.HOURS
    )
    hdc = factories.metric(
        name="HDC cases outstanding",
        area=BacklogArea.OFFENDER_MANAGEMENT,
        national_target=Decimal(0),
    )
    # Leave: 200 falling by 5 a week, latest 165; the plan's target 100 by 4 weeks from now:
    # 13 weeks to go, far past the date (and its 4 amber weeks): red.
    factories.series(site, leave, falling(200, 5))
    LrpLine.objects.create(
        establishment=site,
        metric=leave,
        target_value=100,
        target_date=LATEST + datetime.timedelta(weeks=4),
    )
    # HDC: at zero already against the national target of 0: green.
    factories.series(site, hdc, {LATEST: 0, weeks_back(1): 2})

    text = text_of(client.get(f"/backlogs/{site.code}/"))

    assert text.index("Annual leave Red") < text.index("Offender management and sentence")
    assert "100 hours by" in text and "Local plan" in text
    assert "At or better than target" in text


def test_an_area_at_red_comes_before_an_area_earlier_in_the_guide(small_estate, governor, client):
    site = small_estate.establishment_1
    fine = factories.metric(name="Leave fine", area=BacklogArea.ANNUAL_LEAVE, national_target=50)
    rising = factories.metric(
        name="OASys outstanding", area=BacklogArea.OFFENDER_MANAGEMENT, national_target=10
    )
    factories.series(site, fine, {LATEST: 10})
    factories.series(site, rising, {weeks_back(1): 40, LATEST: 50})

    text = text_of(client.get(f"/backlogs/{site.code}/"))

    assert "Not clearing" in text
    assert text.index("Offender management and sentence progression Red") < text.index(
        "Annual leave Green"
    )


def test_a_metric_page_shows_its_figures_and_how_often_each_was_corrected(
    small_estate, governor, client
):
    site = small_estate.establishment_1
    metric = factories.metric(name="POELTs awaiting mentoring", unit=MetricUnit.PEOPLE)
    (first, second) = factories.series(site, metric, {weeks_back(1): 3, LATEST: 4})
    ReturnValue.objects.filter(pk=second.pk).update(current=False)
    ReturnValue.objects.create(
        return_record=second.return_record,
        establishment=site,
        metric=metric,
        period_start=LATEST,
        value=2,
        revision=2,
        entered_at=timezone.now(),
    )

    response = client.get(f"/backlogs/{site.code}/metrics/{metric.code}/")

    text = text_of(response)
    # The establishment's own small numbers are not suppressed.
    assert f"{LATEST:%-d %B %Y} 2 2" in text  # latest first: period, figure, revisions
    assert f"{weeks_back(1):%-d %B %Y} 3 1" in text
    assert "fewer than" not in text


def test_a_metric_the_establishment_does_not_report_is_not_found(small_estate, governor, client):
    other_type = factories.metric(establishment_types=["irc"])
    response = client.get(
        f"/backlogs/{small_estate.establishment_1.code}/metrics/{other_type.code}/"
    )
    assert response.status_code == 404


# --- National and group figures ---------------------------------------------------------------


def test_the_national_dashboard_adds_up_and_suppresses_small_counts(small_estate, centre, client):
    cases = factories.metric(name="Parole reports outstanding", unit=MetricUnit.CASES)
    hours = factories.metric(name="TOIL hours", unit=MetricUnit.HOURS)
    factories.series(small_estate.establishment_1, cases, {LATEST: 30, weeks_back(1): 1})
    factories.series(small_estate.establishment_2, cases, {LATEST: 12, weeks_back(1): 2})
    factories.series(small_estate.establishment_1, hours, {LATEST: 3})

    response = client.get("/backlogs/national/")

    text = text_of(response)
    assert "Live figures (no release published)" in text
    # 30 + 12 = 42 in the latest week, both reporting; the week before 1 + 2 = 3 cases: a count
    # under 5, suppressed. Hours are not counts of people: 3 hours shown.
    assert f"{LATEST:%-d %B %Y} 42 2 of 2" in text
    assert f"{weeks_back(1):%-d %B %Y} fewer than 5 2 of 2" in text
    assert f"{LATEST:%-d %B %Y} 3 1 of 2" in text


def test_kept_national_figures_are_added_up_again_once_a_figure_is_corrected(
    small_estate, centre, client
):
    cases = factories.metric(name="Parole reports outstanding")
    (value,) = factories.series(small_estate.establishment_1, cases, {LATEST: 30})
    factories.series(small_estate.establishment_2, cases, {LATEST: 12})
    assert f"{LATEST:%-d %B %Y} 42 2 of 2" in text_of(client.get("/backlogs/national/"))

    ReturnValue.objects.filter(pk=value.pk).update(current=False)
    ReturnValue.objects.create(
        return_record=value.return_record,
        establishment=small_estate.establishment_1,
        metric=cases,
        period_start=LATEST,
        value=20,
        revision=2,
        entered_at=timezone.now(),
    )

    assert f"{LATEST:%-d %B %Y} 32 2 of 2" in text_of(client.get("/backlogs/national/"))


def test_a_chosen_release_shows_its_period_and_says_so(small_estate, centre, client):
    cases = factories.metric(name="Parole reports outstanding")
    factories.series(small_estate.establishment_1, cases, {weeks_back(2): 40, LATEST: 99})
    Release.objects.create(
        number=7,
        period_start=weeks_back(2),
        published_at=timezone.now(),
        cutoff=timezone.now(),
    )

    response = client.get("/backlogs/national/?release=7")

    text = text_of(response)
    assert "Release 7, published" in text
    assert f"to the period starting {weeks_back(2):%-d %B %Y}" in text
    assert "99" not in text.split("Parole reports outstanding")[1].split("Period starting")[0]
    assert client.get("/backlogs/national/?release=8").status_code == 404
    assert client.get("/backlogs/national/?release=x").status_code == 404


def test_the_group_dashboard_counts_only_its_establishments(small_estate, person_with_role, client):
    client.force_login(person_with_role(Role.PGD, small_estate.group_1))
    cases = factories.metric(name="OBP waiting list")
    factories.series(small_estate.establishment_1, cases, {LATEST: 20})
    factories.series(small_estate.establishment_2, cases, {LATEST: 500})

    response = client.get(f"/backlogs/groups/{small_estate.group_1.code}/")

    text = text_of(response)
    assert f"{LATEST:%-d %B %Y} 20 1 of 1" in text
    assert "500" not in text
    assert client.get(f"/backlogs/groups/{small_estate.group_2.code}/").status_code == 404


# --- Comparison -------------------------------------------------------------------------------


def test_the_comparison_shows_chosen_establishments_small_counts_suppressed_outside_ones_own(
    small_estate, person_with_role, client
):
    own = small_estate.establishment_1
    neighbour = EstablishmentFactory(parent=small_estate.group_1, name="HMP Cedarfield")
    client.force_login(person_with_role(Role.GOVERNOR, own))
    metric = factories.metric(name="Learners who missed accreditation", unit=MetricUnit.PEOPLE)
    factories.series(own, metric, {LATEST: 3})
    factories.series(neighbour, metric, {LATEST: 4})
    factories.series(small_estate.establishment_2, metric, {LATEST: 77})

    response = client.get(
        f"/backlogs/compare/?metric={metric.code}&establishments={own.code}"
        f"&establishments={neighbour.code}&establishments={small_estate.establishment_2.code}"
    )

    text = text_of(response)
    # A governor's scope is their own establishment: the neighbour is not theirs to choose.
    assert "HMP Cedarfield" not in text
    assert "HMP Birchwood" not in text and "77" not in text
    assert f"{LATEST:%-d %B %Y} 3" in text


def test_the_centre_compares_any_establishments_with_small_counts_suppressed(
    small_estate, centre, client
):
    metric = factories.metric(name="Staff overdue PAVA", unit=MetricUnit.PEOPLE)
    factories.series(small_estate.establishment_1, metric, {LATEST: 3})
    factories.series(small_estate.establishment_2, metric, {LATEST: 40})

    response = client.get(
        f"/backlogs/compare/?metric={metric.code}&establishments=EST1&establishments=EST2"
    )

    text = text_of(response)
    assert f"{LATEST:%-d %B %Y} fewer than 5 40" in text
    csv_response = client.get(
        f"/backlogs/compare/?metric={metric.code}&establishments=EST1&establishments=EST2"
        "&format=csv"
    )
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Period starting", "HMP Ashgrove", "HMP Birchwood"]
    assert rows[-1] == [LATEST.isoformat(), "fewer than 5", "40.00"]


def test_the_comparison_asks_for_what_is_missing(small_estate, centre, client):
    text = text_of(client.get("/backlogs/compare/?metric=&periods=26"))
    assert "Select a metric" in text and "Select at least one establishment" in text


# --- Exports ----------------------------------------------------------------------------------


def test_the_dashboard_tables_download_as_xlsx_and_csv(small_estate, centre, client):
    cases = factories.metric(
        name="Parole reports outstanding", area=BacklogArea.OFFENDER_MANAGEMENT
    )
    factories.series(small_estate.establishment_1, cases, {LATEST: 30})
    factories.series(small_estate.establishment_2, cases, {LATEST: 12})

    response = client.get("/backlogs/national/?format=xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Figures", "About"]
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[1][:5] == (
        "Offender management and sentence progression",
        "Parole reports outstanding",
        "cases",
        datetime.datetime.combine(LATEST, datetime.time()),
        "42",
    )
    assert list(workbook["About"].iter_rows(values_only=True))[1][1] == (
        "Live figures (no release published)"
    )
    figures = client.get("/backlogs/national/?format=csv&table=figures")
    rows = list(csv.reader(io.StringIO(figures.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Metric",
        "Unit",
        "Period starting",
        "Figure",
        "Establishments reporting",
        "Establishments expected",
    ]
    assert rows[-1] == [
        "Parole reports outstanding",
        "cases",
        LATEST.isoformat(),
        "42.00",
        "2",
        "2",
    ]


# --- Query counts -----------------------------------------------------------------------------


def _estate_with(small_estate, sites: int):
    staff = factories.metric(unit=MetricUnit.PEOPLE)
    metrics = [
        staff,
        factories.metric(direction=Direction.HIGHER, unit=MetricUnit.PERCENT),
        factories.metric(aggregation=Aggregation.WEIGHTED_MEAN, weight_metric=staff),
    ]
    for index in range(sites):
        site = EstablishmentFactory(
            parent=small_estate.group_1 if index % 2 else small_estate.group_2
        )
        for metric in metrics:
            factories.series(site, metric, falling(100 + index, 2))
            LrpLine.objects.create(establishment=site, metric=metric, target_value=10)
    return metrics


@pytest.mark.parametrize(
    "url",
    [
        "/backlogs/national/",
        "/backlogs/groups/GRP1/",
        "/backlogs/EST1/",
        "/backlogs/compare/?metric={metric}&establishments=EST1&establishments=EST2",
    ],
)
def test_the_dashboards_queries_do_not_grow_with_the_estate(
    small_estate, centre, client, url, django_assert_num_queries
):
    metrics = _estate_with(small_estate, 2)
    url = url.format(metric=metrics[0].code)
    client.get(url)  # the session and the person's roles
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # live group and national figures are kept: count the adding up too
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _estate_with(small_estate, 20)
    cache.clear()
    with CaptureQueriesContext(connection) as bigger:
        assert client.get(url).status_code == 200
    assert len(bigger) == len(small), [q["sql"][:120] for q in bigger]
    assert len(small) <= 14

"""The national and group stage pages against a picture worked out by hand.

Six establishments with known histories (T is today; "T-30" is thirty days ago):

| code | group | type | stage history (in effect) | outbreaks |
|---|---|---|---|---|
| EST1 | GRP1 | cat C | 5 from T-300, 4 from T-100, 3 from T-3 | T-40 to T-10 |
| NAT2 | GRP1 | cat C | 5 from T-300, 5 again (a correction) T-200; 4 from T+5 | T-35 to T-20 |
| NAT3 | GRP1 | open  | 4 T-250, 3 T-60, 4 T-2 (to be ratified), 5 proposed T-1 | T-2, open |
| EST2 | GRP2 | cat C | 4 from T-150, 3 from T-20 | T-30 to T-30 (over that day) |
| NAT5 | GRP2 | local | none | T-100, open |
| NAT6 | GRP2 | cat C, CLOSED | 5 from T-300 | T-50, open |

Today: stage 5: NAT2; stage 4: NAT3; stage 3: EST1, EST2; no stage: NAT5 (5 open). In
outbreak: NAT3, NAT5 (2).
As at T-30: stage 5: NAT2; stage 4: EST1, EST2; stage 3: NAT3; no stage: NAT5. In outbreak:
EST1, NAT2, NAT5 (3).
Approved by the panel in the week to today: EST1 4 to 3 (T-5), NAT2 5 to 4 (T-1): 2 (NAT6's
approval is not counted: closed). Moved in that week: up EST1 4 to 3; back NAT3 3 to 4.
Waiting: trade union NAT3 (4 days), NAT5 (10 days); PGD EST2 (7 days); panel NAT2 (12 days);
NAT6's (closed) not counted."""

import datetime
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.covid.models import Outbreak
from recovery.estate.constants import EstablishmentStatus, EstablishmentType
from recovery.estate.factories import EstablishmentFactory, PrisonGroupFactory
from recovery.frameworks.models import Stage
from recovery.plans.models import Plan
from recovery.progression.constants import AssessmentStatus, ChangeKind, ChangeStatus, Step
from recovery.progression.models import ReadinessAssessment, SignOff, StageChange
from recovery.progression.national import Filters, stage_picture

TODAY = timezone.localdate()


def T(days: int) -> datetime.date:
    return TODAY + timedelta(days=days)


def at(days: int) -> datetime.datetime:
    """Noon, local time, `days` from today."""
    moment = datetime.datetime.combine(T(days), datetime.time(12))
    return timezone.make_aware(moment)


def change(site, number: int, days: int, *, kind=ChangeKind.INITIAL, status=ChangeStatus.IN_EFFECT):
    return StageChange.objects.create(
        establishment=site,
        stage=Stage.objects.get(number=number),
        effective_from=T(days),
        kind=kind,
        status=status,
        reason="Test history",
        decided_by_name="Test",
    )


def outbreak(site, declared: int, ended: int | None = None):
    return Outbreak.objects.create(
        establishment=site,
        declared_on=T(declared),
        ended_on=T(ended) if ended is not None else None,
        declared_by_name="Test",
    )


def assessment(site, from_number: int, to_number: int, status: str, since_days: int):
    plan, _ = Plan.objects.get_or_create(
        establishment=site, stage=Stage.objects.get(number=to_number)
    )
    return ReadinessAssessment.objects.create(
        establishment=site,
        plan=plan,
        from_stage=Stage.objects.get(number=from_number),
        to_stage=Stage.objects.get(number=to_number),
        status=status,
        status_since=at(since_days),
    )


def approved(site, from_number: int, to_number: int, days: int):
    decided = assessment(site, from_number, to_number, AssessmentStatus.APPROVED, days)
    sign_off = SignOff.objects.create(assessment=decided, step=Step.APPROVED, by_name="Panel")
    SignOff.objects.filter(pk=sign_off.pk).update(at=at(days))  # `at` is set on creation
    return decided


@pytest.fixture
def picture_estate(small_estate):
    e = small_estate
    g1, g2 = e.group_1, e.group_2
    est1, est2 = e.establishment_1, e.establishment_2
    nat2 = EstablishmentFactory(parent=g1, code="NAT2", name="HMP Cedarfield")
    nat3 = EstablishmentFactory(
        parent=g1, code="NAT3", name="HMP Dunmore", establishment_type=EstablishmentType.OPEN
    )
    nat5 = EstablishmentFactory(
        parent=g2, code="NAT5", name="HMP Elmstead", establishment_type=EstablishmentType.LOCAL
    )
    nat6 = EstablishmentFactory(
        parent=g2, code="NAT6", name="HMP Firbank", status=EstablishmentStatus.CLOSED
    )

    change(est1, 5, -300)
    change(est1, 4, -100, kind=ChangeKind.COMMENCEMENT)
    change(est1, 3, -3, kind=ChangeKind.COMMENCEMENT)
    change(nat2, 5, -300)
    change(nat2, 5, -200)
    change(nat2, 4, 5, kind=ChangeKind.COMMENCEMENT)
    change(nat3, 4, -250)
    change(nat3, 3, -60, kind=ChangeKind.COMMENCEMENT)
    change(nat3, 4, -2, kind=ChangeKind.EMERGENCY, status=ChangeStatus.TO_BE_RATIFIED)
    change(nat3, 5, -1, kind=ChangeKind.EMERGENCY, status=ChangeStatus.PROPOSED)
    change(est2, 4, -150)
    change(est2, 3, -20, kind=ChangeKind.COMMENCEMENT)
    change(nat6, 5, -300)

    outbreak(est1, -40, -10)
    outbreak(nat2, -35, -20)
    outbreak(nat3, -2)
    outbreak(est2, -30, -30)
    outbreak(nat5, -100)
    outbreak(nat6, -50)

    approved(est1, 4, 3, -5)
    approved(nat2, 5, 4, -1)
    approved(est2, 4, 3, -25)
    approved(nat6, 5, 4, -1)
    assessment(nat3, 4, 3, AssessmentStatus.AWAITING_UNION, -4)
    assessment(nat5, 4, 3, AssessmentStatus.AWAITING_UNION, -10)
    assessment(est2, 3, 2, AssessmentStatus.AWAITING_PGD, -7)
    assessment(nat2, 5, 4, AssessmentStatus.AWAITING_PANEL, -12)
    assessment(nat6, 5, 4, AssessmentStatus.AWAITING_PANEL, -50)
    return e


def counts(picture) -> dict:
    return {s.label: s.establishments for s in picture.stages}


# --- The figures, against the hand computation ------------------------------------------------


def test_stage_counts_and_outbreaks_today(picture_estate):
    picture = stage_picture(picture_estate.nation)

    assert counts(picture) == {
        "Stage 5: Lockdown": 1,
        "Stage 4: Restrict": 1,
        "Stage 3: Reduce": 2,
        "Stage 2: Prepare": 0,
        "Stage 1: Restore": 0,
        "No stage recorded": 1,
    }
    assert picture.establishments == 5
    assert picture.in_outbreak == 2
    assert {s.label: s.in_outbreak for s in picture.stages}["Stage 4: Restrict"] == 1


def test_stage_counts_and_outbreaks_as_at_a_past_date(picture_estate):
    picture = stage_picture(picture_estate.nation, T(-30))

    assert counts(picture) == {
        "Stage 5: Lockdown": 1,
        "Stage 4: Restrict": 2,
        "Stage 3: Reduce": 1,
        "Stage 2: Prepare": 0,
        "Stage 1: Restore": 0,
        "No stage recorded": 1,
    }
    assert picture.in_outbreak == 3


def test_an_outbreak_that_ended_that_day_is_over(picture_estate):
    # EST2's outbreak was declared and ended on T-30; on T-31 it had not started.
    assert stage_picture(picture_estate.nation, T(-30)).in_outbreak == 3
    assert stage_picture(picture_estate.nation, T(-31)).in_outbreak == 3  # EST1, NAT2, NAT5


def test_approved_and_moved_in_the_week(picture_estate):
    picture = stage_picture(picture_estate.nation)

    assert picture.week_from == T(-6)
    assert [(m.from_label, m.to_label, m.count) for m in picture.approvals] == [
        ("Stage 5: Lockdown", "Stage 4: Restrict", 1),
        ("Stage 4: Restrict", "Stage 3: Reduce", 1),
    ]
    assert picture.approved == 2
    assert [(m.to_label, m.count) for m in picture.moves_up] == [("Stage 3: Reduce", 1)]
    assert [(m.to_label, m.count) for m in picture.moves_back] == [("Stage 4: Restrict", 1)]


def test_approvals_of_an_earlier_week(picture_estate):
    picture = stage_picture(picture_estate.nation, T(-20))

    assert [(m.from_label, m.to_label, m.count) for m in picture.approvals] == [
        ("Stage 4: Restrict", "Stage 3: Reduce", 1)
    ]
    assert [(m.to_label, m.count) for m in picture.moves_up] == [("Stage 3: Reduce", 1)]


def test_assessments_waiting_at_each_step(picture_estate):
    picture = stage_picture(picture_estate.nation)

    assert [(w.status, w.count, w.oldest_days, w.median_days) for w in picture.waiting] == [
        ("awaiting_union", 2, 10, 7),
        ("awaiting_pgd", 1, 7, 7),
        ("awaiting_panel", 1, 12, 12),
        ("deferred", 0, None, None),
    ]


def test_longest_at_the_same_stage(picture_estate):
    today = stage_picture(picture_estate.nation)
    assert [(r.code, r.stage, r.since, r.days) for r in today.longest] == [
        ("NAT2", "Stage 5: Lockdown", T(-300), 300),  # the correction does not restart it
        ("EST2", "Stage 3: Reduce", T(-20), 20),
        ("EST1", "Stage 3: Reduce", T(-3), 3),
        ("NAT3", "Stage 4: Restrict", T(-2), 2),
    ]
    past = stage_picture(picture_estate.nation, T(-30))
    assert [(r.code, r.since, r.days) for r in past.longest] == [
        ("NAT2", T(-300), 270),
        ("EST2", T(-150), 120),
        ("EST1", T(-100), 70),
        ("NAT3", T(-60), 30),
    ]


def test_filters_by_group_and_type(picture_estate):
    by_group = stage_picture(picture_estate.nation, filters=Filters(groups=("GRP2",)))
    assert counts(by_group)["Stage 3: Reduce"] == 1
    assert counts(by_group)["No stage recorded"] == 1
    assert (by_group.establishments, by_group.in_outbreak) == (2, 1)
    assert [w.count for w in by_group.waiting] == [1, 1, 0, 0]

    by_type = stage_picture(picture_estate.nation, filters=Filters(types=("open",)))
    assert by_type.establishments == 1
    assert counts(by_type)["Stage 4: Restrict"] == 1
    assert by_type.approved == 0


def test_group_picture(picture_estate):
    picture = stage_picture(picture_estate.group_1)

    assert counts(picture) == {
        "Stage 5: Lockdown": 1,
        "Stage 4: Restrict": 1,
        "Stage 3: Reduce": 1,
        "Stage 2: Prepare": 0,
        "Stage 1: Restore": 0,
    }
    assert picture.in_outbreak == 1
    assert [g.code for g in picture.groups] == ["GRP1"]


def test_national_breakdown_by_group(picture_estate):
    picture = stage_picture(picture_estate.nation)
    # Columns: stages 5, 4, 3, 2, 1, then no stage.
    assert [(g.code, g.by_stage, g.in_outbreak) for g in picture.groups] == [
        ("GRP1", [1, 1, 1, 0, 0, 0], 1),
        ("GRP2", [0, 0, 1, 0, 0, 1], 1),
    ]


# --- The pages --------------------------------------------------------------------------------


def test_the_national_page_shows_the_figures(client, picture_estate, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    response = client.get("/progression/national/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg class="app-chart__svg" role="img"' in body
    assert '<title id="stage-chart-title">Open establishments at each stage as at' in body
    assert '<rect class="app-chart__bar app-chart__bar--' in body
    assert "style=" not in body
    assert 'id="figure-outbreak"><span class="govuk-heading-xl govuk-!-margin-bottom-1">2<' in body
    assert "Stage 5: Lockdown: 1; Stage 4: Restrict: 1; Stage 3: Reduce: 2;" in body  # <desc>
    assert 'href="/progression/group/GRP1/"' in body
    assert 'href="/progression/NAT2/"' in body
    assert "HMP Firbank" not in body  # closed


def test_the_national_page_as_at_a_past_date_from_the_form(
    client, picture_estate, person_with_role
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    day = T(-30)

    response = client.get(
        "/progression/national/",
        {"on_day": day.day, "on_month": day.month, "on_year": day.year},
    )

    body = response.content.decode()
    assert f"As at {day.day} {day:%B %Y}" in body
    assert 'id="figure-outbreak"><span class="govuk-heading-xl govuk-!-margin-bottom-1">3<' in body
    assert "Stage 4: Restrict: 2" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ({"on_day": "31", "on_month": "2", "on_year": "2021"}, "The date must be a real date"),
        ({"on_day": "3", "on_month": "", "on_year": "2021"}, "The date must include a month"),
        ({"on_day": "3", "on_month": "2", "on_year": "21"}, "The year must have 4 numbers"),
        ({"on": "yesterday"}, "Enter the date as a day, month and year"),
    ],
)
def test_a_wrong_date_is_explained_and_today_shown(
    client, picture_estate, person_with_role, query, message
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    response = client.get("/progression/national/", query)

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and message in body
    assert "(today)" in body


def test_a_future_date_is_refused(client, picture_estate, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    response = client.get("/progression/national/", {"on": T(3).isoformat()})
    assert "The date must be today or in the past" in response.content.decode()


def test_a_pgd_sees_their_group_only(client, picture_estate, person_with_role):
    client.force_login(person_with_role(Role.PGD, picture_estate.group_1))

    own = client.get("/progression/group/GRP1/")
    other = client.get("/progression/group/GRP2/")
    national = client.get("/progression/national/")

    assert own.status_code == 200
    body = own.content.decode()
    assert "HMP Cedarfield" in body and "HMP Birchwood" not in body
    assert other.status_code == 404
    assert national.status_code == 404


def test_the_group_filter_on_the_national_page(client, picture_estate, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    body = client.get("/progression/national/", {"group": "GRP2"}).content.decode()

    assert "2 open establishments that match your filters" in body
    assert "Northern Fells group</a>" not in body


def test_the_spreadsheet_states_the_date_and_the_same_figures(
    client, picture_estate, person_with_role
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    day = T(-30)

    response = client.get("/progression/national/", {"on": day.isoformat(), "format": "xlsx"})

    assert response.status_code == 200
    assert f"stages-national-{day.isoformat()}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    stages = [[c.value for c in row] for row in book["Stages"].iter_rows()]
    assert stages[0] == ["As at", "Stage", "Open establishments", "In outbreak"]
    as_at = datetime.datetime.combine(day, datetime.time())
    assert stages[1:] == [
        [as_at, "Stage 5: Lockdown", 1, 1],  # NAT2, in outbreak T-35 to T-20
        [as_at, "Stage 4: Restrict", 2, 1],
        [as_at, "Stage 3: Reduce", 1, 0],
        [as_at, "Stage 2: Prepare", 0, 0],
        [as_at, "Stage 1: Restore", 0, 0],
        [as_at, "No stage recorded", 1, 1],
        [as_at, "All stages", 5, 3],
    ]
    longest = [[c.value for c in row] for row in book["Longest at a stage"].iter_rows()]
    assert longest[1][1:4] == ["NAT2", "HMP Cedarfield", "Northern Fells group"]
    assert longest[1][6] == 270
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["As at"] == as_at
    assert about["Stage picture of"] == "England and Wales"


# --- Queries do not grow with the estate ------------------------------------------------------


def _grow(group, count: int) -> None:
    for n in range(count):
        site = EstablishmentFactory(parent=group)
        change(site, 5, -200)
        change(site, 4, -(n % 9) - 1, kind=ChangeKind.COMMENCEMENT)
        if n % 3 == 0:
            outbreak(site, -5)
        assessment(site, 4, 3, AssessmentStatus.AWAITING_PGD, -n)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/progression/national/", "/progression/group/GRP1/"])
def test_the_number_of_queries_does_not_grow_with_the_estate(
    client, small_estate, person_with_role, url
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    group = small_estate.group_1
    _grow(group, 5)
    client.get(url)  # warm the session and caches
    few = _queries(client, url + f"?on={T(-3).isoformat()}")
    _grow(PrisonGroupFactory(parent=small_estate.nation), 20)
    _grow(group, 25)
    many = _queries(client, url + f"?on={T(-3).isoformat()}")
    assert few == many


def test_the_navigation_links_the_national_picture_for_the_centre_only(
    client, picture_estate, person_with_role
):
    link = 'href="/progression/national/"'
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    assert link in client.get("/").content.decode()
    client.force_login(person_with_role(Role.PGD, picture_estate.group_1))
    assert link not in client.get("/").content.decode()


def test_the_type_filter_on_the_group_page(client, picture_estate, person_with_role):
    client.force_login(person_with_role(Role.PGD, picture_estate.group_1))

    body = client.get("/progression/group/GRP1/", {"type": "open"}).content.decode()

    assert "1 open establishment that matches your filters" in body
    assert 'href="/progression/NAT3/">HMP Dunmore</a>' in body
    assert "HMP Cedarfield" not in body

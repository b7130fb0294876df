"""The staffing hierarchy as people use it: the PDU head records a week and reads which rung
each hour came from; a day that is not a Monday, negative hours and a stale edit are refused
with the words a person reads; the region and the country read hours by rung; the prison side
reads nothing; hours_by_rung sums what each rung covered in each PDU-week; the home page asks
for the current week; the demo gives the PDU head a week with a gap."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.scope import COMMAND_LINE
from recovery.probation.staffing import hours_by_rung, hours_by_rung_by_unit, monday_of
from recovery.probation.staffing_actions import do_record_staffing_week, staffing_week_of
from recovery.probation.staffing_models import StaffingWeek

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)
ZEROS = {
    "redeployment_hours": "0",
    "returners_hours": "0",
    "other_departments_hours": "0",
    "third_sector_hours": "0",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def signed_in(client, person_with_role):
    def make(role, unit=None):
        client.force_login(person_with_role(role, unit))
        return client

    return make


def record(pdu, week, **hours):
    do_record_staffing_week(
        staffing_week_of(pdu, week),
        expected_version=staffing_week_of(pdu, week).version,
        changes={k: Decimal(str(v)) for k, v in hours.items()},
        acting_user=COMMAND_LINE,
    )


def week_url(pdu, week) -> str:
    return reverse("probation:staffing-week", args=[pdu.code, week.isoformat()])


def test_the_pdu_head_records_a_week_and_sees_which_rung_each_hour_came_from(
    small_estate, signed_in
):
    client = signed_in(Role.PDU_HEAD)
    pdu = small_estate.pdu_1
    assert client.get(week_url(pdu, MONDAY)).status_code == 200
    response = client.post(
        week_url(pdu, MONDAY),
        {
            "version": 1,
            "hours_needed": "1000",
            "existing_staff_hours": "800",
            "overtime_hours": "112.5",
            "agency_hours": "200",
            **ZEROS,
            "redeployment_hours": "300",
        },
        follow=True,
    )
    page = text(response)
    # 800 staff, 112.5 overtime, then 87.5 of the agency's 200; redeployment untouched.
    assert (
        "The staffing of Eastmoor PDU for the week starting 30 November 2026 has been saved: "
        "1,000.0 of 1,000.0 hours covered, no gap." in page
    )
    assert "30 November 2026 1,000 1,000 0 800 112.5 87.5 0 0 0 0" in page


def test_a_week_left_short_shows_its_gap(small_estate, signed_in):
    record(
        small_estate.pdu_1, MONDAY, hours_needed=500, existing_staff_hours=400, overtime_hours=60
    )
    page = text(signed_in(Role.PDU_HEAD).get(reverse("probation:staffing", args=["PDU1"])))
    assert "30 November 2026 500 460 40 400 60 0 0 0 0 0" in page


def test_a_day_that_is_not_a_monday_is_refused_and_nothing_is_saved(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    tuesday = MONDAY + datetime.timedelta(days=1)
    response = client.post(
        week_url(small_estate.pdu_1, tuesday),
        {"version": 1, "hours_needed": "10", "existing_staff_hours": "10", **ZEROS},
    )
    page = text(response)
    assert (
        "A week starts on a Monday: 1 December 2026 is a Tuesday. Its week starts on Monday "
        "30 November 2026." in page
    )
    assert not StaffingWeek.objects.exists()
    assert client.get(week_url(small_estate.pdu_1, datetime.date(2026, 2, 3))).status_code == 200
    assert (
        client.get(reverse("probation:staffing-week", args=["PDU1", "2026-02-30"])).status_code
        == 404
    )


def test_negative_hours_are_refused_by_the_form_and_by_the_action(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    response = client.post(
        week_url(small_estate.pdu_1, MONDAY),
        {
            "version": 1,
            "hours_needed": "100",
            "existing_staff_hours": "80",
            "overtime_hours": "-5",
            "agency_hours": "0",
            **ZEROS,
        },
    )
    assert "Overtime cannot be negative: enter 0 or more" in text(response)
    assert not StaffingWeek.objects.exists()
    from recovery.core.errors import DomainError

    with pytest.raises(DomainError, match="Hours from agency staff cannot be negative"):
        record(small_estate.pdu_1, MONDAY, hours_needed=10, agency_hours=-1)
    assert not StaffingWeek.objects.exists()


def test_a_stale_edit_is_refused_and_the_other_change_kept(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    pdu = small_estate.pdu_1
    record(pdu, MONDAY, hours_needed=100, existing_staff_hours=90)
    opened = client.get(week_url(pdu, MONDAY)).content.decode()
    snapshot = re.search(r'name="opened" value="([^"]*)"', opened).group(1)
    version = re.search(r'name="version" value="(\d+)"', opened).group(1)
    record(pdu, MONDAY, overtime_hours=10)  # someone else saves first (version 2)
    response = client.post(
        week_url(pdu, MONDAY),
        {
            "version": version,
            "opened": snapshot,
            "hours_needed": "100",
            "existing_staff_hours": "90",
            "overtime_hours": "0",
            "agency_hours": "5",
            **ZEROS,
        },
    )
    assert "Your changes have not been saved" in text(response)
    week = StaffingWeek.objects.get()
    assert (week.overtime_hours, week.agency_hours, week.version) == (10, 0, 3)


def test_region_and_national_pages_show_hours_by_rung(small_estate, signed_in, client):
    record(small_estate.pdu_1, MONDAY, hours_needed=500, existing_staff_hours=400, agency_hours=200)
    record(
        small_estate.pdu_2, MONDAY, hours_needed=300, existing_staff_hours=100, overtime_hours=50
    )
    signed_in(Role.PROBATION_CENTRE)
    page = text(client.get(reverse("probation:staffing-national") + "?week=2026-12-02"))
    assert "week starting 30 November 2026" in page
    # Eastmoor: 400 staff + 100 agency; Westvale: 100 staff + 50 overtime, 150 short.
    assert "Hours needed 800 Hours covered 650 Gap after every rung 150 hours short in 1 PDU" in (
        page
    )
    assert "1. Existing staff 500 500" in page
    assert "2. Overtime 50 50" in page
    assert "3. Agency staff 200 100" in page
    assert "Wolds region 1 of 1 500 400 100 0" in page
    assert "Marches region 1 of 1 300 100 50 150" in page
    region = text(
        client.get(reverse("probation:staffing-region", args=["REG1"]) + "?week=2026-11-30")
    )
    assert "Hours needed 500 Hours covered 500 Gap after every rung None" in region
    assert "Eastmoor PDU 500 400 0 100 0 0 0 0 0" in region


def test_who_sees_what(small_estate, signed_in, client):
    record(small_estate.pdu_2, MONDAY, hours_needed=10)
    signed_in(Role.PROBATION_REGION)
    assert client.get(reverse("probation:staffing-region", args=["REG1"])).status_code == 200
    assert client.get(reverse("probation:staffing-region", args=["REG2"])).status_code == 404
    assert client.get(reverse("probation:staffing", args=["PDU1"])).status_code == 200
    assert client.get(reverse("probation:staffing", args=["PDU2"])).status_code == 404
    assert client.get(reverse("probation:staffing-national")).status_code == 403
    assert client.get(week_url(small_estate.pdu_1, MONDAY)).status_code == 404
    signed_in(Role.GOVERNOR)
    assert client.get(reverse("probation:staffing", args=["PDU1"])).status_code == 404
    assert client.get(reverse("probation:staffing-national")).status_code == 403
    # A viewer held at one region reads its page, not the national one.
    signed_in(Role.VIEWER, small_estate.region_1)
    assert client.get(reverse("probation:staffing-region", args=["REG1"])).status_code == 200
    assert client.get(reverse("probation:staffing-national")).status_code == 403


def test_hours_by_rung_sums_each_pdu_weeks_own_cover(small_estate):
    later = MONDAY + datetime.timedelta(weeks=1)
    record(
        small_estate.pdu_1, MONDAY, hours_needed=100, existing_staff_hours=80, returners_hours=50
    )
    record(small_estate.pdu_1, later, hours_needed=100, existing_staff_hours=100, overtime_hours=9)
    record(small_estate.pdu_2, MONDAY, hours_needed=60, third_sector_hours=20)
    every = hours_by_rung()
    assert (every.need, every.covered, every.gap, every.entries) == (260, 220, 40, 3)
    assert every.used["returners"] == 20 and every.available["returners"] == 50
    assert every.used["overtime"] == 0 and every.available["overtime"] == 9
    assert every.used["third_sector"] == 20
    wolds = hours_by_rung(region=small_estate.region_1, weeks=[MONDAY])
    assert (wolds.need, wolds.used["existing_staff"], wolds.used["returners"]) == (100, 80, 20)
    by_region = hours_by_rung_by_unit(weeks=[MONDAY])
    assert by_region[small_estate.region_2.pk].gap == 40


def test_the_pdu_heads_home_page_asks_for_the_current_week_until_it_has_no_gap(
    small_estate, signed_in
):
    client = signed_in(Role.PDU_HEAD)
    this_week = monday_of(timezone.localdate())
    shown = f"{this_week.day} {this_week:%B %Y}"
    assert f"Nothing is recorded for the week starting {shown}" in text(client.get("/"))
    record(small_estate.pdu_1, this_week, hours_needed=100, existing_staff_hours=70)
    assert f"The week starting {shown} is 30 hours short of the 100 needed" in text(client.get("/"))
    record(small_estate.pdu_1, this_week, agency_hours=30)
    assert "Staffing this week" not in text(client.get("/"))


def test_the_demo_gives_the_pdu_head_a_week_short_and_later_rungs_used():
    from recovery.estate.factories import NationFactory, PduFactory, ProbationRegionFactory
    from recovery.probation.demo_staffing import load_demo_staffing

    nation = NationFactory()
    r01 = ProbationRegionFactory(parent=nation, code="R01")
    r02 = ProbationRegionFactory(parent=nation, code="R02")
    p01 = PduFactory(parent=r01, code="R01-P01")
    PduFactory(parent=r01, code="R01-P02")
    PduFactory(parent=r02, code="R02-P01")
    PduFactory(parent=r02, code="R02-P02")  # not the first of its region: none
    load_demo_staffing()
    assert StaffingWeek.objects.count() == 3 * 8
    this_week = monday_of(timezone.localdate())
    week = StaffingWeek.objects.get(pdu=p01, week_start=this_week)
    assert week.hours_needed > sum(week.available().values())  # a gap
    totals = hours_by_rung()
    assert totals.used["agency"] > 0 and totals.used["redeployment"] > 0
    load_demo_staffing()
    assert StaffingWeek.objects.count() == 3 * 8


@pytest.mark.parametrize("regions", [1, 6])
def test_the_staffing_reads_cost_the_same_whatever_the_estate(
    small_estate, person_with_role, django_assert_max_num_queries, regions
):
    from recovery.estate.factories import PduFactory, ProbationRegionFactory
    from recovery.probation.staffing_queries import national_staffing, region_staffing

    for _ in range(regions):
        region = ProbationRegionFactory(parent=small_estate.nation)
        for _ in range(3):
            record(PduFactory(parent=region), MONDAY, hours_needed=10, existing_staff_hours=5)
    centre = person_with_role(Role.PROBATION_CENTRE)
    with django_assert_max_num_queries(3):
        picture = national_staffing(MONDAY)
    assert picture.totals.gap == 5 * 3 * regions
    assert picture.not_recorded == 2  # the small estate's two PDUs
    with django_assert_max_num_queries(4):  # with the person's roles, read once a request
        region_staffing(centre, small_estate.region_1, MONDAY)

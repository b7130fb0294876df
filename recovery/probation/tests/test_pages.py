"""The probation pages as people use them: the steps table within each person's scope, the
capacity form and its stale-edit refusal, risk assessments refused with the words a person
reads, the decision form, and the home page blocks."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.scope import COMMAND_LINE
from recovery.probation.actions import (
    capacity_of_office,
    do_ask_step_change,
    do_update_office_capacity,
)
from recovery.probation.factories import OfficeCapacityFactory, gateway, risk_assessment
from recovery.probation.models import OfficeCapacity, OfficeRiskAssessment, StepRequest

pytestmark = pytest.mark.django_db

D = datetime.date
CHECKS = ["distancing", "screens", "one_way_routes", "rotas", "ppe_stock"]


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def signed_in(client, person_with_role):
    def make(role, unit=None, **names):
        client.force_login(person_with_role(role, unit, **names))
        return client

    return make


def test_the_centre_sees_every_region_with_its_step(small_estate, signed_in):
    gateway(2, D(2020, 6, 29))
    page = text(signed_in(Role.PROBATION_CENTRE).get(reverse("probation:steps")))
    assert "Nationally, probation is at step 2 since 29 June 2020" in page
    assert "Wolds region 2 29 June 2020 0" in page
    assert "Marches region 2 29 June 2020 0" in page
    assert "Record a gateway decision" in page


def test_a_region_sees_only_its_own_region_and_cannot_open_another(small_estate, signed_in):
    client = signed_in(Role.PROBATION_REGION)
    page = text(client.get(reverse("probation:steps")))
    assert "Wolds region" in page
    assert "Marches region" not in page
    assert "Record a gateway decision" not in page
    assert client.get(reverse("probation:region", args=["REG2"])).status_code == 404
    assert client.get(reverse("probation:gateway")).status_code == 403


def test_a_pdu_head_sees_the_step_of_their_own_region(small_estate, signed_in):
    page = text(signed_in(Role.PDU_HEAD).get(reverse("probation:steps")))
    assert "Wolds region 1 From the start 0" in page
    assert "Marches region" not in page


def test_a_pdu_held_back_shows_apart_from_its_region(small_estate, signed_in):
    from recovery.probation.factories import AgreedRequestFactory

    gateway(2, D(2020, 6, 29))
    AgreedRequestFactory(unit=small_estate.pdu_1, step=1, takes_effect_on=D(2020, 9, 1))
    page = text(signed_in(Role.PROBATION_CENTRE).get(reverse("probation:steps")))
    assert "PDUs not at their region's step" in page
    assert "Eastmoor PDU Wolds region 1 2 1 September 2020" in page


def test_a_region_asks_and_the_centre_decides_through_the_pages(
    small_estate, client, person_with_role
):
    client.force_login(person_with_role(Role.PROBATION_REGION))
    response = client.post(
        reverse("probation:request-new", args=["REG1"]),
        {"unit": "PDU1", "kind": "hold_back", "reasons": "Cases rising in Eastmoor"},
        follow=True,
    )
    assert "Your request for Eastmoor PDU to hold back has been sent" in text(response)
    request = StepRequest.objects.get()
    client.force_login(person_with_role(Role.PROBATION_CENTRE))
    url = reverse("probation:request-decide", args=[request.pk])
    refused = text(client.post(url, {"version": 1, "decision": "agree", "reasons": "Fine"}))
    assert "Enter the date it takes effect" in refused
    response = client.post(
        url,
        {
            "version": 1,
            "decision": "agree",
            "reasons": "Agreed for four weeks",
            "takes_effect_day": "1",
            "takes_effect_month": "7",
            "takes_effect_year": "2020",
        },
        follow=True,
    )
    assert "The request for Eastmoor PDU has been agreed." in text(response)


def test_the_gateway_form_shows_the_notice_refusal(small_estate, signed_in):
    response = signed_in(Role.PROBATION_CENTRE).post(
        reverse("probation:gateway"),
        {
            "step": "2",
            "decided_day": "10",
            "decided_month": "6",
            "decided_year": "2020",
            "staff_told_day": "16",
            "staff_told_month": "6",
            "staff_told_year": "2020",
            "takes_effect_day": "29",
            "takes_effect_month": "6",
            "takes_effect_year": "2020",
            "reasons": "Infection rate falling",
        },
    )
    assert response.status_code == 200
    assert "it would take effect 13 days later, on 29 June 2020" in text(response)


def _capacity_form(**overrides) -> dict:
    data = {
        "usable_rooms": "3",
        "appointment_minutes": "45",
        "cleaning_minutes": "15",
        "max_on_site": "20",
        "staff_monday": "4",
        "staff_tuesday": "4",
        "staff_wednesday": "4",
        "staff_thursday": "4",
        "staff_friday": "4",
        "staff_saturday": "0",
        "staff_sunday": "0",
        "extended_opens_at": "",
        "extended_closes_at": "",
    }
    return {**data, **overrides}


def test_the_pdu_head_records_capacity_and_sees_the_weekly_figure(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    url = reverse("probation:office-capacity", args=["OFF1"])
    opened = client.get(url).context["form"].initial
    response = client.post(
        url, {**_capacity_form(), "version": opened["version"], "opened": opened["opened"]}
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    # 3 rooms x 8 appointments (09:00 to 17:00, 45 + 15 minutes) x 5 days.
    assert "120 face-to-face appointments a week" in page
    assert "not counted towards Eastmoor PDU: no risk assessment recorded" in page


def test_a_stale_capacity_edit_is_refused_and_shown(small_estate, signed_in, person_with_role):
    client = signed_in(Role.PDU_HEAD)
    url = reverse("probation:office-capacity", args=["OFF1"])
    opened = client.get(url).context["form"].initial
    do_update_office_capacity(
        capacity_of_office(small_estate.office_1),
        expected_version=1,
        changes={"usable_rooms": 2},
        acting_user=person_with_role(Role.PDU_HEAD, first_name="Hal", last_name="Head"),
    )
    response = client.post(
        url,
        {
            **_capacity_form(usable_rooms="5"),
            "version": opened["version"],
            "opened": opened["opened"],
        },
    )
    body = text(response)
    assert "Your changes have not been saved" in body
    assert "Hal Head" in body
    assert OfficeCapacity.objects.get().usable_rooms == 2


def test_extended_hours_need_both_times(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    url = reverse("probation:office-capacity", args=["OFF1"])
    opened = client.get(url).context["form"].initial
    response = client.post(
        url,
        {
            **_capacity_form(extended_opens_at="07:30"),
            "version": opened["version"],
            "opened": opened["opened"],
        },
    )
    assert "Enter both the opening and the closing time of the extended hours" in text(response)
    assert not OfficeCapacity.objects.exists()


def test_an_office_risk_assessment_must_cover_all_five(small_estate, signed_in):
    client = signed_in(Role.PDU_HEAD)
    url = reverse("probation:office-risk", args=["OFF1"])
    data = {
        "assessed_day": "1",
        "assessed_month": "11",
        "assessed_year": "2026",
        "outcome": "safe",
        **dict.fromkeys(CHECKS[:4], "on"),
    }
    body = text(client.post(url, data))
    assert (
        "An office risk assessment must cover all five things; it did not cover: PPE stock "
        "assessed as enough for the change"
    ) in body
    assert not OfficeRiskAssessment.objects.exists()
    assert client.post(url, {**data, "ppe_stock": "on"}).status_code == 302
    assert OfficeRiskAssessment.objects.get().outcome == "safe"


def test_a_risk_assessment_in_the_future_is_refused(small_estate, signed_in):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = text(
        signed_in(Role.PDU_HEAD).post(
            reverse("probation:individual-risk", args=["OFF1"]),
            {
                "completed_day": str(tomorrow.day),
                "completed_month": str(tomorrow.month),
                "completed_year": str(tomorrow.year),
                "outcome": "return",
            },
        )
    )
    assert "The date it was completed must be today or earlier" in body


def test_the_pdu_page_adds_up_the_offices_that_count(small_estate, signed_in):
    OfficeCapacityFactory(office=small_estate.office_1)
    risk_assessment(small_estate.office_1, timezone.localdate())
    page = text(signed_in(Role.PROBATION_REGION).get(reverse("probation:pdu", args=["PDU1"])))
    assert "Face-to-face appointments a week 120" in page
    assert "Counts" in page
    assert "Record capacity" not in page  # the region reads; the PDU head records


def test_a_region_may_not_open_another_regions_pdu_or_office(small_estate, signed_in):
    client = signed_in(Role.PROBATION_REGION)
    assert client.get(reverse("probation:pdu", args=["PDU2"])).status_code == 404
    assert client.get(reverse("probation:office", args=["OFF2"])).status_code == 404
    assert client.get(reverse("probation:office-capacity", args=["OFF1"])).status_code == 404


def test_home_pages_say_what_waits(small_estate, client, person_with_role):
    do_ask_step_change(
        small_estate.pdu_1, kind="hold_back", reasons="Cases rising", acting_user=COMMAND_LINE
    )
    OfficeCapacityFactory(office=small_estate.office_1)
    risk_assessment(small_estate.office_1, timezone.localdate() - datetime.timedelta(days=200))

    client.force_login(person_with_role(Role.PROBATION_CENTRE))
    page = text(client.get("/"))
    assert "Requests for you to decide Eastmoor PDU: hold back (step 1 to step 1)" in page

    client.force_login(person_with_role(Role.PDU_HEAD))
    page = text(client.get("/"))
    assert "Requests waiting for the Business Recovery Programme Eastmoor PDU" in page
    assert "Eastmoor Road office : out of date since" in page
    assert "Face-to-face appointments a week 0, from 0 of 1 office" in page

    client.force_login(person_with_role(Role.PROBATION_REGION))
    page = text(client.get("/"))
    assert "Eastmoor Road office (Eastmoor PDU): out of date since" in page
    assert "Westvale" not in page

"""The estate in the API: what each role can read, and that nothing outside scope leaks."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recovery.accounts.actions import do_create_api_token
from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType, Operator
from recovery.estate.factories import EstablishmentFactory, OfficeFactory, PrisonGroupFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    _, secret = do_create_api_token(name="Reporting script", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def codes(items) -> list[str]:
    return [item["code"] for item in items]


# --- Establishments ---------------------------------------------------------------------------


def test_governor_reads_their_establishment(small_estate, person_with_role):
    api = client_for(person_with_role(Role.GOVERNOR))

    response = api.get("/api/v1/establishments/EST1")

    assert response.status_code == 200
    assert response.json() == {
        "code": "EST1",
        "name": "HMP Ashgrove",
        "type": "cat_c",
        "type_label": "Category C training",
        "status": "open",
        "categories": ["C"],
        "categories_label": "C",
        "category": "C",
        "operator": "public",
        "operational_capacity": 600,
        "population": 550,
        "occupancy_percent": 92,
        "youth_custody": False,
        "group": {"code": "GRP1", "name": "Northern Fells group"},
        "version": 1,
    }


@pytest.mark.parametrize("code", ["EST2", "NOSUCH"])
def test_establishment_outside_scope_is_as_missing_as_one_that_does_not_exist(
    small_estate, person_with_role, code
):
    api = client_for(person_with_role(Role.GOVERNOR))

    response = api.get(f"/api/v1/establishments/{code}")

    assert response.status_code == 404
    assert response.json() == {"detail": f"No establishment with the code {code} in your scope."}


def test_probation_role_cannot_read_an_establishment(small_estate, person_with_role):
    api = client_for(person_with_role(Role.PROBATION_CENTRE))

    assert api.get("/api/v1/establishments/EST1").status_code == 404


def test_establishment_list_holds_only_the_groups_establishments(small_estate, person_with_role):
    EstablishmentFactory(parent=small_estate.group_1, code="EST3", name="HMP Cedarbank")
    api = client_for(person_with_role(Role.PGD))

    body = api.get("/api/v1/establishments").json()

    assert body["count"] == 2
    assert codes(body["items"]) == ["EST1", "EST3"]
    assert (body["limit"], body["offset"]) == (100, 0)


def test_central_panel_lists_every_establishment(small_estate, person_with_role):
    api = client_for(person_with_role(Role.CENTRAL_PANEL))

    body = api.get("/api/v1/establishments").json()

    assert codes(body["items"]) == ["EST1", "EST2"]


def test_establishment_list_filters_by_group_type_and_operator(small_estate, person_with_role):
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="YCS1",
        name="Oakhill STC",
        establishment_type=EstablishmentType.STC,
        operator=Operator.PRIVATE,
    )
    api = client_for(person_with_role(Role.CENTRAL_PANEL))

    def listed(query: str) -> list[str]:
        return codes(api.get(f"/api/v1/establishments?{query}").json()["items"])

    assert listed("group=GRP2") == ["EST2"]
    assert listed("type=stc") == ["YCS1"]
    assert listed("operator=private") == ["YCS1"]
    assert listed("group=GRP1&operator=public") == ["EST1"]
    assert listed("group=NOSUCH") == []


def test_establishment_list_refuses_a_type_that_does_not_exist(small_estate, person_with_role):
    api = client_for(person_with_role(Role.CENTRAL_PANEL))

    response = api.get("/api/v1/establishments?type=castle")

    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "location": "query",
            "field": "type",
            "message": "Input should be 'local', 'high_security', 'cat_b', 'cat_c', 'open', "
            "'womens', 'yoi', 'ycs_yoi', 'stc', 'sch' or 'irc'",
        }
    ]


def test_establishment_list_pages_with_limit_and_offset(small_estate, person_with_role):
    for n in range(5):
        EstablishmentFactory(parent=small_estate.group_1, code=f"PG{n}", name=f"HMP Page {n}")
    api = client_for(person_with_role(Role.CENTRAL_PANEL))

    first = api.get("/api/v1/establishments?limit=3").json()
    second = api.get("/api/v1/establishments?limit=3&offset=3").json()

    assert first["count"] == second["count"] == 7
    assert codes(first["items"]) == ["EST1", "EST2", "PG0"]
    assert codes(second["items"]) == ["PG1", "PG2", "PG3"]
    assert api.get("/api/v1/establishments?limit=0").status_code == 422
    assert api.get("/api/v1/establishments?limit=501").status_code == 422


def test_probation_role_may_not_list_establishments(small_estate, person_with_role):
    api = client_for(person_with_role(Role.PDU_HEAD))

    response = api.get("/api/v1/establishments")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have access to this part of the estate."}


# --- Prison groups ----------------------------------------------------------------------------


def test_pgd_reads_their_group_with_its_establishments(small_estate, person_with_role):
    api = client_for(person_with_role(Role.PGD))

    body = api.get("/api/v1/prison-groups/GRP1").json()

    assert body["code"] == "GRP1"
    assert body["name"] == "Northern Fells group"
    assert codes(body["establishments"]) == ["EST1"]
    assert body["establishments"][0]["group"]["code"] == "GRP1"


@pytest.mark.parametrize("role", [Role.PGD, Role.GOVERNOR, Role.PDU_HEAD])
def test_group_outside_scope_is_not_found(small_estate, person_with_role, role):
    api = client_for(person_with_role(role))

    response = api.get("/api/v1/prison-groups/GRP2")

    assert response.status_code == 404
    assert "Southern" not in response.content.decode()


def test_a_region_is_not_found_at_the_prison_group_address(small_estate, person_with_role):
    api = client_for(person_with_role(Role.ADMINISTRATOR))

    assert api.get("/api/v1/prison-groups/REG1").status_code == 404


def test_group_list_holds_only_groups_in_scope(small_estate, person_with_role):
    pgd = client_for(person_with_role(Role.PGD))
    panel = client_for(person_with_role(Role.CENTRAL_PANEL))

    assert pgd.get("/api/v1/prison-groups").json() == [
        {"code": "GRP1", "name": "Northern Fells group", "establishment_count": 1}
    ]
    assert codes(panel.get("/api/v1/prison-groups").json()) == ["GRP1", "GRP2"]


# --- Probation: regions, PDUs, offices --------------------------------------------------------


def test_region_lead_reads_their_region_with_its_pdus(small_estate, person_with_role):
    api = client_for(person_with_role(Role.PROBATION_REGION))

    assert api.get("/api/v1/probation-regions").json() == [
        {"code": "REG1", "name": "Wolds region", "pdu_count": 1}
    ]
    assert api.get("/api/v1/probation-regions/REG1").json() == {
        "code": "REG1",
        "name": "Wolds region",
        "pdus": [{"code": "PDU1", "name": "Eastmoor PDU", "office_count": 1}],
    }
    assert api.get("/api/v1/probation-regions/REG2").status_code == 404


def test_pdu_head_reads_their_pdu_with_its_offices(small_estate, person_with_role):
    OfficeFactory(parent=small_estate.pdu_1, code="OFF3", name="Eastmoor Market office")
    api = client_for(person_with_role(Role.PDU_HEAD))

    body = api.get("/api/v1/pdus/PDU1").json()

    assert body["region"] == {"code": "REG1", "name": "Wolds region"}
    assert codes(body["offices"]) == ["OFF3", "OFF1"]
    assert api.get("/api/v1/pdus/PDU2").status_code == 404


def test_pdu_head_reads_an_office(small_estate, person_with_role):
    api = client_for(person_with_role(Role.PDU_HEAD))

    response = api.get("/api/v1/offices/OFF1")

    assert response.status_code == 200
    assert response.json() == {
        "code": "OFF1",
        "name": "Eastmoor Road office",
        "interview_rooms": 6,
        "opens_at": "09:00:00",
        "closes_at": "17:00:00",
        "days_open": 5,
        "hours_open_a_week": 40.0,
        "pdu": {"code": "PDU1", "name": "Eastmoor PDU"},
        "region": {"code": "REG1", "name": "Wolds region"},
        "version": 1,
    }


@pytest.mark.parametrize("role", [Role.PDU_HEAD, Role.GOVERNOR, Role.CENTRAL_PANEL])
def test_office_outside_scope_is_not_found_and_shows_nothing(small_estate, person_with_role, role):
    api = client_for(person_with_role(role))

    response = api.get("/api/v1/offices/OFF2")

    assert response.status_code == 404
    assert response.json() == {"detail": "No probation office with the code OFF2 in your scope."}


def test_prison_role_may_not_list_probation_regions(small_estate, person_with_role):
    api = client_for(person_with_role(Role.GOVERNOR))

    assert api.get("/api/v1/probation-regions").status_code == 403


def test_viewer_at_a_group_sees_no_probation_region(small_estate, person_with_role):
    api = client_for(person_with_role(Role.VIEWER, small_estate.group_1))

    assert api.get("/api/v1/probation-regions").json() == []
    assert api.get("/api/v1/probation-regions/REG1").status_code == 404


# --- A fixed number of queries whatever the estate's size --------------------------------------


def queries_for(api: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/establishments",
        "/api/v1/establishments?group=GRP1",
        "/api/v1/prison-groups",
        "/api/v1/prison-groups/GRP1",
    ],
)
def test_prison_lists_make_the_same_queries_for_thirty_establishments(
    small_estate, person_with_role, url
):
    api = client_for(person_with_role(Role.CENTRAL_PANEL))
    queries_for(api, url)  # the token's first use is written once; later calls skip it
    with_two = queries_for(api, url)
    extra_groups = [PrisonGroupFactory(parent=small_estate.nation) for _ in range(3)]
    for n in range(28):
        EstablishmentFactory(parent=[small_estate.group_1, *extra_groups][n % 4])

    with_thirty = queries_for(api, url)

    assert with_thirty == with_two
    assert with_thirty <= 5


@pytest.mark.parametrize("url", ["/api/v1/probation-regions/REG1", "/api/v1/pdus/PDU1"])
def test_probation_pages_make_the_same_queries_for_thirty_offices(
    small_estate, person_with_role, url
):
    api = client_for(person_with_role(Role.PROBATION_CENTRE))
    queries_for(api, url)  # the token's first use is written once; later calls skip it
    with_one = queries_for(api, url)
    for _ in range(29):
        OfficeFactory(parent=small_estate.pdu_1)

    assert queries_for(api, url) == with_one <= 5

"""The Covid controls API: scoped reads, a page at a time, and declaring an outbreak."""

import datetime
import json

import pytest

from recovery.accounts.actions import do_create_api_token
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.covid.actions import PpeCount, do_set_ppe_stock
from recovery.covid.factories import declare
from recovery.covid.models import Outbreak

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def make(person, method: str, path: str, body=None):
        _, secret = do_create_api_token(name="Test", acting_user=person)
        return client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )

    return make


def test_reading_an_establishments_controls(call, small_estate, person_with_role):
    ashgrove = small_estate.establishment_1
    declare(ashgrove, datetime.date(2021, 3, 1))
    do_set_ppe_stock(ashgrove, [PpeCount("gloves", 300, 500)], acting_user=TEST_DATA)

    body = call(person_with_role(Role.PGD), "GET", "/covid/EST1").json()

    assert body["in_outbreak"] is True
    assert body["open_outbreak"]["declared_on"] == "2021-03-01"
    assert body["ppe_items_short"] == 1
    gloves = next(p for p in body["ppe"] if p["item"] == "gloves")
    assert (gloves["in_stock"], gloves["needed"], gloves["short_by"]) == (300, 500, 200)


def test_an_establishment_out_of_scope_is_not_found(call, small_estate, person_with_role):
    response = call(person_with_role(Role.GOVERNOR), "GET", "/covid/EST2")

    assert response.status_code == 404
    assert "HMP Birchwood" not in response.content.decode()


def test_the_list_holds_only_establishments_in_scope(call, small_estate, person_with_role):
    declare(small_estate.establishment_2, datetime.date(2021, 3, 1))

    pgd_2 = person_with_role(Role.PGD, small_estate.group_2)
    body = call(pgd_2, "GET", "/covid?limit=10").json()
    central = call(person_with_role(Role.CENTRAL_PANEL), "GET", "/covid?limit=1&offset=1").json()

    assert [(r["establishment_code"], r["in_outbreak_since"]) for r in body["items"]] == [
        ("EST2", "2021-03-01")
    ]
    assert (central["count"], len(central["items"])) == (2, 1)
    assert central["items"][0]["establishment_code"] == "EST2"


def test_probation_people_may_not_list_covid_controls(call, small_estate, person_with_role):
    assert call(person_with_role(Role.PDU_HEAD), "GET", "/covid").status_code == 403


def test_declaring_an_outbreak(call, small_estate, person_with_role):
    response = call(
        person_with_role(Role.GOVERNOR),
        "POST",
        "/covid/EST1/outbreaks",
        {"declared_on": "2021-03-01", "cases_prisoners": 7},
    )

    assert response.status_code == 200
    assert response.json()["cases_prisoners"] == 7
    assert Outbreak.objects.get().declared_on == datetime.date(2021, 3, 1)


def test_a_second_declaration_is_refused(call, small_estate, person_with_role):
    declare(small_estate.establishment_1, datetime.date(2021, 3, 1))

    response = call(
        person_with_role(Role.GOVERNOR),
        "POST",
        "/covid/EST1/outbreaks",
        {"declared_on": "2021-03-02"},
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("HMP Ashgrove is already in outbreak")
    assert Outbreak.objects.count() == 1


def test_a_reader_cannot_declare(call, small_estate, person_with_role):
    response = call(
        person_with_role(Role.TRADE_UNION_REP),
        "POST",
        "/covid/EST1/outbreaks",
        {"declared_on": "2021-03-02"},
    )

    assert response.status_code == 404
    assert not Outbreak.objects.exists()

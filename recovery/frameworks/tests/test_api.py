"""The framework library in the API."""

import pytest
from django.test import Client

from recovery.accounts.actions import do_create_api_token
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import load_library
from recovery.frameworks.factories import DraftEdmVersionFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    _, secret = do_create_api_token(name="Library script", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def governor_api(person_with_role):
    load_library(acting_user=TEST_DATA)
    return client_for(person_with_role(Role.GOVERNOR))


def test_list_edms(governor_api):
    response = governor_api.get("/api/v1/edms")

    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "number": 18,
        "title": "YCS resettlement",
        "element": "resettlement",
        "element_name": "Resettlement",
        "stage": 3,
        "applies_to": ["ycs_yoi", "stc", "sch"],
        "current_version": "1.0",
        "latest_version": "1.0",
        "latest_status": "published",
    }
    assert [e["number"] for e in response.json()] == [18, 901, 902, 903, 904]


def test_versions_of_one_edm(governor_api):
    response = governor_api.get("/api/v1/edms/901/versions")

    assert [(v["version"], v["status"]) for v in response.json()] == [
        ("1.0", "published"),
        ("1.1", "published"),
    ]


def test_one_version_in_full(governor_api):
    response = governor_api.get("/api/v1/edms/18/versions/1.0")

    body = response.json()
    assert response.status_code == 200
    assert [a["number"] for a in body["areas"]] == ["1", "2", "3", "4", "5"]
    resettlement = body["areas"][2]["baselines"]
    assert [b["number"] for b in resettlement] == ["3.1", "3.3", "3.4", "3.5", "3.6", "3.7"]
    assert resettlement[0]["autonomy"] == "partial"
    assert len(resettlement[0]["options"]) == 3
    assert resettlement[0]["id"] == "3.1"
    assert len(body["sha256"]) == 64


def test_the_diff_of_a_version(governor_api):
    response = governor_api.get("/api/v1/edms/901/versions/1.1/diff")

    body = response.json()
    assert body["old_version"] == "1.0"
    assert body["summary"] == "Against version 1.0: 1 added, 1 removed, 2 changed, 4 unchanged"
    kinds = {c["id"]: c["kind"] for c in body["changes"]}
    assert kinds == {
        "visits-face-coverings": "added",
        "visits-session-length": "changed",
        "visits-children": "changed",
        "visits-family-days": "removed",
    }
    children = next(c for c in body["changes"] if c["id"] == "visits-children")
    assert {"field": "weighting", "before": 1, "after": 2} in children["changes"]


def test_a_draft_is_not_found_for_a_reader_but_found_for_an_author(person_with_role):
    DraftEdmVersionFactory(number=950)
    reader = client_for(person_with_role(Role.GOVERNOR))
    author = client_for(person_with_role(Role.FRAMEWORK_AUTHOR))

    assert reader.get("/api/v1/edms/950/versions/1.0").status_code == 404
    assert reader.get("/api/v1/edms/950/versions").status_code == 404
    assert reader.get("/api/v1/edms").json() == []
    assert author.get("/api/v1/edms/950/versions/1.0").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/edms",
        "/api/v1/edms/18/versions",
        "/api/v1/edms/18/versions/1.0",
        "/api/v1/edms/18/versions/1.0/diff",
    ],
)
def test_probation_roles_are_refused(person_with_role, url):
    load_library(acting_user=TEST_DATA)
    api = client_for(person_with_role(Role.PDU_HEAD))

    response = api.get(url)

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have access to the framework library."}


def test_no_token_no_library(db):
    assert Client().get("/api/v1/edms").status_code == 401

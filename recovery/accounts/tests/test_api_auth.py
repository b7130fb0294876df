"""The API's door: only a usable bearer token opens it, every refusal is logged without the
secret, and the OpenAPI description is public."""

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from recovery.accounts.actions import (
    do_create_api_token,
    do_revoke_api_token,
    do_set_user_active,
)
from recovery.accounts.api_auth import REFUSAL
from recovery.accounts.models import ApiToken
from recovery.core.constants import Role
from recovery.core.pages import PAGES, PUBLIC_URL_NAMES
from recovery.core.scope import TEST_DATA

pytestmark = pytest.mark.django_db

UNAUTHORISED = {"detail": REFUSAL}


@pytest.fixture
def governor(small_estate, person_with_role):
    return person_with_role(Role.GOVERNOR, first_name="Alys", last_name="Fenwick")


@pytest.fixture
def token_and_secret(governor):
    return do_create_api_token(name="Weekly report", acting_user=governor)


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def assert_refused(response) -> None:
    assert response.status_code == 401
    assert response.json() == UNAUTHORISED
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_usable_token_answers_who_its_owner_is(governor, token_and_secret):
    token, secret = token_and_secret

    response = bearer(secret).get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == governor.email
    assert body["name"] == "Alys Fenwick"
    assert body["token_name"] == "Weekly report"
    assert body["roles"] == [
        {
            "role": "governor",
            "role_label": "Governor or Director",
            "unit": {"code": "EST1", "name": "HMP Ashgrove", "kind": "establishment"},
        }
    ]


def test_the_scheme_name_is_not_case_sensitive(token_and_secret):
    _, secret = token_and_secret
    api = Client(headers={"Authorization": f"bearer {secret}"})

    assert api.get("/api/v1/me").status_code == 200


def test_using_a_token_records_when_it_was_last_used(token_and_secret):
    token, secret = token_and_secret
    assert token.last_used_at is None
    before = timezone.now()

    bearer(secret).get("/api/v1/me")

    token.refresh_from_db()
    assert token.last_used_at >= before


def test_last_used_is_kept_to_the_minute_not_written_on_every_call(token_and_secret):
    token, secret = token_and_secret
    half_a_minute_ago = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=half_a_minute_ago)

    bearer(secret).get("/api/v1/me")

    token.refresh_from_db()
    assert token.last_used_at == half_a_minute_ago


def test_no_token_is_refused(governor, caplog):
    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        response = Client().get("/api/v1/me")

    assert_refused(response)
    assert "no bearer token" in caplog.text


@pytest.mark.parametrize(
    "header", ["Basic YWxpY2U6cGFzc3dvcmQ=", "Token rcv_abc", "Bearer", "Bearer   "]
)
def test_anything_but_a_bearer_token_is_refused(governor, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/me")

    assert_refused(response)


def test_a_garbage_token_is_refused_and_none_of_it_is_logged(governor, caplog):
    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        response = bearer("my-password-pasted-by-mistake").get("/api/v1/me")

    assert_refused(response)
    assert "unknown token" in caplog.text
    assert "my-pass" not in caplog.text


def test_an_unknown_token_of_our_format_logs_only_its_prefix(governor, caplog):
    secret = "rcv_" + "x" * 43
    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        assert_refused(bearer(secret).get("/api/v1/me"))

    assert "rcv_xxxxxxxx" in caplog.text
    assert secret not in caplog.text


def test_an_expired_token_is_refused(token_and_secret, caplog):
    token, secret = token_and_secret
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        response = bearer(secret).get("/api/v1/establishments/EST1")

    assert_refused(response)
    assert "HMP Ashgrove" not in response.content.decode()
    assert "expired token" in caplog.text
    assert token.prefix in caplog.text
    assert secret not in caplog.text


def test_a_revoked_token_is_refused(governor, token_and_secret, caplog):
    token, secret = token_and_secret
    do_revoke_api_token(token, acting_user=governor)

    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        response = bearer(secret).get("/api/v1/establishments/EST1")

    assert_refused(response)
    assert "revoked token" in caplog.text


def test_a_deactivated_persons_token_is_refused(governor, token_and_secret, caplog):
    _, secret = token_and_secret
    do_set_user_active(governor, active=False, acting_user=TEST_DATA)

    with caplog.at_level(logging.WARNING, logger="recovery.security"):
        response = bearer(secret).get("/api/v1/me")

    assert_refused(response)
    assert "deactivated person" in caplog.text


def test_a_refused_token_is_not_marked_as_used(governor, token_and_secret):
    token, secret = token_and_secret
    do_revoke_api_token(token, acting_user=governor)

    bearer(secret).get("/api/v1/me")

    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_signed_in_browser_session_does_not_open_the_api(governor):
    browser = Client()
    browser.force_login(governor)

    assert_refused(browser.get("/api/v1/establishments/EST1"))


def test_the_token_decides_who_is_calling_not_the_session(
    small_estate, person_with_role, governor, token_and_secret
):
    _, secret = token_and_secret
    other = person_with_role(Role.CENTRAL_PANEL)
    api = bearer(secret)
    api.force_login(other)

    assert api.get("/api/v1/me").json()["email"] == governor.email
    assert api.get("/api/v1/establishments/EST2").status_code == 404


# --- The OpenAPI description ------------------------------------------------------------------


def test_openapi_description_is_public_and_describes_the_bearer_scheme(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"] == {
        "ApiTokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert {
        "/api/v1/me",
        "/api/v1/establishments",
        "/api/v1/establishments/{code}",
        "/api/v1/prison-groups",
        "/api/v1/prison-groups/{code}",
        "/api/v1/probation-regions",
        "/api/v1/probation-regions/{code}",
        "/api/v1/pdus/{code}",
        "/api/v1/offices/{code}",
    } <= set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"ApiTokenAuth": []}], f"{method} {path}"


def test_every_field_the_api_answers_is_described(db):
    schema = Client().get("/api/v1/openapi.json").json()

    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == []


def test_every_endpoint_is_in_the_page_registry(db):
    """The permission-matrix test walks the registry, so an endpoint missing from it would go
    untested for who may use it."""
    schema = Client().get("/api/v1/openapi.json").json()

    endpoints = {
        f"api:{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert endpoints - set(PAGES) == set()
    assert "api:GET /api/v1/openapi.json" in PUBLIC_URL_NAMES

"""API tokens: each person makes, sees and revokes only their own; a secret is shown once."""

import re

import pytest

from recovery.accounts.actions import do_create_api_token
from recovery.accounts.models import ApiToken
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role

TOKENS = "/account/tokens/"


@pytest.fixture
def owner(person_with_role):
    return person_with_role(Role.GOVERNOR, first_name="Olive", last_name="Owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def shown_secret(body: str) -> str | None:
    match = re.search(r'id="new-token-secret" type="text" value="([^"]+)"', body)
    return match.group(1) if match else None


def test_no_tokens_yet(owner_client):
    response = owner_client.get(TOKENS)
    assert response.status_code == 200
    assert "You have no API tokens." in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_making_a_token_shows_its_secret_exactly_once(owner_client, owner):
    response = owner_client.post(TOKENS, {"name": "Returns script", "days": "30"})

    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Returns script"
    assert (token.expires_at - token.created_at).days in {29, 30}

    first = owner_client.get(TOKENS)
    secret = shown_secret(first.content.decode())
    assert secret and secret.startswith(token.prefix)
    assert ApiToken.hash_secret(secret) == token.key_hash
    assert "no-store" in first["Cache-Control"]
    assert "You will not be able to see it again." in first.content.decode()

    again = owner_client.get(TOKENS).content.decode()
    assert shown_secret(again) is None
    assert secret not in again
    assert "Returns script" in again

    event = AuditEvent.objects.get(action="accounts.create_api_token")
    assert event.actor == owner
    assert event.after["name"] == "Returns script"


def test_days_default_to_ninety(owner_client, owner):
    owner_client.post(TOKENS, {"name": "Default", "days": ""})
    token = ApiToken.objects.get(user=owner)
    assert (token.expires_at - token.created_at).days in {89, 90}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "days": "30"}, "name", "Enter a name for the token"),
        ({"name": "   ", "days": "30"}, "name", "Enter a name for the token"),
        ({"name": "Script", "days": "0"}, "days", "A token must last between 1 and 365 days"),
        ({"name": "Script", "days": "366"}, "days", "A token must last between 1 and 365 days"),
        (
            {"name": "Script", "days": "ten"},
            "days",
            "Enter the number of days as a whole number, like 90",
        ),
    ],
)
def test_bad_input_is_named_and_kept(owner_client, data, field, message):
    response = owner_client.post(TOKENS, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in body
    assert f'value="{data["days"]}"' in body
    assert not ApiToken.objects.exists()


def test_revoking_a_token_shows_it_as_revoked(owner_client, owner):
    owner_client.post(TOKENS, {"name": "Returns script", "days": "30"})
    token = ApiToken.objects.get(user=owner)
    assert 'govuk-tag--green">Active</strong>' in owner_client.get(TOKENS).content.decode()

    response = owner_client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response["Location"] == TOKENS
    body = owner_client.get(TOKENS).content.decode()
    assert "Token &#x27;Returns script&#x27; has been revoked" in body
    assert '<strong class="govuk-tag govuk-tag--red">Revoked</strong>' in body
    assert f'action="/account/tokens/{token.pk}/revoke/"' not in body
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="accounts.revoke_api_token")
    assert event.actor == owner
    assert event.before == {"revoked_at": None}


def test_revoking_twice_says_so(owner_client, owner):
    token, _ = do_create_api_token(name="Script", acting_user=owner)
    owner_client.post(f"/account/tokens/{token.pk}/revoke/")
    owner_client.post(f"/account/tokens/{token.pk}/revoke/")
    body = owner_client.get(TOKENS).content.decode()
    assert "This token has already been revoked." in body
    assert AuditEvent.objects.filter(action="accounts.revoke_api_token").count() == 1


def test_revoke_is_a_post(owner_client, owner):
    token, _ = do_create_api_token(name="Script", acting_user=owner)
    assert owner_client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405


def test_nobody_sees_or_revokes_anothers_token(client, owner, person_with_role):
    token, _ = do_create_api_token(name="Olive's secret script", acting_user=owner)
    client.force_login(person_with_role(Role.ADMINISTRATOR))

    body = client.get(TOKENS).content.decode()
    assert "Olive&#x27;s secret script" not in body
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.status == "Active"
    assert not AuditEvent.objects.filter(action="accounts.revoke_api_token").exists()


def test_a_token_that_does_not_exist_is_not_found(owner_client):
    assert owner_client.post("/account/tokens/999999/revoke/").status_code == 404

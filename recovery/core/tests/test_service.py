import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_database_checked(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_anonymous_request_for_a_page_goes_to_sign_in(client):
    response = client.get("/estate/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/estate/"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_sign_in_page_is_protected_against_framing_and_sniffing(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    sys.modules.pop("recovery.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        importlib.import_module("recovery.settings.production")
    sys.modules.pop("recovery.settings.production", None)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_page_gets_the_service_not_found_page(client, person_with_role):
    client.force_login(person_with_role("viewer"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()

"""Signing in and out, and the lockout after five wrong passwords."""

import pytest
from axes.models import AccessAttempt

from recovery.accounts.factories import PASSWORD, UserFactory

SIGN_IN = "/sign-in/"


@pytest.fixture
def person(db):
    return UserFactory(email="sam.signer@example.org", first_name="Sam", last_name="Signer")


def sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def test_the_sign_in_page_is_open_to_anyone(client, db):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in response.content.decode()


def test_a_page_asks_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/people/"


def test_the_right_password_signs_in_and_goes_where_they_were_going(client, person):
    response = sign_in(client, person.email, PASSWORD, next="/people/")
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_next_address_on_another_site_is_ignored(client, person):
    response = sign_in(client, person.email, PASSWORD, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_a_wrong_password_shows_the_error_and_keeps_the_email(client, person):
    response = sign_in(client, person.email, "not-the-password")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a correct email address and password. Both are case sensitive." in body
    assert 'value="sam.signer@example.org"' in body
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named(client, db):
    body = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert '<a href="#id_username">Enter your email address</a>' in body


def test_a_deactivated_person_cannot_sign_in(client, db):
    UserFactory(email="gone@example.org", is_active=False)
    response = sign_in(client, "gone@example.org", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, person):
    for _ in range(4):
        response = sign_in(client, person.email, "wrong-password")
        assert response.status_code == 200
    fifth = sign_in(client, person.email, "wrong-password")
    assert fifth.status_code == 429
    assert AccessAttempt.objects.get(username=person.email).failures_since_start == 5

    sixth = sign_in(client, person.email, PASSWORD)

    assert sixth.status_code == 429
    assert "Your account is locked for 15 minutes" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_password_before_the_limit_clears_the_failures(client, person):
    for _ in range(4):
        sign_in(client, person.email, "wrong-password")
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=person.email).exists()


def test_sign_out_is_a_post_and_ends_the_session(client, person):
    client.force_login(person)
    assert client.get("/sign-out/").status_code == 405

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session
    assert client.get("/people/").status_code == 302

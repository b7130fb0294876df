"""Signing in and out, and the lockouts: an e-mail address after five wrong passwords, a
network address only after many more, so that nobody can lock everyone out."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from recovery.accounts.factories import PASSWORD, UserFactory

SIGN_IN = "/sign-in/"


@pytest.fixture
def person(db):
    return UserFactory(email="sam.signer@example.org", first_name="Sam", last_name="Signer")


def sign_in(client, email, password, *, meta=None, **extra):
    """Posts the sign-in form; `meta` is what the request carries beside it (its address)."""
    fields = {"username": email, "password": password, **extra}
    return client.post(SIGN_IN, fields, **(meta or {}))


def main_content(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


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
    body = sixth.content.decode()
    assert "You cannot sign in for 15 minutes" in body
    assert "There were too many attempts to sign in with this email address" in body
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


def test_the_lockout_page_reads_the_same_whether_or_not_the_account_exists(client, person):
    for _ in range(5):
        sign_in(client, person.email, "wrong-password")
    for _ in range(5):
        sign_in(client, "nobody-here@example.org", "wrong-password")

    real = sign_in(client, person.email, PASSWORD)
    invented = sign_in(client, "nobody-here@example.org", PASSWORD)

    assert real.status_code == invented.status_code == 429
    assert main_content(real) == main_content(invented)
    assert "this email address" in main_content(real)


def test_five_wrong_tries_for_an_invented_email_do_not_lock_anyone_else_out(client, person):
    for _ in range(5):
        sign_in(client, "nobody-here@example.org", "wrong-password")

    response = sign_in(client, person.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=12)
def test_many_failures_from_one_address_lock_that_address_and_say_so(client, person):
    for attempt in range(12):
        sign_in(client, f"guess-{attempt % 4}@example.org", "wrong-password")

    locked = sign_in(client, person.email, PASSWORD)

    assert locked.status_code == 429
    body = locked.content.decode()
    assert "There were too many attempts to sign in from your network." in body
    assert "this email address" not in body
    assert "_auth_user_id" not in client.session
    elsewhere = sign_in(client, person.email, PASSWORD, meta={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 302


@override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=12)
def test_eleven_failures_from_one_address_still_let_the_right_password_in(client, person):
    for attempt in range(11):
        sign_in(client, f"guess-{attempt % 4}@example.org", "wrong-password")

    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_an_address_is_locked_at_a_hundred_failures_by_default(settings):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 100
    assert settings.AXES_FAILURE_LIMIT == 5


def test_one_person_signing_in_does_not_clear_the_count_against_a_shared_address(client, person):
    for attempt in range(6):
        sign_in(client, f"guess-{attempt}@example.org", "wrong-password")
    assert sign_in(client, person.email, PASSWORD).status_code == 302

    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").count() == 6


# Behind the TLS proxy everyone arrives from the proxy's address; the client's own address is
# the one the proxy adds to X-Forwarded-For.
PROXY = "10.0.0.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], SIGN_IN_ADDRESS_FAILURE_LIMIT=12)
def test_behind_a_trusted_proxy_each_client_is_counted_at_its_own_address(client, person):
    for attempt in range(12):
        sign_in(
            client,
            f"guess-{attempt % 4}@example.org",
            "wrong-password",
            meta={"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() == 4

    other_client = sign_in(
        client,
        person.email,
        PASSWORD,
        meta={"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"},
    )
    assert other_client.status_code == 302

    client.post("/sign-out/")
    same_client = sign_in(
        client,
        person.email,
        PASSWORD,
        meta={"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    )
    assert same_client.status_code == 429
    assert "from your network" in same_client.content.decode()


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_an_address_the_client_writes_before_the_proxys_own_entry_is_ignored(client, person):
    sign_in(
        client,
        "nobody-here@example.org",
        "wrong-password",
        meta={"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.9"},
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, person):
    sign_in(
        client,
        "nobody-here@example.org",
        "wrong-password",
        meta={"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    )

    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_a_forwarded_address_that_is_not_an_address_falls_back_to_the_proxys(client, person):
    sign_in(
        client,
        "nobody-here@example.org",
        "wrong-password",
        meta={"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"},
    )

    assert AccessAttempt.objects.get().ip_address == PROXY

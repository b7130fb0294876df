"""Managing users: administrators add people, give and take away roles, deactivate accounts.
Every change goes through an action and leaves an audit event; nobody else may do any of it."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory
from recovery.accounts.models import RoleAssignment, User
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role

USERS = "/manage/users/"
NEW = "/manage/users/new/"


@pytest.fixture
def admin(person_with_role):
    return person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def gwen(person_with_role):
    return person_with_role(
        Role.GOVERNOR, first_name="Gwen", last_name="Governing", email="gwen@example.org"
    )


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index('<main class="govuk-main-wrapper"') :]


def user_url(user, suffix="") -> str:
    return f"/manage/users/{user.pk}/{suffix}"


# Who may use these pages.


@pytest.mark.parametrize(
    "role", [Role.GOVERNOR, Role.PGD, Role.CENTRAL_PANEL, Role.VIEWER, Role.PROBATION_CENTRE]
)
def test_nobody_but_an_administrator_may_open_any_of_them(client, person_with_role, gwen, role):
    client.force_login(person_with_role(role))
    assignment = gwen.role_assignments.get()
    for url in [
        USERS,
        NEW,
        user_url(gwen),
        user_url(gwen, "roles/new/"),
        user_url(gwen, f"roles/{assignment.pk}/remove/"),
        user_url(gwen, "status/"),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"active": "false"}).status_code == 403, url
    gwen.refresh_from_db()
    assert gwen.is_active
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.exists()


# The list.


def test_lists_every_account_with_roles_and_status(admin_client, gwen):
    UserFactory(first_name="Norah", last_name="Noroles", is_active=False)

    body = main_of(admin_client.get(USERS))

    assert "Gwen Governing" in body
    assert "Governor or Director at HMP Ashgrove" in body
    assert "Norah Noroles" in body
    assert '<strong class="govuk-tag govuk-tag--grey">Deactivated</strong>' in body
    assert "3 accounts" in body


def test_filters_by_role_unit_and_status(admin_client, small_estate, gwen, person_with_role):
    person_with_role(
        Role.GOVERNOR, small_estate.establishment_2, first_name="Bram", last_name="Birch"
    )
    person_with_role(Role.TRADE_UNION_REP, first_name="Tom", last_name="Unionson")
    UserFactory(first_name="Norah", last_name="Noroles", is_active=False)

    body = main_of(admin_client.get(USERS + "?role=governor"))
    assert "Gwen Governing" in body and "Bram Birch" in body and "Tom Unionson" not in body

    body = main_of(admin_client.get(USERS + "?role=governor&unit=est2"))
    assert "Bram Birch" in body and "Gwen Governing" not in body

    body = main_of(admin_client.get(USERS + "?unit=Ashgrove"))
    assert "Gwen Governing" in body and "Tom Unionson" in body and "Bram Birch" not in body

    body = main_of(admin_client.get(USERS + "?status=deactivated"))
    assert "Norah Noroles" in body and "Gwen Governing" not in body

    body = main_of(admin_client.get(USERS + "?q=unionson"))
    assert "Tom Unionson" in body and "Gwen Governing" not in body


def test_a_forged_filter_is_named_not_ignored(admin_client, gwen):
    body = admin_client.get(USERS + "?role=emperor").content.decode()
    assert "Select a role from the list" in body
    assert 'class="govuk-error-summary"' in body


def test_the_list_query_count_is_fixed(admin_client, small_estate, django_assert_max_num_queries):
    for n in range(25):
        RoleAssignmentFactory(
            user=UserFactory(first_name=f"Extra{n}"),
            role=Role.GOVERNOR,
            unit=small_estate.establishment_1,
        )
    with django_assert_max_num_queries(8):
        assert admin_client.get(USERS).status_code == 200


# Adding a person.


def test_adding_a_person_goes_to_their_page_and_records_the_event(admin_client, admin):
    response = admin_client.post(
        NEW,
        {
            "email": "Nell.Newcombe@example.org",
            "first_name": "Nell",
            "last_name": "Newcombe",
            "job_title": "Head of Safety",
            "password": "",
        },
    )

    nell = User.objects.get(email="nell.newcombe@example.org")
    assert response.status_code == 302
    assert response["Location"] == user_url(nell)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nell Newcombe has been added" in page
    event = AuditEvent.objects.get(action="accounts.create_user")
    assert event.actor == admin
    assert event.after["email"] == "nell.newcombe@example.org"


def test_adding_a_person_with_a_password_lets_them_sign_in(admin_client):
    admin_client.post(
        NEW,
        {
            "email": "pat@example.org",
            "first_name": "Pat",
            "last_name": "Passworth",
            "password": "a-long-enough-passphrase",
        },
    )
    assert User.objects.get(email="pat@example.org").check_password("a-long-enough-passphrase")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Enter an email address"),
        (
            {"email": "not-an-email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "GWEN@example.org"},
            "email",
            "Someone already has an account with this email address.",
        ),
        ({"first_name": ""}, "first_name", "Enter a first name"),
        ({"last_name": ""}, "last_name", "Enter a last name"),
        (
            {"password": "short"},
            "password",
            "This password is too short. It must contain at least 12 characters.",
        ),
    ],
)
def test_adding_a_person_with_bad_input_keeps_it_and_names_the_problem(
    admin_client, gwen, data, field, message
):
    form = {
        "email": "new@example.org",
        "first_name": "New",
        "last_name": "Person",
        "job_title": "Kept title",
        **data,
    }

    response = admin_client.post(NEW, form)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in body
    assert f'<p id="id_{field}-error" class="govuk-error-message">' in body
    assert 'value="Kept title"' in body
    assert "<title>Error: Add a person" in body
    assert User.objects.count() == 2
    assert not AuditEvent.objects.exists()


# Their page, and giving a role.


def test_a_persons_page_shows_their_roles_with_links_to_remove_them(admin_client, gwen):
    assignment = gwen.role_assignments.get()
    body = main_of(admin_client.get(user_url(gwen)))
    assert '<h1 class="govuk-heading-l">Gwen Governing</h1>' in body
    assert "HMP Ashgrove" in body
    assert f'href="{user_url(gwen, f"roles/{assignment.pk}/remove/")}"' in body
    assert "Deactivate account" in body


def test_a_person_who_does_not_exist_is_not_found(admin_client):
    assert admin_client.get("/manage/users/999999/").status_code == 404
    assert admin_client.get("/manage/users/999999/roles/new/").status_code == 404
    assert admin_client.post("/manage/users/999999/status/", {"active": "false"}).status_code == 404


def test_giving_a_role_by_unit_code(admin_client, admin, gwen):
    response = admin_client.post(user_url(gwen, "roles/new/"), {"role": "pgd", "unit": "grp1"})

    assert response.status_code == 302
    assert response["Location"] == user_url(gwen)
    assert gwen.role_assignments.filter(role=Role.PGD, unit__code="GRP1").exists()
    page = admin_client.get(user_url(gwen)).content.decode()
    assert (
        "Gwen Governing is now Prison Group Director or regional Silver at Northern Fells group"
        in (page)
    )
    event = AuditEvent.objects.get(action="accounts.assign_role")
    assert event.actor == admin
    assert event.after == {"user": "gwen@example.org", "role": "pgd", "unit": "GRP1"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"role": "governor", "unit": "GRP1"},
            "unit",
            "Governor or Director is held at an establishment, not at a prison group.",
        ),
        (
            {"role": "governor", "unit": "NOPE"},
            "unit",
            "There is no organisation with the code NOPE",
        ),
        ({"role": "governor", "unit": ""}, "unit", "Enter the code of the organisation"),
        ({"role": "", "unit": "EST2"}, "role", "Select a role"),
        ({"role": "emperor", "unit": "EST2"}, "role", "Select a role from the list"),
        (
            {"role": "governor", "unit": "EST1"},
            "role",
            "Gwen Governing is already Governor or Director at HMP Ashgrove.",
        ),
    ],
)
def test_giving_a_role_refuses_bad_input_and_keeps_it(admin_client, gwen, data, field, message):
    response = admin_client.post(user_url(gwen, "roles/new/"), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in body
    assert f'value="{data["unit"]}"' in body
    assert gwen.role_assignments.count() == 1
    assert not AuditEvent.objects.exists()


# Taking a role away.


def test_removing_a_role_asks_first_then_records_it(admin_client, gwen):
    assignment = gwen.role_assignments.get()
    url = user_url(gwen, f"roles/{assignment.pk}/remove/")

    confirm = main_of(admin_client.get(url))
    assert (
        "Are you sure you want to remove the role Governor or Director at HMP Ashgrove?" in confirm
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()

    response = admin_client.post(url)

    assert response["Location"] == user_url(gwen)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="accounts.remove_role")
    assert event.before == {"user": "gwen@example.org", "role": "governor", "unit": "EST1"}
    page = admin_client.get(user_url(gwen)).content.decode()
    assert "Gwen Governing is no longer Governor or Director at HMP Ashgrove" in page


def test_a_role_named_under_the_wrong_person_is_not_found(admin_client, gwen, person_with_role):
    other = person_with_role(Role.PGD)
    forged = user_url(gwen, f"roles/{other.role_assignments.get().pk}/remove/")
    assert admin_client.get(forged).status_code == 404
    assert admin_client.post(forged).status_code == 404
    assert other.role_assignments.exists()


def test_an_administrator_cannot_remove_their_own_administrator_role(admin_client, admin):
    assignment = admin.role_assignments.get()
    response = admin_client.post(user_url(admin, f"roles/{assignment.pk}/remove/"))
    assert response.status_code == 200
    assert (
        "You cannot take away your own administrator role. Ask another administrator."
        in response.content.decode()
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# Deactivating and reactivating.


def test_deactivate_then_reactivate(admin_client, gwen):
    url = user_url(gwen, "status/")
    assert "Are you sure you want to deactivate this account?" in main_of(admin_client.get(url))

    response = admin_client.post(url, {"active": "false"})

    assert response["Location"] == user_url(gwen)
    gwen.refresh_from_db()
    assert not gwen.is_active
    event = AuditEvent.objects.get(action="accounts.deactivate_user")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})
    assert (
        "Gwen Governing&#x27;s account has been deactivated"
        in admin_client.get(user_url(gwen)).content.decode()
    )

    assert "Are you sure you want to reactivate this account?" in main_of(admin_client.get(url))
    admin_client.post(url, {"active": "true"})
    gwen.refresh_from_db()
    assert gwen.is_active
    assert AuditEvent.objects.filter(action="accounts.reactivate_user").count() == 1


def test_a_deactivated_person_is_signed_out_of_their_session(admin_client, gwen):
    gwens_browser = Client()
    gwens_browser.force_login(gwen)
    assert gwens_browser.get("/people/").status_code == 200
    admin_client.post(user_url(gwen, "status/"), {"active": "false"})
    assert gwens_browser.get("/people/").status_code == 302


def test_deactivating_twice_records_one_event(admin_client, gwen):
    admin_client.post(user_url(gwen, "status/"), {"active": "false"})
    response = admin_client.post(user_url(gwen, "status/"), {"active": "false"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.deactivate_user").count() == 1


def test_an_administrator_cannot_deactivate_themselves(admin_client, admin):
    response = admin_client.post(user_url(admin, "status/"), {"active": "false"})
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_a_forged_status_is_refused(admin_client, gwen):
    response = admin_client.post(user_url(gwen, "status/"), {"active": "maybe"})
    assert "Choose whether to deactivate or reactivate the account" in response.content.decode()
    gwen.refresh_from_db()
    assert gwen.is_active


def test_the_first_administrator_is_added_from_the_command_line(db, monkeypatch, client):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-first-password-2026")
    call_command(
        "create_administrator",
        "Ada.First@example.org",
        "--first-name",
        "Ada",
        "--last-name",
        "First",
    )

    signed_in = client.post(
        "/sign-in/",
        {"username": "ada.first@example.org", "password": "a-long-first-password-2026"},
    )
    assert signed_in.status_code == 302
    assert client.get("/manage/users/").status_code == 200
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor_name")) == [
        ("estate.create_unit", "System (command line)"),
        ("accounts.create_user", "System (command line)"),
        ("accounts.assign_role", "System (command line)"),
    ]


def test_a_second_administrator_with_the_same_email_is_refused(db, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-first-password-2026")
    args = ["create_administrator", "ada@example.org", "--first-name", "A", "--last-name", "F"]
    call_command(*args)

    with pytest.raises(CommandError, match="Someone already has an account with this email"):
        call_command(*args)

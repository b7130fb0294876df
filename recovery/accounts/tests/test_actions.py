"""Every write to people, roles and tokens records one audit event with what changed."""

import pytest

from recovery.accounts import actions
from recovery.accounts.factories import UserFactory
from recovery.accounts.models import ApiToken, RoleAssignment, User
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed


@pytest.fixture
def admin(person_with_role):
    return person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson")


def only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [e.summary for e in AuditEvent.objects.all()]
    return events[0]


def test_create_user_records_who_was_added(admin):
    user = actions.do_create_user(
        email="Nell.Newcombe@Example.org",
        first_name="Nell",
        last_name="Newcombe",
        job_title="Head of Residence",
        acting_user=admin,
    )

    assert user.email == "nell.newcombe@example.org"
    assert not user.has_usable_password()
    event = only_event("accounts.create_user")
    assert event.actor == admin
    assert event.object_id == str(user.pk)
    assert event.before == {}
    assert event.after == {
        "email": "nell.newcombe@example.org",
        "first_name": "Nell",
        "last_name": "Newcombe",
        "job_title": "Head of Residence",
    }


def test_create_user_refuses_an_email_already_in_use(admin):
    UserFactory(email="taken@example.org")
    with pytest.raises(DomainError) as error:
        actions.do_create_user(
            email="TAKEN@example.org", first_name="A", last_name="B", acting_user=admin
        )
    assert error.value.message == "Someone already has an account with this email address."
    assert error.value.field == "email"
    assert not AuditEvent.objects.filter(action="accounts.create_user").exists()


def test_only_an_administrator_may_create_a_user(person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    with pytest.raises(NotAllowed):
        actions.do_create_user(
            email="x@example.org", first_name="X", last_name="Y", acting_user=governor
        )
    assert not User.objects.filter(email="x@example.org").exists()


def test_deactivate_and_reactivate_record_before_and_after(admin):
    user = UserFactory()

    actions.do_set_user_active(user, active=False, acting_user=admin)
    user.refresh_from_db()
    assert not user.is_active
    event = only_event("accounts.deactivate_user")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})

    actions.do_set_user_active(user, active=True, acting_user=admin)
    user.refresh_from_db()
    assert user.is_active
    event = only_event("accounts.reactivate_user")
    assert (event.before, event.after) == ({"is_active": False}, {"is_active": True})


def test_an_administrator_cannot_deactivate_themselves(admin):
    with pytest.raises(DomainError) as error:
        actions.do_set_user_active(admin, active=False, acting_user=admin)
    assert error.value.message == "You cannot deactivate your own account."
    admin.refresh_from_db()
    assert admin.is_active


def test_assign_role_records_the_role_and_unit(admin, small_estate):
    user = UserFactory(email="gwen@example.org")

    assignment = actions.do_assign_role(
        user, role=Role.GOVERNOR, unit=small_estate.establishment_1, acting_user=admin
    )

    assert assignment.unit == small_estate.establishment_1
    event = only_event("accounts.assign_role")
    assert event.unit_path == small_estate.establishment_1.path
    assert event.after == {"user": "gwen@example.org", "role": "governor", "unit": "EST1"}


@pytest.mark.parametrize(
    ("role", "unit_name", "message"),
    [
        (
            Role.GOVERNOR,
            "group_1",
            "Governor or Director is held at an establishment, not at a prison group.",
        ),
        (
            Role.PGD,
            "establishment_1",
            "Prison Group Director or regional Silver is held at a prison group, "
            "not at an establishment.",
        ),
        (
            Role.ADMINISTRATOR,
            "pdu_1",
            "Administrator is held at national level, not at a probation delivery unit.",
        ),
        (
            Role.VIEWER,
            "office_1",
            "Read-only viewer is held at national level, a prison group or a probation region, "
            "not at a probation office.",
        ),
    ],
)
def test_a_role_is_refused_at_the_wrong_kind_of_unit(admin, small_estate, role, unit_name, message):
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        actions.do_assign_role(
            user, role=role, unit=getattr(small_estate, unit_name), acting_user=admin
        )
    assert error.value.message == message
    assert error.value.field == "unit"
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_same_role_twice_at_one_unit_is_refused(admin, small_estate):
    user = UserFactory(first_name="Gwen", last_name="Governing")
    actions.do_assign_role(
        user, role=Role.GOVERNOR, unit=small_estate.establishment_1, acting_user=admin
    )
    with pytest.raises(DomainError) as error:
        actions.do_assign_role(
            user, role=Role.GOVERNOR, unit=small_estate.establishment_1, acting_user=admin
        )
    assert error.value.message == "Gwen Governing is already Governor or Director at HMP Ashgrove."
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_remove_role_records_what_was_taken_away(admin, small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR, email="gov@example.org")
    assignment = governor.role_assignments.get()

    actions.do_remove_role(assignment, acting_user=admin)

    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = only_event("accounts.remove_role")
    assert event.before == {"user": "gov@example.org", "role": "governor", "unit": "EST1"}
    assert event.after == {}


def test_an_administrator_cannot_take_away_their_own_administrator_role(admin):
    assignment = admin.role_assignments.get()
    with pytest.raises(DomainError) as error:
        actions.do_remove_role(assignment, acting_user=admin)
    assert error.value.message == (
        "You cannot take away your own administrator role. Ask another administrator."
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_create_token_keeps_only_a_hash_and_records_the_event(person_with_role):
    user = person_with_role(Role.GOVERNOR)

    token, secret = actions.do_create_api_token(name="Returns script", days=30, acting_user=user)

    assert secret.startswith("rcv_")
    assert token.key_hash == ApiToken.hash_secret(secret)
    assert secret not in {token.key_hash, token.prefix}
    event = only_event("accounts.create_api_token")
    assert event.after["name"] == "Returns script"
    assert event.after["prefix"] == token.prefix
    assert secret not in str(event.after)


@pytest.mark.parametrize(
    ("name", "days", "field", "message"),
    [
        ("  ", 30, "name", "Enter a name for the token"),
        ("x" * 101, 30, "name", "Token name must be 100 characters or fewer"),
        ("Script", 0, "days", "A token must last between 1 and 365 days"),
        ("Script", 366, "days", "A token must last between 1 and 365 days"),
        ("Script", -5, "days", "A token must last between 1 and 365 days"),
    ],
)
def test_create_token_refuses_bad_input(person_with_role, name, days, field, message):
    user = person_with_role(Role.GOVERNOR)
    with pytest.raises(DomainError) as error:
        actions.do_create_api_token(name=name, days=days, acting_user=user)
    assert (error.value.field, error.value.message) == (field, message)
    assert not ApiToken.objects.exists()


def test_revoke_token_records_when(person_with_role):
    user = person_with_role(Role.GOVERNOR)
    token, _ = actions.do_create_api_token(name="Script", acting_user=user)

    actions.do_revoke_api_token(token, acting_user=user)

    token.refresh_from_db()
    assert token.status == "Revoked"
    event = only_event("accounts.revoke_api_token")
    assert event.before == {"revoked_at": None}
    assert event.after["revoked_at"]


def test_nobody_else_may_revoke_a_token(person_with_role):
    owner = person_with_role(Role.GOVERNOR)
    other = person_with_role(Role.GOVERNOR)
    token, _ = actions.do_create_api_token(name="Script", acting_user=owner)
    with pytest.raises(NotAllowed):
        actions.do_revoke_api_token(token, acting_user=other)
    token.refresh_from_db()
    assert token.status == "Active"

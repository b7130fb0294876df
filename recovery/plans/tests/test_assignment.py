"""Giving a baseline to a person with an account: only someone who holds a role at the
establishment, through the one edit door, and they are told once by e-mail."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, StaleEditError
from recovery.plans.actions import do_update_response
from recovery.plans.factories import response_for
from recovery.plans.models import Response
from recovery.plans.queries import my_baselines


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, email="editor@example.test")


@pytest.fixture
def officer(person_with_role, small_estate):
    return person_with_role(
        Role.TRADE_UNION_REP,
        small_estate.establishment_1,
        email="officer@example.test",
        first_name="Robin",
        last_name="Example",
    )


def _assign(response, person, editor, version=None):
    return do_update_response(
        response,
        expected_version=response.version if version is None else version,
        changes={"assignee": person},
        acting_user=editor,
    )


def _refused(response, person, editor):
    version = response.version
    with pytest.raises(DomainError) as error:
        _assign(response, person, editor)
    response.refresh_from_db()
    assert response.assignee_id is None
    assert response.version == version
    return error.value.message


def test_assigning_someone_at_the_establishment_tells_them_once(
    adult_plan, editor, officer, django_capture_on_commit_callbacks
):
    response = response_for(adult_plan, "2.1")
    with django_capture_on_commit_callbacks(execute=True):
        _assign(response, officer, editor)
    response.refresh_from_db()
    assert response.assignee == officer
    assert [m.to for m in mail.outbox] == [["officer@example.test"]]
    assert "Baseline 2.1" in mail.outbox[0].subject

    # Saving the same assignment again tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        _assign(response, officer, editor)
    assert len(mail.outbox) == 1


def test_the_audit_event_shows_who_was_assigned(adult_plan, editor, officer):
    response = response_for(adult_plan, "2.1")
    _assign(response, officer, editor)
    event = AuditEvent.objects.filter(action="plans.update_response").latest("pk")
    assert event.before == {"assignee_id": None}
    assert event.after == {"assignee_id": officer.pk}
    assert "assignee" in event.summary


def test_someone_at_another_establishment_is_refused(
    adult_plan, editor, person_with_role, small_estate
):
    outsider = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    message = _refused(response_for(adult_plan, "2.1"), outsider, editor)
    assert "holds a role at HMP Ashgrove" in message


def test_someone_with_a_role_only_above_the_establishment_is_refused(
    adult_plan, editor, person_with_role
):
    pgd = person_with_role(Role.PGD)
    _refused(response_for(adult_plan, "2.1"), pgd, editor)


def test_a_deactivated_account_is_refused(adult_plan, editor, officer):
    officer.is_active = False
    officer.save()
    _refused(response_for(adult_plan, "2.1"), officer, editor)


def test_a_stale_assignment_is_refused(adult_plan, editor, officer):
    response = response_for(adult_plan, "2.1")
    old = response.version
    do_update_response(
        response, expected_version=old, changes={"approach": "Rota"}, acting_user=editor
    )
    with pytest.raises(StaleEditError):
        _assign(response, officer, editor, version=old)
    response.refresh_from_db()
    assert response.assignee_id is None


def test_the_answer_page_offers_only_people_at_the_establishment(
    client, adult_plan, editor, officer, person_with_role, small_estate
):
    outsider = person_with_role(
        Role.GOVERNOR, small_estate.establishment_2, first_name="Zed", last_name="Outside"
    )
    response = response_for(adult_plan, "2.1")
    client.force_login(editor)
    page = client.get(f"/plans/EST1/answer/?response={response.pk}").content.decode()
    assert "Robin Example" in page
    assert str(outsider) not in page

    form = {
        "response": response.pk,
        "version": response.version,
        "status": "not_started",
        "assignee": str(outsider.pk),
    }
    refused = client.post(f"/plans/EST1/answer/?response={response.pk}", form)
    assert "Select someone who holds a role at this establishment" in refused.content.decode()
    form["assignee"] = str(officer.pk)
    client.post(f"/plans/EST1/answer/?response={response.pk}", form)
    response.refresh_from_db()
    assert response.assignee == officer


def _give(response, person, target):
    Response.objects.filter(pk=response.pk).update(assignee=person, target_date=target)


def test_my_baselines_on_the_home_page_overdue_first_and_only_mine(
    client, adult_plan, editor, officer
):
    today = timezone.localdate()
    answers = list(Response.objects.filter(plan=adult_plan).order_by("pk")[:3])
    _give(answers[0], officer, today + datetime.timedelta(days=30))
    _give(answers[1], officer, today - datetime.timedelta(days=2))
    _give(answers[2], editor, today)
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert "My baselines" in page
    mine = page[page.index("My baselines") :]
    overdue = f"?response={answers[1].pk}"
    later = f"?response={answers[0].pk}"
    assert overdue in mine and later in mine
    assert mine.index(overdue) < mine.index(later)
    assert "Overdue" in mine
    assert f"?response={answers[2].pk}" not in mine


def test_nobody_assigned_sees_no_my_baselines(client, adult_plan, editor):
    client.force_login(editor)
    assert "My baselines" not in client.get("/").content.decode()


def test_my_baselines_takes_the_same_queries_for_one_or_many(adult_plan, officer):
    answers = list(Response.objects.filter(plan=adult_plan).order_by("pk"))
    assert len(answers) >= 5
    _give(answers[0], officer, None)
    with CaptureQueriesContext(connection) as few:
        assert len(my_baselines(officer)) == 1
    for answer in answers:
        _give(answer, officer, timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        assert len(my_baselines(officer)) == len(answers)
    assert len(few) == len(many)

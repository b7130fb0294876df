"""The plans API: scoped reads, and updates with the version each answer was read at."""

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recovery.accounts.actions import do_create_api_token
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for


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


def test_reading_a_plan(call, adult_plan, person_with_role):
    answer(response_for(adult_plan, "1.1"), status=ResponseStatus.MET, compliance_confirmed=True)
    body = call(person_with_role(Role.PGD), "GET", "/plans/EST1").json()
    plan = body["plans"][0]
    assert plan["stage"] == 3
    assert plan["edms"] == ["EDM 901 version 1.0"]
    assert plan["summary"]["mandatory"] == {"met_weight": 3, "applicable_weight": 9, "percent": 33}
    by_number = {r["baseline"]: r for r in plan["responses"]}
    assert [by_number[n]["sequence"] for n in ("1.1", "1.2", "2.1", "2.2")] == [
        "done",
        "next",
        "waiting",
        "waiting",
    ]
    assert by_number["1.2"]["options"] == ["Video calls", "Socially distanced visits"]


def test_list_holds_only_plans_in_scope(call, small_estate, adult_plan, person_with_role):
    body = call(person_with_role(Role.GOVERNOR), "GET", "/plans").json()
    assert [row["establishment_code"] for row in body] == ["EST1"]


def test_out_of_scope_plan_is_not_found(call, small_estate, adult_plan, person_with_role):
    other = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    assert call(other, "GET", "/plans/EST1").status_code == 404


def test_updating_answers(call, adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    result = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {
                    "id": response.pk,
                    "version": response.version,
                    "status": "in_progress",
                    "owner": "Head of Residence",
                    "target_date": "2021-03-31",
                },
            ]
        },
    )
    assert result.status_code == 200
    changed = result.json()["changed"][0]
    assert (changed["status"], changed["owner"], changed["target_date"]) == (
        "in_progress",
        "Head of Residence",
        "2021-03-31",
    )
    assert changed["version"] == response.version + 1
    event = AuditEvent.objects.get(action="plans.update_response")
    assert event.actor == editor and "through the API" in event.summary


def test_stale_update_is_refused(call, adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    read_at = response.version
    answer(response, owner="Head of Residence")
    result = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {"id": response.pk, "version": read_at, "owner": "Deputy Governor"},
            ]
        },
    )
    assert result.status_code == 409
    assert result.json()["detail"].startswith("Baseline 2.1 was changed by System")
    assert result.json()["detail"].endswith("What changed: Owner: (blank) → Head of Residence.")
    response.refresh_from_db()
    assert response.owner == "Head of Residence"


def test_two_updates_of_one_answer_in_a_batch_are_refused_naming_it(
    call, adult_plan, person_with_role
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    other, response = response_for(adult_plan, "2.2"), response_for(adult_plan, "2.1")
    result = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {"id": other.pk, "version": other.version, "owner": "Head of Security"},
                {"id": response.pk, "version": response.version, "owner": "Deputy Governor"},
                {"id": response.pk, "version": response.version, "approach": "Chapel."},
            ]
        },
    )
    assert result.status_code == 422
    assert result.json()["detail"] == (
        f"Answer {response.pk} (baseline 2.1) is updated more than once in this request. "
        "Send one update for each, with all its changes. Nothing has been changed."
    )
    other.refresh_from_db()
    response.refresh_from_db()
    assert (other.owner, response.owner, response.approach) == ("", "", "")


def test_invalid_update_changes_nothing(call, adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    first, second = response_for(adult_plan, "2.2"), response_for(adult_plan, "2.1")
    result = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {"id": first.pk, "version": first.version, "owner": "Head of Residence"},
                {
                    "id": second.pk,
                    "version": second.version,
                    "status": "not_applicable",
                    "not_applicable_reason": "No hall",
                },
            ]
        },
    )
    assert result.status_code == 422
    assert result.json() == {
        "detail": "Baseline 2.1 is mandatory, so it cannot be not applicable",
        "problems": [
            {
                "location": "body",
                "field": "updates.1.status",
                "message": "Baseline 2.1 is mandatory, so it cannot be not applicable",
            }
        ],
    }
    first.refresh_from_db()
    assert first.owner == ""


def test_reader_cannot_update(call, adult_plan, person_with_role):
    response = response_for(adult_plan, "2.1")
    result = call(
        person_with_role(Role.TRADE_UNION_REP),
        "PATCH",
        "/plans/EST1/responses",
        {"updates": [{"id": response.pk, "version": 1, "owner": "X"}]},
    )
    assert result.status_code == 404


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")


def _patch(client, secret, body):
    return client.patch(
        "/api/v1/plans/EST1/responses",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_the_version_returned_is_the_one_to_send_next(call, adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    first = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {"id": response.pk, "version": response.version, "owner": "Head of Residence"}
            ]
        },
    ).json()["changed"][0]
    second = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {"updates": [{"id": response.pk, "version": first["version"], "approach": "Rota"}]},
    )
    assert second.status_code == 200
    assert (second.json()["changed"][0]["owner"], second.json()["changed"][0]["approach"]) == (
        "Head of Residence",
        "Rota",
    )


def test_only_answers_really_changed_come_back(call, adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    same = answer(response_for(adult_plan, "1.1"), owner="Governor")
    other = response_for(adult_plan, "2.1")
    body = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {
            "updates": [
                {"id": same.pk, "version": same.version, "owner": "Governor"},
                {"id": other.pk, "version": other.version, "target_date": "2020-01-31"},
            ]
        },
    ).json()
    assert [(a["baseline"], a["overdue"]) for a in body["changed"]] == [("2.1", True)]


def test_one_answer_patch_is_light(client, adult_plan, person_with_role):
    """Issue 12: one answer in at most 6 queries (token, roles, the answer, its lock, the
    write, the audit event), whatever the size of the plan; the client's token already in
    use, as in any session of calls. Transaction control is not a query: the test's own
    transaction turns the request's into savepoints."""
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    _, secret = do_create_api_token(name="Test", acting_user=editor)
    response = response_for(adult_plan, "2.1")
    assert _patch(client, secret, {"updates": []}).status_code == 200
    body = {"updates": [{"id": response.pk, "version": response.version, "owner": "Head"}]}
    with CaptureQueriesContext(connection) as queries:
        result = _patch(client, secret, body)
    assert result.status_code == 200
    assert result.json()["changed"][0]["owner"] == "Head"
    work = [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    assert len(work) <= 6, "\n".join(q[:60] for q in work)


# --- Assigning a baseline through the API (issue 12) -------------------------------------------


@pytest.fixture
def colleague(person_with_role, small_estate):
    return person_with_role(
        Role.ESTABLISHMENT_EDITOR,
        small_estate.establishment_1,
        email="robin.owner@example.test",
        first_name="Robin",
        last_name="Owner",
    )


def _assign(call, editor, response, assignee, **more):
    update = {"id": response.pk, "version": response.version, "assignee": assignee, **more}
    return call(editor, "PATCH", "/plans/EST1/responses", {"updates": [update]})


def test_assigning_by_e_mail_address(
    call, adult_plan, person_with_role, colleague, django_capture_on_commit_callbacks
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    with django_capture_on_commit_callbacks(execute=True):
        result = _assign(call, editor, response, "Robin.Owner@example.test")
    assert result.status_code == 200
    assert result.json()["changed"][0]["assignee"] == "robin.owner@example.test"
    response.refresh_from_db()
    assert response.assignee == colleague
    assert [m.to for m in mail.outbox] == [["robin.owner@example.test"]]

    cleared = call(
        editor,
        "PATCH",
        "/plans/EST1/responses",
        {"updates": [{"id": response.pk, "version": response.version, "clear_assignee": True}]},
    )
    assert cleared.json()["changed"][0]["assignee"] is None
    response.refresh_from_db()
    assert response.assignee is None


def test_assigning_someone_without_a_role_there_is_refused(
    call, adult_plan, person_with_role, small_estate
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    person_with_role(Role.GOVERNOR, small_estate.establishment_2, email="gov2@example.test")
    response = response_for(adult_plan, "2.1")
    for who in ("gov2@example.test", "nobody@example.test"):
        result = _assign(call, editor, response, who, owner="Head of Residence")
        assert result.status_code == 422
        body = result.json()
        assert body["detail"] == (
            "Assign the baseline to someone with an active account who holds a role at HMP Ashgrove"
        )
        assert body["problems"][0]["field"] == "updates.0.assignee"
    response.refresh_from_db()
    assert (response.assignee, response.owner) == (None, "")


def test_a_stale_assignment_is_refused(call, adult_plan, person_with_role, colleague):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(adult_plan, "2.1")
    read_at = response.version
    answer(response, owner="Head of Residence")
    response.version = read_at
    result = _assign(call, editor, response, colleague.email)
    assert result.status_code == 409
    response.refresh_from_db()
    assert response.assignee is None


def test_one_assignment_takes_one_query_more_than_any_other_change(
    client, adult_plan, person_with_role, colleague
):
    """Who is assigned is checked against the roles at the establishment: one query, the
    seventh; the answer as it comes back is read by none."""
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    _, secret = do_create_api_token(name="Test", acting_user=editor)
    response = response_for(adult_plan, "2.1")
    assert _patch(client, secret, {"updates": []}).status_code == 200
    body = {
        "updates": [{"id": response.pk, "version": response.version, "assignee": colleague.email}]
    }
    with CaptureQueriesContext(connection) as queries:
        result = _patch(client, secret, body)
    assert result.json()["changed"][0]["assignee"] == colleague.email
    work = [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    assert len(work) <= 7, "\n".join(q[:60] for q in work)

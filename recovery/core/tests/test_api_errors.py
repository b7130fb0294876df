"""Every failure under /api/ answers the one JSON error body, with words a person can act on,
whatever DEBUG says; the OpenAPI document lists it for every operation."""

import json
import re

import pytest
from django.test import Client, override_settings

from recovery.accounts.actions import do_create_api_token
from recovery.api import api
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.plans.factories import B, make_edm_version, response_for, start_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(small_estate, person_with_role) -> Client:
    _, secret = do_create_api_token(name="Test", acting_user=person_with_role(Role.CENTRAL_PANEL))
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def editor(small_estate, person_with_role) -> Client:
    person = person_with_role(Role.ESTABLISHMENT_EDITOR)
    _, secret = do_create_api_token(name="Test", acting_user=person)
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def plan(small_estate):
    make_edm_version(901, [B("1.1", 3), B("2.1", 2)])
    return start_plan(small_estate.establishment_1)


def patch(client: Client, body, code: str = "EST1"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.patch(f"/api/v1/plans/{code}/responses", data, content_type="application/json")


# --- Bounded inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_an_offset_beyond_any_database_is_refused_with_the_reason(central, debug):
    with override_settings(DEBUG=debug):
        response = central.get("/api/v1/establishments?offset=9223372036854775808")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid. offset: Input should be less than or equal to "
        "1000000.",
        "problems": [
            {
                "location": "query",
                "field": "offset",
                "message": "Input should be less than or equal to 1000000",
            }
        ],
    }


def test_the_last_offset_allowed_answers_an_empty_page(central):
    response = central.get("/api/v1/establishments?offset=1000000&limit=500")

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_edm_number_beyond_the_database_is_refused(central):
    response = central.get("/api/v1/edms/9223372036854775808/versions")

    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "number"


def test_a_code_that_cannot_be_a_unit_is_refused_in_words(central):
    response = central.get("/api/v1/establishments/est%001")

    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "location": "path",
            "field": "code",
            "message": "must be an organisation unit's code: 1 to 20 capital letters, digits "
            "or hyphens, starting with a letter or digit",
        }
    ]


# --- Meaningful 404s --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/v1/prison-groups/GRP9", "No prison group with the code GRP9 in your scope."),
        ("/api/v1/pdus/PDU9", "No probation delivery unit with the code PDU9 in your scope."),
        ("/api/v1/plans/EST9", "No establishment with the code EST9 in your scope."),
        ("/api/v1/edms/950/versions", "There is no EDM 950 in the library that you may see."),
        ("/api/v1/edms/950/versions/1.0", "EDM 950 has no version 1.0 that you may see."),
    ],
)
def test_a_404_says_what_was_not_found(central, url, detail):
    response = central.get(url)

    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_an_address_the_api_does_not_have_answers_json(central):
    response = central.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "There is nothing at this address in the API. The operations it offers are "
        "listed at /api/v1/openapi.json."
    }


def test_a_method_the_address_does_not_answer_is_json_and_says_which_it_does(central):
    response = central.delete("/api/v1/establishments")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "This address does not answer DELETE; it answers GET."}


# --- Oversized bodies, unreadable bodies, failures --------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_is_a_json_413_before_anything_reads_it(editor, plan, debug):
    six_megabytes = json.dumps({"updates": [], "padding": "x" * (6 * 1024 * 1024)})

    with override_settings(DEBUG=debug):
        response = patch(editor, six_megabytes)

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: send at most 5 MB."}


def test_any_api_address_refuses_an_oversized_body_even_one_that_reads_none(central):
    response = central.generic(
        "GET", "/api/v1/me", b"x" * (5 * 1024 * 1024 + 1), content_type="text/plain"
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: send at most 5 MB."}


def test_too_many_query_parameters_is_a_json_400(central):
    query = "&".join(f"x{n}=1" for n in range(1001))

    response = central.get(f"/api/v1/establishments?{query}")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read."}


@override_settings(ALLOWED_HOSTS=["recovery.example"])
def test_a_host_the_service_does_not_answer_to_is_a_json_400(central):
    response = central.get("/api/v1/me", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read."}


def test_a_body_that_is_not_json_is_a_400_in_words(editor, plan):
    response = patch(editor, "{not json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON. Send a JSON object."}


@pytest.mark.parametrize("debug", [False, True])
def test_a_failure_inside_an_operation_is_a_logged_json_500(central, monkeypatch, caplog, debug):
    def broken(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("recovery.frameworks.queries.library", broken)

    with override_settings(DEBUG=debug):
        response = central.get("/api/v1/edms")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side and it has been logged. Try again later."
    }
    assert "the database went away" not in response.content.decode()
    assert any(r.exc_info and "went away" in str(r.exc_info[1]) for r in caplog.records)


# --- Plan answers -----------------------------------------------------------------------------


def test_two_updates_of_one_answer_are_refused_as_such_and_nothing_changes(editor, plan):
    answer = response_for(plan, "2.1")

    response = patch(
        editor,
        {
            "updates": [
                {"id": answer.pk, "version": answer.version, "owner": "Head of Residence"},
                {"id": answer.pk, "version": answer.version, "owner": "Deputy Governor"},
            ]
        },
    )

    assert response.status_code == 422
    message = (
        f"Answer {answer.pk} (baseline 2.1) is updated more than once in this request. "
        "Send one update for each, with all its changes. Nothing has been changed."
    )
    assert response.json() == {
        "detail": message,
        "problems": [{"location": "body", "field": "updates", "message": message}],
    }
    answer.refresh_from_db()
    assert answer.owner == ""
    assert not AuditEvent.objects.filter(action="plans.update_response").exists()


@pytest.mark.parametrize(
    ("update", "field", "message"),
    [
        ({"owner": "Head\x00of Residence"}, "owner", "must not contain the NUL character"),
        ({"ownr": "Head of Residence"}, "ownr", "is not a field this operation accepts"),
        ({"needs_review": 0}, "needs_review", "Input should be a valid boolean"),
        ({"target_date": 0}, "target_date", "Input should be a date, as YYYY-MM-DD"),
        ({"owner": "x" * 201}, "owner", "String should have at most 200 characters"),
    ],
)
def test_a_value_the_schema_does_not_allow_is_refused_where_it_is(
    editor, plan, update, field, message
):
    answer = response_for(plan, "2.1")

    response = patch(editor, {"updates": [{"id": answer.pk, "version": 1, **update}]})

    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"location": "body", "field": f"updates.0.{field}", "message": message}
    ]


def test_a_reader_is_told_the_plans_are_not_theirs_to_change(small_estate, plan, person_with_role):
    _, secret = do_create_api_token(name="Test", acting_user=person_with_role(Role.TRADE_UNION_REP))
    reader = Client(headers={"Authorization": f"Bearer {secret}"})

    response = patch(reader, {"updates": []})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No establishment with the code EST1 whose plans you may change."
    }


# --- The document -----------------------------------------------------------------------------


def _operations():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_meaningful_id():
    ids = {name: operation["operationId"] for name, operation in _operations()}

    assert ids == {
        "GET /api/v1/me": "getMe",
        "GET /api/v1/establishments": "listEstablishments",
        "GET /api/v1/establishments/{code}": "getEstablishment",
        "GET /api/v1/prison-groups": "listPrisonGroups",
        "GET /api/v1/prison-groups/{code}": "getPrisonGroup",
        "GET /api/v1/probation-regions": "listProbationRegions",
        "GET /api/v1/probation-regions/{code}": "getProbationRegion",
        "GET /api/v1/pdus/{code}": "getPdu",
        "GET /api/v1/offices/{code}": "getOffice",
        "GET /api/v1/plans": "listPlans",
        "GET /api/v1/plans/{code}": "getEstablishmentPlans",
        "PATCH /api/v1/plans/{code}/responses": "updatePlanResponses",
        "GET /api/v1/edms": "listEdms",
        "GET /api/v1/edms/{number}/versions": "listEdmVersions",
        "GET /api/v1/edms/{number}/versions/{version}": "getEdmVersion",
        "GET /api/v1/edms/{number}/versions/{version}/diff": "getEdmVersionDiff",
        "GET /api/v1/covid": "listCovidControls",
        "GET /api/v1/covid/{code}": "getCovidControls",
        "POST /api/v1/covid/{code}/outbreaks": "declareOutbreak",
        "GET /api/v1/establishments/{code}/returns": "getReturns",
        "POST /api/v1/establishments/{code}/returns": "sendReturn",
    }
    assert all(re.fullmatch(r"[a-z]+([A-Z][a-z]+)*", i) for i in ids.values())


def test_every_operation_documents_its_errors_with_the_one_error_body():
    for name, operation in _operations():
        responses = operation["responses"]
        errors = {code for code in responses if code >= 400}
        assert {400, 401, 413, 500} <= errors, name
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in errors, name
        for code in errors:
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ApiError"}, (name, code)


def test_the_document_is_valid_openapi_3_1():
    # Schemathesis's copy of the OpenAPI 3.1 meta-schema (it validates every schema it loads).
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))

    assert [str(e).splitlines()[0] for e in OPENAPI_31_VALIDATOR.iter_errors(document)] == []


# What the service runs with, not just the test settings: each settings module is started in a
# process of its own (no database is touched: the body is refused before anything reads it).
OVERSIZED_BODY_SCRIPT = """
import django, json
django.setup()
from django.test import Client
response = Client().patch(
    "/api/v1/plans/EST1/responses", b"x" * (6 * 1024 * 1024),
    content_type="application/json", secure=True,
)
print(json.dumps([response.status_code, response["Content-Type"], response.json()]))
"""


@pytest.mark.parametrize("settings_module", ["local", "production", "test"])
def test_every_settings_module_answers_an_oversized_body_with_a_json_413(settings_module):
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"recovery.settings.{settings_module}",
        "SECRET_KEY": "a-throwaway-key-for-this-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
    }

    result = subprocess.run(
        [sys.executable, "-c", OVERSIZED_BODY_SCRIPT],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        413,
        "application/json",
        {"detail": "The request body is too large: send at most 5 MB."},
    ]

"""The API keeps the contract its OpenAPI document states: Schemathesis reads the live schema
at /api/v1/openapi.json and sends each operation valid and invalid requests, with a token of
each kind of user and with none, and every answer must pass all of its checks: no server error,
only documented statuses, content types and bodies, invalid input refused, valid input
accepted, no answer without a usable token.

The run is bounded and derandomised (the same cases every time, well under a minute). The
coverage phase (every boundary and every kind of invalid value the schema defines, plus a
method the API does not answer) runs for the two roles that reach every operation's success:
the central panel reads everything, the establishment editor also updates answers. The other
roles get the examples and a few generated cases each, which is enough to see their 403s and
404s conform."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from recovery.accounts.actions import do_create_api_token
from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import Autonomy
from recovery.plans.factories import B, make_edm_version, start_plan

# role -> whether the coverage phase runs for it (see the module docstring)
ROLES = {
    Role.CENTRAL_PANEL: True,
    Role.ESTABLISHMENT_EDITOR: True,
    Role.PGD: False,
    Role.PROBATION_CENTRE: False,
    Role.VIEWER: False,
    Role.FRAMEWORK_AUTHOR: False,
    None: False,  # no token at all
}


@pytest.fixture
def world(small_estate):
    """Something behind each example in the schema (EST1, GRP1, REG1, PDU1, OFF1, EDM 18
    version 1.0), so generated requests reach real answers as well as 404s."""
    make_edm_version(
        18,
        [
            B("1.1", 3, autonomy=Autonomy.LIMITED),
            B("1.2", 3, autonomy=Autonomy.PARTIAL, options=["Video calls", "Window visits"]),
            B("2.1", 2),
            B("3.1", None, mandatory=False),
        ],
    )
    make_edm_version(18, [B("1.1", 3), B("2.1", 1)], version="1.1")  # a diff to read
    make_edm_version(18, [B("1.1", 2)], version="2.0", publish=False)  # a draft
    small_estate.establishment_1.establishment_type = EstablishmentType.CAT_C
    return start_plan(small_estate.establishment_1)


@pytest.fixture(params=list(ROLES), ids=lambda role: role or "no-token")
def role(request):
    return request.param


@pytest.fixture
def token_headers(role, world, person_with_role):
    if role is None:
        return {}
    _, secret = do_create_api_token(name="Contract test", acting_user=person_with_role(role))
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def in_process_app():
    """Django as a WSGI app inside the test's transaction: without the signal handlers that
    would close the test's database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(request, role, token_headers, in_process_app):
    # schemathesis 4.32 names the test after each operation through `_nodeid`, which pytest 9.2
    # no longer has.
    request.node._nodeid = request.node.nodeid
    config = schemathesis.Config.from_dict(
        {
            "seed": 20260401,
            "generation": {
                "deterministic": True,
                "max-examples": 5,
                "database": "none",
                # The token is sent by the test, as a client would; Schemathesis checks the
                # refusals without one itself (the ignored_auth check and the no-token run).
                "with-security-parameters": False,
            },
            "phases": {
                "coverage": {"enabled": ROLES[role], "unexpected-methods": ["delete", "put"]},
            },
            "operations": [
                {
                    # An update that is well formed can still break a rule of the plan (a
                    # mandatory baseline cannot be not applicable; an option must be one of the
                    # baseline's): 422 with the reason, as documented.
                    "include-operation-id": "updatePlanResponses",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                        }
                    },
                },
                {
                    # A well-formed declaration can still break a rule of the register (a date
                    # in the future, another outbreak open or overlapping): 422 with the reason.
                    "include-operation-id": "declareOutbreak",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "403", "404", "422"]
                        }
                    },
                },
                {
                    # A well-formed return can still break a rule of returns (a period that
                    # has not started, a metric not reported, a negative figure): 422 listing
                    # every problem; a version other than the return's: 409.
                    "include-operation-id": "sendReturn",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                        }
                    },
                },
            ],
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_keeps_its_contract(case, token_headers):
    case.call_and_validate(headers=token_headers)

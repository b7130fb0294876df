"""Returns in the API: an establishment's periods read with their figures, a return sent and
corrected through the same checks as the form, every problem of a bad body listed with nothing
written, stale versions refused, and the scope of the returns pages."""

import json
from decimal import Decimal

import pytest

from recovery.accounts.actions import do_create_api_token
from recovery.audit.models import AuditEvent
from recovery.backlogs.actions import do_enter_return
from recovery.backlogs.models import Metric, Return, ReturnValue
from recovery.backlogs.tests.helpers import weeks_ago
from recovery.core.constants import Role

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Edna", last_name="Editor")


def _m(code: str) -> Metric:
    return Metric.objects.get(code=code)


def test_a_return_sent_through_the_api_is_read_back(call, editor):
    # Two weeks ago: its deadline (3 days after the period ends) has passed whatever today is.
    last = weeks_ago(2)
    response = call(
        editor,
        "POST",
        "/establishments/EST1/returns",
        {
            "period_start": last.isoformat(),
            "version": 0,
            "figures": [
                {"metric": "oasys-outstanding", "value": 40},
                {"metric": "leave-carried-over-per-person", "value": 3.2},
            ],
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "period_start": last.isoformat(),
        "version": 1,
        "added": 2,
        "corrected": 0,
    }
    event = AuditEvent.objects.get(action="backlogs.enter_return")
    assert event.summary.endswith("2 figures sent (through the API)")

    body = call(editor, "GET", "/establishments/EST1/returns?periods=3").json()
    assert body["establishment_name"] == "HMP Ashgrove"
    assert "oasys-outstanding" in [m["code"] for m in body["metrics"]]
    assert [p["period_start"] for p in body["periods"]] == [
        weeks_ago(1).isoformat(),
        last.isoformat(),
        weeks_ago(3).isoformat(),
    ]
    sent = body["periods"][1]
    assert (sent["version"], sent["status"]) == (1, "late")
    assert sorted((f["metric"], f["value"], f["revision"]) for f in sent["figures"]) == [
        ("leave-carried-over-per-person", 3.2, 1),
        ("oasys-outstanding", 40, 1),
    ]
    assert (body["periods"][2]["status"], body["periods"][2]["figures"]) == ("missing", [])


def test_a_correction_names_the_version_it_read_and_a_stale_one_is_refused(
    call, editor, small_estate
):
    last = weeks_ago(1)
    do_enter_return(
        small_estate.establishment_1,
        last,
        {_m("oasys-outstanding").pk: "40"},
        expected_version=0,
        acting_user=editor,
    )
    body = {
        "period_start": last.isoformat(),
        "version": 1,
        "figures": [{"metric": "oasys-outstanding", "value": 38}],
    }
    assert call(editor, "POST", "/establishments/EST1/returns", body).json()["corrected"] == 1
    stale = call(editor, "POST", "/establishments/EST1/returns", {**body, "version": 1})
    assert stale.status_code == 409
    assert "was changed by Edna Editor while you were editing it" in stale.json()["detail"]
    values = ReturnValue.objects.filter(metric=_m("oasys-outstanding")).order_by("revision")
    assert [(v.value, v.current) for v in values] == [
        (Decimal("40.00"), False),
        (Decimal("38.00"), True),
    ]


def test_every_problem_of_a_bad_return_is_listed_and_nothing_is_written(call, editor):
    response = call(
        editor,
        "POST",
        "/establishments/EST1/returns",
        {
            "period_start": weeks_ago(1).isoformat(),
            "version": 0,
            "figures": [
                {"metric": "toil-hours", "value": 12},
                {"metric": "oasys-outstanding", "value": -3},
                {"metric": "keywork-delivered", "value": 120},
                {"metric": "overdue-mmpr", "value": 2},
                {"metric": "no-such-metric", "value": 2},
                {"metric": "toil-hours", "value": 13},
                {"metric": "oasys-outstanding", "value": 1e300},
                {"metric": "dental-waiting-list", "value": 2.5},
            ],
        },
    )
    assert response.status_code == 422
    assert [(p["field"], p["message"]) for p in response.json()["problems"]] == [
        ("figures.1.value", "OASys assessments outstanding: The figure cannot be negative"),
        ("figures.2.value", "Key work sessions delivered: A percentage cannot be more than 100"),
        ("figures.3.metric", "HMP Ashgrove does not report the metric overdue-mmpr"),
        ("figures.4.metric", "There is no metric with the code no-such-metric"),
        ("figures.5.metric", "TOIL hours owed is given twice: give it once"),
        ("figures.6.metric", "OASys assessments outstanding is given twice: give it once"),
        ("figures.7.value", "Dental waiting list: Enter a whole number of people"),
    ]
    assert not ReturnValue.objects.exists() and not Return.objects.exists()


def test_a_period_that_has_not_started_is_refused_with_the_figures_problems(call, editor):
    response = call(
        editor,
        "POST",
        "/establishments/EST1/returns",
        {
            "period_start": weeks_ago(-1).isoformat(),
            "version": 0,
            "figures": [{"metric": "toil-hours", "value": -1}],
        },
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == [
        "period_start",
        "figures.0.value",
    ]
    assert "has not started yet" in response.json()["problems"][0]["message"]
    assert not ReturnValue.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"version": 0, "figures": []}, "period_start"),
        (
            {
                "period_start": "2026-11-23",
                "version": 0,
                "figures": [{"metric": "x", "value": "3"}],
            },
            "figures.0.value",
        ),
        ({"period_start": "2026-11-23", "version": -1, "figures": []}, "version"),
        ({"period_start": "2026-11-23", "version": 0, "figures": [], "extra": 1}, "extra"),
    ],
    ids=["no-period", "figure-as-text", "negative-version", "unknown-field"],
)
def test_a_body_not_of_the_schema_answers_422(call, editor, body, field):
    response = call(editor, "POST", "/establishments/EST1/returns", body)
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["problems"]]
    assert not Return.objects.exists()


def test_the_returns_are_scoped_like_the_returns_pages(call, small_estate, person_with_role):
    union = person_with_role(Role.TRADE_UNION_REP)
    body = {"period_start": weeks_ago(1).isoformat(), "version": 0, "figures": []}
    assert call(union, "GET", "/establishments/EST1/returns").status_code == 200
    assert call(union, "POST", "/establishments/EST1/returns", body).status_code == 404
    outsider = person_with_role(Role.GOVERNOR)
    refused = call(outsider, "GET", "/establishments/EST2/returns")
    assert refused.status_code == 404
    assert "HMP Birchwood" not in refused.content.decode()
    assert call(outsider, "POST", "/establishments/EST2/returns", body).status_code == 404
    assert (
        call(
            person_with_role(Role.PGD, small_estate.group_2), "GET", "/establishments/EST2/returns"
        ).status_code
        == 200
    )

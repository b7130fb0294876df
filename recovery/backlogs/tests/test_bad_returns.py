"""Returns sent as an attacker would send them: figures too large for any column, digits of
other scripts, periods before returns began or at the edge of the calendar, a target date late
in year 9999. Each is refused with a reason a person can act on (or answers 404), never a
server error, and nothing is written."""

import datetime
from decimal import Decimal

import pytest

from recovery.backlogs.actions import ReturnRefused, do_enter_return, do_import_returns
from recovery.backlogs.constants import Direction, Rag
from recovery.backlogs.figures import Projection, rag
from recovery.backlogs.models import LrpLine, Metric, Return, ReturnSettings, ReturnValue
from recovery.backlogs.tests.helpers import weeks_ago, workbook
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload

pytestmark = pytest.mark.django_db

TOO_LARGE = "The figure is too large: at most 999,999,999,999.99"
# The Monday before the first return period (Monday 4 January 2021, the default).
BEFORE_RETURNS_BEGAN = datetime.date(2020, 12, 28)


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Edna", last_name="Editor")


def _m(code: str) -> Metric:
    return Metric.objects.get(code=code)


def _nothing_written() -> bool:
    return not ReturnValue.objects.exists() and not Return.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["9" * 40, "1" + "0" * 28, "99999999999999999999999999999.5"],
    ids=["40-nines", "10-to-the-28", "29-digits-and-a-half"],
)
def test_a_figure_too_large_for_any_column_is_refused_on_the_form(client, editor, typed):
    client.force_login(editor)
    period = weeks_ago(1)
    oasys = _m("oasys-outstanding")
    response = client.post(
        f"/backlogs/EST1/returns/{period.isoformat()}/", {"version": 0, f"m{oasys.pk}": typed}
    )
    assert response.status_code == 200
    assert f"OASys assessments outstanding: {TOO_LARGE}" in response.content.decode()
    assert _nothing_written()


@pytest.mark.parametrize("cell", [1e300, 10**30, 1e16], ids=["1e300", "10**30", "1e16"])
def test_a_number_cell_too_large_is_listed_as_a_problem_of_its_row(small_estate, editor, cell):
    rows = [
        ["EST1", weeks_ago(1), "toil-hours", "", 12, ""],
        ["EST1", weeks_ago(1), "oasys-outstanding", "", cell, ""],
    ]
    with pytest.raises(InvalidUpload) as caught:
        do_import_returns(small_estate.establishment_1, workbook(rows), acting_user=editor)
    assert [(p.row, p.column, p.reason) for p in caught.value.problems] == [(3, "Value", TOO_LARGE)]
    assert _nothing_written()


def test_a_baseline_too_large_is_refused_in_the_local_recovery_plan(client, editor):
    client.force_login(editor)
    response = client.post(
        "/backlogs/EST1/plan/oasys-outstanding/", {"version": 1, "baseline_value": "9" * 39}
    )
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not LrpLine.objects.exists()


def test_digits_of_another_script_are_not_read_as_a_figure(client, editor):
    client.force_login(editor)
    period = weeks_ago(1)
    toil = _m("toil-hours")
    response = client.post(
        f"/backlogs/EST1/returns/{period.isoformat()}/", {"version": 0, f"m{toil.pk}": "٣"}
    )
    assert response.status_code == 200
    assert "TOIL hours owed: &#x27;٣&#x27; is not a number" in response.content.decode()
    assert _nothing_written()


def test_every_problem_of_a_return_is_shown_at_once(client, editor):
    client.force_login(editor)
    period = weeks_ago(1)
    response = client.post(
        f"/backlogs/EST1/returns/{period.isoformat()}/",
        {
            "version": 0,
            f"m{_m('oasys-outstanding').pk}": "-1",
            f"m{_m('keywork-delivered').pk}": "101",
            f"m{_m('toil-hours').pk}": "8",
        },
    )
    page = response.content.decode()
    assert "OASys assessments outstanding: The figure cannot be negative" in page
    assert "Key work sessions delivered: A percentage cannot be more than 100" in page
    assert _nothing_written()


def test_a_period_before_returns_began_is_refused_by_every_door(client, small_estate, editor):
    site = small_estate.establishment_1
    toil = _m("toil-hours")
    message = (
        "28 December 2020 is before the first return period, which starts on 4 January 2021: "
        "there are no returns before it"
    )
    client.force_login(editor)
    assert client.get(f"/backlogs/EST1/returns/{BEFORE_RETURNS_BEGAN}/").status_code == 404
    with pytest.raises(ReturnRefused) as caught:
        do_enter_return(
            site, BEFORE_RETURNS_BEGAN, {toil.pk: "4"}, expected_version=0, acting_user=editor
        )
    assert caught.value.message == message
    with pytest.raises(InvalidUpload) as upload:
        do_import_returns(
            site,
            workbook([["EST1", BEFORE_RETURNS_BEGAN, "toil-hours", "", 4, ""]]),
            acting_user=editor,
        )
    assert [(p.row, p.column, p.reason) for p in upload.value.problems] == [
        (2, "Period start", message)
    ]
    assert _nothing_written()


@pytest.mark.parametrize("period_days", [7, 30])
@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02"])
def test_a_period_at_the_first_day_of_the_calendar_answers_404(client, editor, period_days, day):
    settings = ReturnSettings.objects.order_by("pk").first()
    settings.period_days = period_days
    settings.save()
    client.force_login(editor)
    assert client.get(f"/backlogs/EST1/returns/{day}/").status_code == 404


def test_a_target_date_late_in_year_9999_still_gives_a_rag():
    # Projected to clear 15 days after the target date: within the 4 amber weeks (which, added
    # to the target date, would run past the last day a date can hold).
    assert (
        rag(
            Decimal("40"),
            Projection(False, datetime.date(9999, 12, 25)),
            Decimal("10"),
            datetime.date(9999, 12, 10),
            Direction.LOWER,
            amber_weeks=4,
            amber_percent=10,
        )
        == Rag.AMBER
    )

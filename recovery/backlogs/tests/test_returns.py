"""Entering and correcting returns by form: what a person sees and what is kept."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.backlogs.actions import do_enter_return
from recovery.backlogs.models import Metric, Return, ReturnValue
from recovery.backlogs.queries import DUE, LATE, MISSING, ON_TIME, return_statuses
from recovery.backlogs.tests.helpers import weeks_ago
from recovery.core.constants import Role
from recovery.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Edna", last_name="Editor")


def _m(code: str) -> Metric:
    return Metric.objects.get(code=code)


def _url(period: datetime.date, code: str = "EST1") -> str:
    return f"/backlogs/{code}/returns/{period.isoformat()}/"


def _form(client, period):
    """The return form's fields as the page sends them back untouched."""
    response = client.get(_url(period))
    assert response.status_code == 200
    form = response.context["form"]
    return _values(form)


def _values(form) -> dict:
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_a_return_entered_on_the_form_is_saved_and_shown_beside_the_next(client, editor):
    client.force_login(editor)
    last, this = weeks_ago(2), weeks_ago(1)
    data = _form(client, last)
    data[f"m{_m('oasys-outstanding').pk}"] = "40"
    data[f"m{_m('leave-carried-over-per-person').pk}"] = "3.2"
    response = client.post(_url(last), data)
    assert response.status_code == 302
    assert ReturnValue.objects.get(metric=_m("oasys-outstanding")).value == Decimal("40")
    page = client.get(_url(this)).content.decode()
    # Last week's figure is shown beside this week's empty box.
    assert "40" in page and "3.2" in page


@pytest.mark.parametrize(
    "code, typed, message",
    [
        ("oasys-outstanding", "-3", "OASys assessments outstanding: The figure cannot be negative"),
        (
            "keywork-delivered",
            "120",
            "Key work sessions delivered: A percentage cannot be more than 100",
        ),
        (
            "oasys-outstanding",
            "lots",
            "OASys assessments outstanding: &#x27;lots&#x27; is not a number",
        ),
        (
            "oasys-outstanding",
            "2.5",
            "OASys assessments outstanding: Enter a whole number of cases",
        ),
    ],
)
def test_a_bad_figure_is_refused_and_nothing_is_written(client, editor, code, typed, message):
    client.force_login(editor)
    period = weeks_ago(1)
    data = _form(client, period)
    data[f"m{_m('toil-hours').pk}"] = "120"
    data[f"m{_m(code).pk}"] = typed
    response = client.post(_url(period), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReturnValue.objects.exists()
    assert not Return.objects.exists()


def test_a_period_in_the_future_is_refused(client, editor, small_estate):
    client.force_login(editor)
    assert client.get(_url(weeks_ago(-1))).status_code == 404
    with pytest.raises(DomainError, match="has not started yet"):
        do_enter_return(
            small_estate.establishment_1,
            weeks_ago(-1),
            {_m("toil-hours").pk: "4"},
            expected_version=0,
            acting_user=editor,
        )


def test_a_day_that_does_not_start_a_period_is_refused(editor, small_estate):
    tuesday = weeks_ago(2) + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="periods start on a Monday"):
        do_enter_return(
            small_estate.establishment_1,
            tuesday,
            {_m("toil-hours").pk: "4"},
            expected_version=0,
            acting_user=editor,
        )


def test_blanks_are_allowed(client, editor):
    client.force_login(editor)
    period = weeks_ago(1)
    data = _form(client, period)
    data[f"m{_m('toil-hours').pk}"] = "8"
    assert client.post(_url(period), data).status_code == 302
    assert ReturnValue.objects.count() == 1


def test_a_metric_the_establishment_does_not_report_is_refused(editor, small_estate):
    with pytest.raises(DomainError, match="does not report"):
        do_enter_return(
            small_estate.establishment_1,  # category C: no MMPR
            weeks_ago(1),
            {_m("overdue-mmpr").pk: "2"},
            expected_version=0,
            acting_user=editor,
        )


def test_a_correction_adds_a_revision_and_keeps_the_old_one(client, editor, small_estate):
    period = weeks_ago(1)
    oasys = _m("oasys-outstanding")
    site = small_estate.establishment_1
    do_enter_return(site, period, {oasys.pk: "40"}, expected_version=0, acting_user=editor)
    do_enter_return(site, period, {oasys.pk: "38"}, expected_version=1, acting_user=editor)
    revisions = list(ReturnValue.objects.filter(metric=oasys).order_by("revision"))
    assert [(r.revision, r.value, r.current) for r in revisions] == [
        (1, Decimal("40.00"), False),
        (2, Decimal("38.00"), True),
    ]
    event = AuditEvent.objects.filter(action="backlogs.enter_return").order_by("id").last()
    assert event.before == {"oasys-outstanding": "40"}
    assert event.after == {"oasys-outstanding": "38"}
    client.force_login(editor)
    page = client.get(f"{_url(period)}oasys-outstanding/").content.decode()
    assert page.index("38") < page.index("40")  # newest first
    assert "Current" in page


def test_a_figure_already_sent_cannot_be_blanked(editor, small_estate):
    period = weeks_ago(1)
    oasys = _m("oasys-outstanding")
    site = small_estate.establishment_1
    do_enter_return(site, period, {oasys.pk: "40"}, expected_version=0, acting_user=editor)
    with pytest.raises(DomainError, match="cannot be removed"):
        do_enter_return(site, period, {oasys.pk: ""}, expected_version=1, acting_user=editor)


def test_a_stale_return_form_is_refused_and_keeps_what_the_person_typed(
    client, editor, person_with_role, small_estate
):
    period = weeks_ago(1)
    oasys, toil = _m("oasys-outstanding"), _m("toil-hours")
    client.force_login(editor)
    data = _form(client, period)  # opened before anything was sent: version 0
    governor = person_with_role(Role.GOVERNOR, first_name="Gail", last_name="Governor")
    do_enter_return(
        small_estate.establishment_1,
        period,
        {oasys.pk: "40"},
        expected_version=0,
        acting_user=governor,
    )
    data[f"m{toil.pk}"] = "16"
    response = client.post(_url(period), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes have not been saved" in page
    assert "Gail Governor" in page
    form = response.context["form"]
    assert form[f"m{toil.pk}"].value() == "16"  # the person's own figure kept
    assert form[f"m{oasys.pk}"].value() == "40"  # the other person's figure shown
    assert ReturnValue.objects.filter(metric=toil).count() == 0
    # Sending the refreshed form writes the person's figure and leaves the other one.
    data = _values(form)
    assert client.post(_url(period), data).status_code == 302
    assert ReturnValue.objects.get(metric=toil).value == Decimal("16")
    assert ReturnValue.objects.get(metric=oasys).revision == 1


def _sent(site, period, at: datetime.datetime):
    Return.objects.create(
        establishment=site, period_start=period, first_submitted_at=at, last_changed_at=at
    )


def test_late_and_missing_returns_are_flagged(small_estate):
    site = small_estate.establishment_1
    tz = timezone.get_current_timezone()
    # Weeks from Mondays 1, 8 and 15 March 2021; each due by the Thursday after it ends.
    _sent(site, datetime.date(2021, 3, 1), datetime.datetime(2021, 3, 10, 17, 0, tzinfo=tz))
    _sent(site, datetime.date(2021, 3, 8), datetime.datetime(2021, 3, 18, 9, 0, tzinfo=tz))
    rows = return_statuses(site, count=4, on=datetime.date(2021, 3, 24))
    # On Wednesday 24 March the last week ended is the one from 15 March (due 24 March).
    assert [(r.period_start, r.status) for r in rows] == [
        (datetime.date(2021, 3, 15), DUE),
        (datetime.date(2021, 3, 8), LATE),
        (datetime.date(2021, 3, 1), ON_TIME),
        (datetime.date(2021, 2, 22), MISSING),
    ]
    later = return_statuses(site, count=1, on=datetime.date(2021, 3, 25))
    assert later[0].status == MISSING


def test_the_returns_page_lists_periods_with_their_status(client, editor, small_estate):
    site = small_estate.establishment_1
    _sent(site, weeks_ago(2), timezone.now())  # sent today: more than a week late
    client.force_login(editor)
    page = client.get("/backlogs/EST1/returns/").content.decode()
    assert "Late" in page and "Missing" in page


def test_another_establishments_returns_answer_404(client, editor):
    client.force_login(editor)
    assert client.get("/backlogs/EST2/returns/").status_code == 404
    assert client.get(_url(weeks_ago(1), "EST2")).status_code == 404
    assert client.get("/backlogs/EST2/plan/").status_code == 404
    assert client.get("/backlogs/EST2/returns/upload/").status_code == 404
    assert client.get("/backlogs/NOPE/returns/").status_code == 404


def test_the_return_form_reads_a_fixed_number_of_queries_however_long_the_history(
    client, editor, small_estate, django_assert_max_num_queries
):
    from recovery.backlogs.factories import series

    client.force_login(editor)
    period = weeks_ago(1)
    client.get(_url(period))  # warm the session and scope caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(period)).status_code == 200
        return len(captured)

    short = count()
    site = small_estate.establishment_1
    for code in ("oasys-outstanding", "toil-hours", "dental-waiting-list"):
        series(site, _m(code), {weeks_ago(k): 10 + k for k in range(1, 60)})
    for _ in range(3):  # corrections of last week's figure
        current = Return.objects.get(establishment=site, period_start=period)
        do_enter_return(
            site,
            period,
            {_m("oasys-outstanding").pk: str(20 + _)},
            expected_version=current.version,
            acting_user=editor,
        )
    assert count() == short


def test_the_establishment_home_says_the_return_is_late(client, editor):
    client.force_login(editor)
    page = client.get("/").content.decode()
    # Nothing sent: last week's return is missing once its deadline (Thursday) has passed, and
    # due before that.
    last_week = weeks_ago(1)
    deadline = last_week + datetime.timedelta(days=9)
    assert "Weekly return" in page
    if timezone.localdate() > deadline:
        assert f"was due on {deadline:%-d %B %Y} and has not been sent" in page
    else:
        assert f"is due on {deadline:%-d %B %Y}" in page
    assert f"/backlogs/EST1/returns/{last_week.isoformat()}/" in page


def test_the_home_of_a_trade_union_rep_has_no_return_item(client, person_with_role):
    client.force_login(person_with_role(Role.TRADE_UNION_REP))
    assert "Weekly return" not in client.get("/").content.decode()

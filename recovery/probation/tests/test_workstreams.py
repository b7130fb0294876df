"""The Recovery Programme Board: board() and rag_on() against hand-built histories, the actions'
refusals in the words a person reads, stale edits refused, the pages as each role sees them, the
centre's home page block and the demo data."""

import datetime
import re

import pytest
from django.urls import reverse

from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.scope import COMMAND_LINE
from recovery.probation.workstream_actions import (
    do_add_milestone,
    do_close_issue,
    do_complete_milestone,
    do_post_workstream_update,
    do_raise_issue,
    do_update_milestone,
)
from recovery.probation.workstream_models import (
    Workstream,
    WorkstreamIssue,
    WorkstreamMilestone,
    WorkstreamUpdate,
)
from recovery.probation.workstream_queries import board, changes_since, rag_on

pytestmark = pytest.mark.django_db

D = datetime.date


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def ws(number: int) -> Workstream:
    return Workstream.objects.get(number=number)


def report(number: int, rag: str, day: datetime.date, summary: str = "Reported") -> None:
    """An update made directly (the board's reads are tested apart from the actions)."""
    WorkstreamUpdate.objects.create(
        workstream=ws(number), rag=rag, summary=summary, reported_on=day, recorded_by_name="T"
    )


def milestone(number: int, title: str, due: datetime.date, done=None) -> WorkstreamMilestone:
    return WorkstreamMilestone.objects.create(
        workstream=ws(number), title=title, due_on=due, done_on=done
    )


def issue(number: int, title: str, rag: str, status: str = "open") -> WorkstreamIssue:
    return WorkstreamIssue.objects.create(
        workstream=ws(number), title=title, rag=rag, status=status, raised_on=D(2020, 7, 1)
    )


# --- board() and rag_on() ---------------------------------------------------------------------


@pytest.fixture
def history(db):
    """Courts (2): amber, then green, then red on 7 August. Victims (3): green throughout.
    Unpaid work (5): red, then amber on 24 July. HQ Functions (10): amber, reported twice on
    the same day, green the second time. The other eleven never reported."""
    report(2, "amber", D(2020, 6, 26))
    report(2, "green", D(2020, 7, 10))
    report(2, "red", D(2020, 8, 7), "Court backlog growing")
    report(3, "green", D(2020, 6, 26))
    report(5, "red", D(2020, 6, 26))
    report(5, "amber", D(2020, 7, 24))
    report(10, "amber", D(2020, 7, 10))
    report(10, "green", D(2020, 7, 10))


def test_rag_on_gives_each_workstream_as_it_stood_that_day(history):
    before_any = rag_on(D(2020, 6, 25))
    assert len(before_any) == 15
    assert {r.rag for r in before_any.values()} == {None}

    mid_july = rag_on(D(2020, 7, 15))
    assert mid_july[2].rag == "green"
    assert mid_july[2].reported_on == D(2020, 7, 10)
    assert mid_july[3].rag == "green"
    assert mid_july[5].rag == "red"
    assert mid_july[10].rag == "green"  # the later of two updates on the same day
    assert mid_july[1].rag is None
    assert mid_july[1].rag_label == "Not reported"

    on_the_day = rag_on(D(2020, 8, 7))
    assert (on_the_day[2].rag, on_the_day[5].rag) == ("red", "amber")


def test_changes_since_the_last_report_name_each_workstream_that_moved(history):
    changes = changes_since(D(2020, 7, 15), D(2020, 8, 10))
    assert [(c.number, c.then.rag, c.now.rag) for c in changes] == [
        (2, "green", "red"),
        (5, "red", "amber"),
    ]
    # A workstream reporting for the first time since the last report is a change too.
    report(7, "red", D(2020, 8, 1))
    assert [c.number for c in changes_since(D(2020, 7, 15), D(2020, 8, 10))] == [2, 5, 7]


def test_the_board_puts_red_first_with_the_previous_status(history):
    picture = board(D(2020, 8, 10))
    first = picture.rows[:4]
    assert [(r.number, r.rag, r.previous_rag) for r in first] == [
        (2, "red", "green"),
        (5, "amber", "red"),
        (3, "green", None),
        (10, "green", "amber"),
    ]
    assert picture.rows[0].summary == "Court backlog growing"
    assert picture.rows[0].changed
    assert not picture.rows[2].changed
    # Then the eleven that have not reported, by number.
    assert [r.number for r in picture.rows[4:]] == [1, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15]
    assert (picture.red, picture.amber, picture.green, picture.not_reported) == (1, 1, 2, 11)


def test_the_board_by_number_and_as_it_stood_earlier(history):
    by_number = board(D(2020, 8, 10), order="number")
    assert [r.number for r in by_number.rows] == list(range(1, 16))
    earlier = board(D(2020, 7, 1))
    courts = next(r for r in earlier.rows if r.number == 2)
    assert (courts.rag, courts.previous_rag) == ("amber", None)
    assert (earlier.red, earlier.amber, earlier.green) == (1, 1, 1)


def test_the_board_counts_overdue_milestones_and_open_issues_by_severity(history):
    milestone(5, "Singleton placements", D(2020, 7, 31))  # overdue
    milestone(5, "Work parties", D(2020, 9, 30))  # not yet due
    milestone(2, "Court rota", D(2020, 7, 1), done=D(2020, 6, 30))  # done in time
    milestone(2, "Report writers", D(2020, 8, 1), done=D(2020, 8, 20))  # done, late
    issue(2, "Backlog of reports", "red")
    issue(2, "Rooms at court", "amber")
    issue(2, "Old problem", "red", status="closed")
    issue(5, "Supervisors shielding", "red")

    picture = board(D(2020, 8, 10))
    rows = {r.number: r for r in picture.rows}
    assert [m.title for m in rows[5].overdue] == ["Singleton placements"]
    # On 10 August the report writers' milestone was not done yet: overdue then.
    assert [m.title for m in rows[2].overdue] == ["Report writers"]
    assert rows[2].open_issues == {"red": 1, "amber": 1, "green": 0}
    assert rows[5].open_issues == {"red": 1, "amber": 0, "green": 0}
    assert sorted(i.title for i in picture.red_issues) == [
        "Backlog of reports",
        "Supervisors shielding",
    ]
    assert [m.title for m in picture.overdue] == ["Singleton placements", "Report writers"]
    assert [m.title for m in board(D(2020, 8, 21)).overdue] == ["Singleton placements"]


@pytest.mark.parametrize("fortnights", [2, 40])
def test_the_board_costs_three_queries_whatever_the_history(
    db, django_assert_num_queries, fortnights
):
    for n in range(fortnights):
        for number in (1, 2, 3):
            report(number, "amber", D(2020, 6, 26) + datetime.timedelta(days=14 * n))
            milestone(number, f"M{n}", D(2020, 6, 1))
            issue(number, f"I{n}", "red")
    with django_assert_num_queries(3):
        picture = board(D(2022, 1, 1))
    assert picture.amber == 3
    assert len(picture.overdue) == 3 * fortnights
    with django_assert_num_queries(1):
        assert rag_on(D(2022, 1, 1))[2].rag == "amber"


# --- The actions' refusals ----------------------------------------------------------------------


def test_an_update_is_refused_before_the_latest_or_in_the_future(small_estate):
    do_post_workstream_update(
        ws(2),
        rag="amber",
        summary="Courts reopening",
        reported_on=D(2020, 7, 10),
        acting_user=COMMAND_LINE,
    )
    with pytest.raises(DomainError) as refused:
        do_post_workstream_update(
            ws(2), rag="red", summary="Late", reported_on=D(2020, 7, 9), acting_user=COMMAND_LINE
        )
    assert refused.value.message == (
        "The latest update was reported on 10 July 2020: a new update cannot be dated before it"
    )
    with pytest.raises(DomainError, match="The date of the update cannot be in the future"):
        do_post_workstream_update(
            ws(2),
            rag="red",
            summary="Soon",
            reported_on=datetime.date.today() + datetime.timedelta(days=1),
            acting_user=COMMAND_LINE,
        )
    with pytest.raises(DomainError, match="Choose the RAG status: red, amber or green"):
        do_post_workstream_update(
            ws(2), rag="blue", summary="?", reported_on=D(2020, 7, 11), acting_user=COMMAND_LINE
        )
    assert WorkstreamUpdate.objects.count() == 1


def test_only_the_probation_centre_writes(small_estate, person_with_role):
    for role in (Role.PROBATION_REGION, Role.PDU_HEAD, Role.VIEWER, Role.CENTRAL_PANEL):
        with pytest.raises(NotAllowed):
            do_raise_issue(
                ws(4),
                title="X",
                rag="red",
                raised_on=D(2020, 7, 1),
                acting_user=person_with_role(role),
            )
    centre = person_with_role(Role.PROBATION_CENTRE)
    made = do_raise_issue(ws(4), title="X", rag="red", raised_on=D(2020, 7, 1), acting_user=centre)
    assert made.status == "open"


def test_a_stale_milestone_edit_is_refused_and_nothing_changes(small_estate):
    made = do_add_milestone(
        ws(5), title="Singleton placements", due_on=D(2020, 8, 1), acting_user=COMMAND_LINE
    )
    do_update_milestone(
        made,
        expected_version=1,
        changes={"title": "Singleton placements everywhere", "due_on": D(2020, 8, 14)},
        acting_user=COMMAND_LINE,
    )
    with pytest.raises(StaleEditError):
        do_update_milestone(
            WorkstreamMilestone.objects.get(pk=made.pk),
            expected_version=1,
            changes={"title": "Old title", "due_on": D(2020, 8, 1)},
            acting_user=COMMAND_LINE,
        )
    with pytest.raises(StaleEditError):
        do_complete_milestone(
            made, expected_version=1, done_on=D(2020, 8, 2), acting_user=COMMAND_LINE
        )
    stored = WorkstreamMilestone.objects.get(pk=made.pk)
    assert (stored.title, stored.due_on, stored.done_on, stored.version) == (
        "Singleton placements everywhere",
        D(2020, 8, 14),
        None,
        2,
    )


def test_an_issue_is_closed_once_and_not_before_it_was_raised(small_estate):
    raised = do_raise_issue(
        ws(4),
        title="Rooms too small",
        rag="amber",
        raised_on=D(2020, 7, 1),
        acting_user=COMMAND_LINE,
    )
    with pytest.raises(DomainError, match="cannot be before 1 July 2020"):
        do_close_issue(
            raised,
            expected_version=1,
            resolution="Bigger rooms",
            closed_on=D(2020, 6, 30),
            acting_user=COMMAND_LINE,
        )
    do_close_issue(
        raised,
        expected_version=1,
        resolution="Bigger rooms",
        closed_on=D(2020, 8, 1),
        acting_user=COMMAND_LINE,
    )
    with pytest.raises(DomainError, match="This issue was already closed on 1 August 2020."):
        do_close_issue(
            WorkstreamIssue.objects.get(pk=raised.pk),
            expected_version=2,
            resolution="Again",
            closed_on=D(2020, 8, 2),
            acting_user=COMMAND_LINE,
        )
    stored = WorkstreamIssue.objects.get(pk=raised.pk)
    assert (stored.status, stored.closed_on, stored.resolution) == (
        "closed",
        D(2020, 8, 1),
        "Bigger rooms",
    )


# --- The pages --------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, person_with_role):
    def make(role, unit=None, **names):
        client.force_login(person_with_role(role, unit, **names))
        return client

    return make


def test_the_centre_posts_an_update_and_the_board_shows_it_red_first(small_estate, signed_in):
    report(3, "green", D(2020, 6, 26))
    client = signed_in(Role.PROBATION_CENTRE, first_name="Cora", last_name="Centre")
    response = client.post(
        reverse("probation:workstream-update", args=[2]),
        {
            "rag": "red",
            "summary": "Court backlog growing faster than report writers",
            "reported_day": "7",
            "reported_month": "8",
            "reported_year": "2020",
        },
        follow=True,
    )
    page = text(response)
    assert "Courts reported red on 7 August 2020." in page
    assert "Court backlog growing faster than report writers Cora Centre" in page
    board_page = text(client.get(reverse("probation:workstreams")))
    assert "Red 1 Amber 0 Green 1 Not reported 13" in board_page
    assert "2 Courts Red None 7 Aug 2020 0 None" in board_page
    assert board_page.index("Courts Red") < board_page.index("Victims Green")
    assert "Post a status update" not in board_page  # on each workstream's page


def test_the_update_form_says_what_is_wrong(small_estate, signed_in):
    client = signed_in(Role.PROBATION_CENTRE)
    page = text(client.post(reverse("probation:workstream-update", args=[2]), {"summary": ""}))
    assert "Choose the RAG status" in page
    assert "Enter a summary" in page
    assert WorkstreamUpdate.objects.count() == 0


def test_a_stale_issue_edit_is_refused_on_the_page(small_estate, signed_in):
    raised = do_raise_issue(
        ws(4),
        title="Rooms too small",
        rag="amber",
        raised_on=D(2020, 7, 1),
        acting_user=COMMAND_LINE,
    )
    client = signed_in(Role.PROBATION_CENTRE)
    url = reverse("probation:workstream-issue", args=[4, raised.pk])
    opened = client.get(url)
    opened_snapshot = opened.context["form"]["opened"].value()
    from recovery.probation.workstream_actions import do_update_issue

    do_update_issue(
        raised,
        expected_version=1,
        changes={"title": "Rooms too small", "rag": "red", "detail": "", "owner": "Head"},
        acting_user=COMMAND_LINE,
    )
    page = text(
        client.post(
            url,
            {
                "version": 1,
                "opened": opened_snapshot,
                "title": "Rooms too small",
                "rag": "green",
                "detail": "",
                "owner": "",
            },
        )
    )
    assert "The issue was changed by System (command line) while you were editing it." in page
    stored = WorkstreamIssue.objects.get(pk=raised.pk)
    assert (stored.rag, stored.owner, stored.version) == ("red", "Head", 2)


def test_readers_read_and_cannot_write(small_estate, signed_in):
    report(2, "red", D(2020, 8, 7))
    for role in (Role.PROBATION_REGION, Role.PDU_HEAD, Role.VIEWER, Role.ADMINISTRATOR):
        client = signed_in(role)
        page = text(client.get(reverse("probation:workstream", args=[2])))
        assert "Workstream 2 Courts" in page
        assert "Post a status update" not in page
        assert client.get(reverse("probation:workstream-update", args=[2])).status_code == 403


def test_the_prison_side_reads_nothing(small_estate, signed_in):
    for role, unit in (
        (Role.GOVERNOR, None),
        (Role.CENTRAL_PANEL, None),
        (Role.VIEWER, small_estate.group_1),
    ):
        client = signed_in(role, unit)
        assert client.get(reverse("probation:workstreams")).status_code == 403
        assert client.get(reverse("probation:workstream", args=[2])).status_code == 403


def test_the_centres_home_page_names_red_workstreams_and_overdue_milestones(
    small_estate, signed_in
):
    report(2, "amber", D(2020, 6, 26))
    report(2, "red", D(2020, 7, 10))
    report(5, "red", D(2020, 6, 26))
    report(5, "green", D(2020, 7, 10))
    milestone(5, "Singleton placements in every region", D(2020, 8, 1))
    milestone(5, "Done already", D(2020, 8, 1), done=D(2020, 7, 30))
    page = text(signed_in(Role.PROBATION_CENTRE).get("/"))
    assert "Workstreams at red (1) 2. Courts , reported on 10 July 2020" in page
    assert (
        "Workstream milestones overdue (1) Singleton placements in every region "
        "(Unpaid work and ETE): due 1 August 2020" in page
    )
    region_page = text(signed_in(Role.PROBATION_REGION).get("/"))
    assert "Workstreams at red" not in region_page
    assert "Recovery Programme Board: the 15 workstreams" in region_page


def test_the_demo_gives_the_centre_work_and_loads_once(small_estate):
    from recovery.probation.demo_workstreams import load_demo_workstreams

    load_demo_workstreams()
    today = datetime.date.today()
    picture = board(today)
    assert picture.not_reported == 0
    assert {r.number for r in picture.rows if r.rag == "red"} >= {2, 5}
    assert all(r.reported_on > today - datetime.timedelta(days=14) for r in picture.rows)
    courts = next(r for r in picture.rows if r.number == 2)
    assert courts.previous_rag == "amber"  # turned red at the latest Board
    assert len(picture.overdue) >= 3
    assert len(picture.red_issues) == 2
    assert WorkstreamUpdate.objects.filter(workstream__number=1).count() > 150
    assert WorkstreamUpdate.objects.filter(reported_on=D(2020, 6, 26)).count() == 15
    counts = (WorkstreamUpdate.objects.count(), WorkstreamMilestone.objects.count())
    assert load_demo_workstreams() == "workstreams already reported"
    assert (WorkstreamUpdate.objects.count(), WorkstreamMilestone.objects.count()) == counts


def test_a_workstream_page_shows_the_latest_twelve_updates_and_all_on_request(
    small_estate, signed_in
):
    for n in range(15):
        report(8, "amber", D(2020, 6, 26) + datetime.timedelta(days=14 * n), f"Update {n + 1}.")
    client = signed_in(Role.PROBATION_REGION)
    page = text(client.get(reverse("probation:workstream", args=[8])))
    assert "Status updates to the Board (15)" in page
    assert "Update 15." in page and "Update 4." in page
    assert "Update 3." not in page
    assert "Show all 15 updates (3 earlier)" in page
    everything = text(client.get(reverse("probation:workstream", args=[8]) + "?updates=all"))
    assert "Update 1." in everything
    assert "Show all" not in everything

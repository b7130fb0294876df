"""Rapid answering: "Save and go to the next" walks through the baselines one after another, in
the plan's order of work or through the baselines assigned to me, says where I am, skips what
is done, ends where the run started, and still refuses a stale edit. The plan page's mine
filter shows only my baselines. Expected orders are worked out by hand from the fixtures."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recovery.accounts.factories import RoleAssignmentFactory
from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.plans.models import Response


@pytest.fixture
def plan(small_estate):
    """EDM 901 printed as 1.1 (w1), 1.2 (w3), 2.1 (desirable, no weighting), 2.2 (w2),
    2.3 (w3); EDM 902 with 1.1 (w2). The plan page shows EDM 901 by weighting, precursors
    first, each weighting in printed order, then EDM 902:
    901 1.2, 901 2.3, 901 2.2, 901 1.1, 901 2.1, 902 1.1."""
    make_edm_version(
        901,
        [
            B("1.1", 1),
            B("1.2", 3),
            B("2.1", None, mandatory=False, area="2"),
            B("2.2", 2, area="2"),
            B("2.3", 3, area="2"),
        ],
        title="Visits",
    )
    make_edm_version(902, [B("1.1", 2)], title="Education")
    small_estate.establishment_1.establishment_type = EstablishmentType.CAT_C
    return start_plan(small_estate.establishment_1)


@pytest.fixture
def editor(person_with_role, small_estate):
    return person_with_role(
        Role.ESTABLISHMENT_EDITOR,
        small_estate.establishment_1,
        email="erin@example.test",
        first_name="Erin",
        last_name="Editing",
    )


def _answer(plan, name: str) -> Response:
    edm, number = name.split()
    return response_for(plan, number, edm=int(edm))


def _name(response_id: int) -> str:
    found = Response.objects.select_related("baseline__edm_version__edm").get(pk=response_id)
    return f"{found.baseline.edm_version.edm.number} {found.baseline.number}"


def _url(code: str, response: Response, mode: str | None) -> str:
    url = f"/plans/{code}/answer/?response={response.pk}"
    return url + f"&next={mode}" if mode else url


def _save_and_go_on(client, code: str, response: Response, mode: str, **fields):
    response.refresh_from_db()
    target = response.target_date
    form = {
        "target_day": target.day if target else "",
        "target_month": target.month if target else "",
        "target_year": target.year if target else "",
        "response": response.pk,
        "version": response.version,
        "status": "in_progress",
        "approach": f"Approach to {response.baseline.number}",
        "owner": "",
        "assignee": str(response.assignee_id or ""),
        "next": mode,
        "then": "next",
        **fields,
    }
    return client.post(f"/plans/{code}/answer/", form)


def _walk(client, code: str, first: Response, mode: str, steps: int) -> tuple[list[str], str]:
    """Save and go to the next from `first`, `steps` times: the baselines seen, in turn, and
    where the last save led."""
    seen = [_name(first.pk)]
    current = first
    for _ in range(steps):
        result = _save_and_go_on(client, code, current, mode)
        assert result.status_code == 302
        target = result["Location"]
        query = parse_qs(urlsplit(target).query)
        if "response" not in query:
            return seen, target
        assert query["next"] == [mode]
        current = Response.objects.get(pk=int(query["response"][0]))
        code = urlsplit(target).path.split("/")[2]
        seen.append(_name(current.pk))
    return seen, ""


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_save_and_go_to_the_next_follows_the_plans_order_of_work(client, plan, editor):
    client.force_login(editor)
    first = _answer(plan, "901 1.2")
    page = client.get(_url("EST1", first, "plan")).content.decode()
    assert "Baseline 1 of 6</strong> in the plan&#x27;s order of work" in page
    assert "5 left to do after this one" in page
    assert "Save and go to the next" in page

    seen, end = _walk(client, "EST1", first, "plan", steps=6)
    assert seen == ["901 1.2", "901 2.3", "901 2.2", "901 1.1", "901 2.1", "902 1.1"]
    assert end == "/plans/EST1/?stage=3"


def test_the_last_one_goes_back_to_the_plan_saying_what_is_left(client, plan, editor):
    client.force_login(editor)
    last = _answer(plan, "902 1.1")
    page = client.get(_url("EST1", last, "plan")).content.decode()
    assert "Baseline 6 of 6" in page and "None left to do after this one" in page
    result = _save_and_go_on(client, "EST1", last, "plan", status="met")
    assert result["Location"] == "/plans/EST1/?stage=3"
    # Five before it, none answered yet; this one is now met.
    assert _messages(result)[-1] == (
        "You have reached the end of the plan's order of work. 5 baselines in it are still "
        "to do (not met, and not marked not applicable)."
    )


def test_baselines_already_done_are_skipped_but_keep_their_place(client, plan, editor):
    answer(_answer(plan, "901 2.3"), status=ResponseStatus.MET)
    answer(
        _answer(plan, "901 2.1"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="No visits hall",
    )
    client.force_login(editor)
    result = _save_and_go_on(client, "EST1", _answer(plan, "901 1.2"), "plan")
    assert result["Location"] == _url("EST1", _answer(plan, "901 2.2"), "plan")
    page = client.get(result["Location"]).content.decode()
    # 2.2 is third of six; after it 1.1 and 902 1.1 are still to do (2.1 does not apply).
    assert "Baseline 3 of 6</strong>" in page
    assert "2 left to do after this one" in page
    assert "Your answer to baseline 1.2 has been saved." in page

    seen, end = _walk(client, "EST1", _answer(plan, "901 2.2"), "plan", steps=3)
    assert seen == ["901 2.2", "901 1.1", "902 1.1"]


def test_save_answer_alone_still_goes_back_to_the_plan(client, plan, editor):
    client.force_login(editor)
    first = _answer(plan, "901 1.2")
    result = _save_and_go_on(client, "EST1", first, "plan", then="")
    assert result["Location"] == f"/plans/EST1/?stage=3#b{first.pk}"


def test_mine_follows_my_baselines_by_target_date_across_establishments(
    client, plan, editor, small_estate
):
    """My baselines are ordered as on the home page: by target date, undated last."""
    small_estate.establishment_2.establishment_type = EstablishmentType.CAT_C
    other_plan = start_plan(small_estate.establishment_2)
    RoleAssignmentFactory(
        user=editor, role=Role.ESTABLISHMENT_EDITOR, unit=small_estate.establishment_2
    )
    today = timezone.localdate()
    mine = {
        _answer(plan, "901 1.1"): None,
        _answer(plan, "901 2.2"): today + datetime.timedelta(days=10),
        _answer(plan, "902 1.1"): today + datetime.timedelta(days=2),
        _answer(other_plan, "901 1.2"): today + datetime.timedelta(days=20),
    }
    for response, target in mine.items():
        Response.objects.filter(pk=response.pk).update(assignee=editor, target_date=target)
    client.force_login(editor)

    home = client.get("/").content.decode()
    first = _answer(plan, "902 1.1")
    assert f'id="work-through-mine" href="/plans/EST1/answer/?response={first.pk}' in home

    page = client.get(_url("EST1", first, "mine")).content.decode()
    assert "Baseline 1 of 4</strong> assigned to you, by target date" in page
    assert "Back to your baselines" in page

    seen, end = _walk(client, "EST1", first, "mine", steps=4)
    assert seen == ["902 1.1", "901 2.2", "901 1.2", "901 1.1"]
    assert end == "/#my-baselines"


def test_mine_from_the_plan_page_keeps_the_plans_order_and_returns_to_the_filter(
    client, plan, editor
):
    for name in ("901 1.1", "901 2.3", "902 1.1"):
        Response.objects.filter(pk=_answer(plan, name).pk).update(assignee=editor)
    client.force_login(editor)
    page = client.get("/plans/EST1/?mine=1").content.decode()
    first = _answer(plan, "901 2.3")
    assert f"?response={first.pk}&amp;next=plan-mine" in page

    seen, end = _walk(client, "EST1", first, "plan-mine", steps=3)
    assert seen == ["901 2.3", "901 1.1", "902 1.1"]
    assert end == "/plans/EST1/?stage=3&mine=1"


def test_a_stale_answer_is_refused_and_the_run_kept(client, plan, editor):
    response = _answer(plan, "901 1.2")
    old_version = response.version
    answer(response, approach="Someone else's approach")
    client.force_login(editor)
    stale = {
        "response": response.pk,
        "version": old_version,
        "status": "in_progress",
        "approach": "Mine",
        "owner": "",
        "assignee": "",
        "next": "plan",
        "then": "next",
    }
    result = client.post("/plans/EST1/answer/", stale)
    assert result.status_code == 200
    html = result.content.decode()
    assert "Your changes have not been saved" in html
    assert '<input type="hidden" name="next" value="plan">' in html
    assert "Baseline 1 of 6</strong>" in html
    response.refresh_from_db()
    assert response.approach == "Someone else's approach"


def test_a_reader_sees_the_position_and_a_link_to_the_next(
    client, plan, person_with_role, small_estate
):
    client.force_login(person_with_role(Role.PGD))
    page = client.get(_url("EST1", _answer(plan, "901 1.2"), "plan")).content.decode()
    assert "Baseline 1 of 6</strong>" in page
    assert "Save and go to the next" not in page
    assert f"{_url('EST1', _answer(plan, '901 2.3'), 'plan')}" in page.replace("&amp;", "&")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def small_and_big(small_estate, editor):
    """EST1's plan answers EDM 901 (2 baselines); EST2's answers it and three EDMs of 40 more
    (published afterwards), 122 in all. The editor edits both."""
    make_edm_version(901, [B("1.1", 3), B("1.2", 2)])
    for establishment in (small_estate.establishment_1, small_estate.establishment_2):
        establishment.establishment_type = EstablishmentType.CAT_C
    small = start_plan(small_estate.establishment_1)
    for offset in range(3):
        make_edm_version(
            950 + offset, [B(f"{n // 10 + 1}.{n % 10 + 1}", (n % 3) + 1) for n in range(40)]
        )
    big = start_plan(small_estate.establishment_2)
    RoleAssignmentFactory(
        user=editor, role=Role.ESTABLISHMENT_EDITOR, unit=small_estate.establishment_2
    )
    assert (small.responses.count(), big.responses.count()) == (2, 122)
    return small, big


def test_the_answer_page_reads_as_many_queries_for_a_plan_60_times_bigger(
    client, small_and_big, editor
):
    small, big = small_and_big
    client.force_login(editor)
    small_url = _url("EST1", response_for(small, "1.1", edm=901), "plan")
    big_url = _url("EST2", response_for(big, "1.1", edm=901), "plan")
    assert "Baseline 1 of 122</strong>" in client.get(big_url).content.decode()
    assert _queries(client, big_url) == _queries(client, small_url)


# --- The plan page's mine filter -------------------------------------------------------------


def test_the_mine_filter_shows_only_my_baselines(client, plan, editor, person_with_role):
    colleague = person_with_role(Role.ESTABLISHMENT_EDITOR)
    mine = [_answer(plan, "901 1.1"), _answer(plan, "902 1.1")]
    theirs = _answer(plan, "901 2.2")
    Response.objects.filter(pk__in=[r.pk for r in mine]).update(assignee=editor)
    Response.objects.filter(pk=theirs.pk).update(assignee=colleague)
    client.force_login(editor)

    everything = client.get("/plans/EST1/").content.decode()
    assert "Show only the baselines assigned to you" in everything
    assert everything.count('<tr id="b') == 6

    filtered = client.get("/plans/EST1/?mine=1").content.decode()
    assert "Showing only the 2 baselines of this plan assigned to you" in filtered
    assert "Show every baseline of the plan" in filtered
    rows = [r for r in Response.objects.filter(plan=plan) if f'<tr id="b{r.pk}"' in filtered]
    assert sorted(r.pk for r in rows) == sorted(r.pk for r in mine)
    # Both EDMs hold one of mine; an EDM holding none would not be listed.
    assert "EDM 901: Visits" in filtered and "EDM 902: Education" in filtered


def test_the_mine_filter_says_when_nothing_is_mine(client, plan, editor):
    client.force_login(editor)
    filtered = client.get("/plans/EST1/?mine=1").content.decode()
    assert "No baseline of this plan is assigned to you." in filtered
    assert '<tr id="b' not in filtered


def test_the_mine_filter_reads_as_many_queries_for_a_plan_60_times_bigger(
    client, small_and_big, editor
):
    small, big = small_and_big
    for plan in small_and_big:
        first = Response.objects.filter(plan=plan).order_by("pk").first()
        Response.objects.filter(pk=first.pk).update(assignee=editor)
    # On the big plan, 30 more are mine.
    more = Response.objects.filter(plan=big, assignee__isnull=True).order_by("pk")[:30]
    Response.objects.filter(pk__in=[r.pk for r in more]).update(assignee=editor)
    client.force_login(editor)
    big_page = client.get("/plans/EST2/?mine=1").content.decode()
    assert "Showing only the 31 baselines of this plan assigned to you" in big_page
    assert _queries(client, "/plans/EST2/?mine=1") == _queries(client, "/plans/EST1/?mine=1")


def test_my_run_never_leads_out_of_my_scope(client, plan, editor, small_estate):
    """A baseline once given to me at an establishment where I no longer hold a role is not in
    my run: "Save and go to the next" never opens an answer I may not read."""
    small_estate.establishment_2.establishment_type = EstablishmentType.CAT_C
    elsewhere = response_for(start_plan(small_estate.establishment_2), "1.2", edm=901)
    today = timezone.localdate()
    first = _answer(plan, "901 1.1")
    Response.objects.filter(pk=first.pk).update(assignee=editor, target_date=today)
    Response.objects.filter(pk=elsewhere.pk).update(
        assignee=editor, target_date=today + datetime.timedelta(days=1)
    )
    client.force_login(editor)
    page = client.get(_url("EST1", first, "mine")).content.decode()
    assert "Baseline 1 of 1</strong>" in page
    result = _save_and_go_on(client, "EST1", first, "mine")
    assert result["Location"] == "/#my-baselines"

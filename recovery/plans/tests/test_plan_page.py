"""The plan page: the next/overdue list on top, a contents list, and each EDM's baselines shown
once, in its own section."""

import datetime
import re

import pytest

from recovery.core.constants import Role
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan


@pytest.fixture
def two_edm_plan(small_estate, visits_edm):
    """EDM 901 (Visits: 1.1 and 1.2 weight 3, 2.1, 2.2, 3.1) and EDM 902 (Education)."""
    make_edm_version(902, [B("1.1", 3), B("1.2", 2), B("1.3", 1)], title="Education")
    return start_plan(small_estate.establishment_1)


def _plan_html(client, person_with_role, role=Role.GOVERNOR) -> str:
    client.force_login(person_with_role(role))
    page = client.get("/plans/EST1/")
    assert page.status_code == 200
    return page.content.decode()


def test_each_baseline_is_shown_once(client, two_edm_plan, person_with_role):
    answer(
        response_for(two_edm_plan, "2.1", edm=901),
        status=ResponseStatus.IN_PROGRESS,
        target_date=datetime.date(2020, 1, 31),
    )
    html = _plan_html(client, person_with_role)
    # 5 baselines of EDM 901 and 3 of EDM 902, each with one row and one link to its answer.
    for response in two_edm_plan.responses.all():
        assert html.count(f'id="b{response.pk}"') == 1
        assert html.count(f"?response={response.pk}") == 1
    assert html.count("<tr id=") == 8


def test_next_and_overdue_link_to_the_rows_below(client, two_edm_plan, person_with_role):
    overdue = answer(
        response_for(two_edm_plan, "2.1", edm=901),
        status=ResponseStatus.IN_PROGRESS,
        target_date=datetime.date(2020, 1, 31),
    )
    html = _plan_html(client, person_with_role)
    top = html[html.index('id="next"') : html.index('id="contents-heading"')]
    visits_next = [response_for(two_edm_plan, n, edm=901).pk for n in ("1.1", "1.2")]
    education_next = response_for(two_edm_plan, "1.1", edm=902).pk
    edm_901 = re.search(r'href="#edm-901">EDM 901</a></th>(.*?)</tr>', top).group(1)
    assert f'href="#b{visits_next[0]}">1.1</a>, <a href="#b{visits_next[1]}">1.2</a>' in edm_901
    assert f'href="#b{overdue.pk}">2.1</a>' in edm_901  # overdue since 31 January 2020
    edm_902 = re.search(r'href="#edm-902">EDM 902</a></th>(.*?)</tr>', top).group(1)
    assert f'href="#b{education_next}">1.1</a>' in edm_902
    assert "#b" not in edm_902.split("</td>", 1)[1]  # nothing overdue in EDM 902
    assert "3 baselines next" in top and "1 overdue" in top


def test_contents_list_leads_to_each_edm_section(client, two_edm_plan, person_with_role):
    answer(response_for(two_edm_plan, "1.2", edm=902), status=ResponseStatus.MET)
    html = _plan_html(client, person_with_role)
    contents = html[
        html.index('id="contents-heading"') : html.index(
            "</nav>", html.index('id="contents-heading"')
        )
    ]
    assert 'href="#edm-901">EDM 901: Visits</a>' in contents
    # EDM 902: 1.2 met (weight 2) of 3 + 2 + 1 = 6: 33.3% -> 33%.
    assert 'href="#edm-902">EDM 902: Education</a> <span class="govuk-body-s">33% of' in contents
    assert html.count('id="edm-901"') == 1 and html.count('id="edm-902"') == 1
    assert (
        html.index('id="next"') < html.index('id="contents-heading"') < html.index('id="edm-901"')
    )


def test_every_reader_gets_links_to_the_answers(client, two_edm_plan, person_with_role):
    html = _plan_html(client, person_with_role, Role.TRADE_UNION_REP)
    one = response_for(two_edm_plan, "1.1", edm=901)
    assert f'<th scope="row"><a href="/plans/EST1/answer/?response={one.pk}">1.1</a>' in html
    assert "Upload a completed spreadsheet" not in html


def test_after_saving_an_answer_the_plan_opens_at_its_row(client, two_edm_plan, person_with_role):
    response = response_for(two_edm_plan, "2.1", edm=901)
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    form = client.get(f"/plans/EST1/answer/?response={response.pk}").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(response=response.pk, status="in_progress", owner="Head of Residence")
    sent = client.post("/plans/EST1/answer/", data)
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"#b{response.pk}")
    html = client.get(sent["Location"].split("#")[0]).content.decode()
    assert f'<tr id="b{response.pk}">' in html

"""The plan page's baseline tables: what a person reads, and nothing they typed becomes HTML."""

import datetime
from types import SimpleNamespace

import pytest

from recovery.plans.templatetags.plan_tables import baseline_links, plan_table


def row(**overrides):
    values = dict(
        id=7,
        edm_number=18,
        number="3.1",
        mandatory=True,
        text="Hold a resettlement meeting",
        needs_review=False,
        autonomy_label="Partial",
        chosen_option="Video",
        status="met",
        status_tag="govuk-tag--green",
        status_label="Met",
        owner="Head of Casework",
        target_date=datetime.date(2026, 12, 1),
        overdue=False,
        sequence_tag="govuk-tag--blue",
        sequence_label="Next",
    )
    values.update(overrides)
    return SimpleNamespace(**values)


@pytest.fixture
def context(db):
    return {"establishment": SimpleNamespace(code="EST1"), "may_edit": True}


def test_a_row_shows_the_answer_and_links_to_it(context):
    html = plan_table(context, [row()], "Next", show_edm=True)
    assert "<caption" in html and ">Next</caption>" in html
    assert "EDM 18" in html and "Option chosen: Video" in html and "1 Dec 2026" in html
    assert "<td>Met<td>" in html  # done: plain text, as a completed task
    assert '<tr id="b7">' in html
    assert '<th scope="row"><a href="/plans/EST1/answer/?response=7">3.1</a>' in html


def test_text_a_person_typed_is_escaped(context):
    html = plan_table(context, [row(owner="<script>alert(1)</script>", chosen_option="<b>x")], "c")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x" not in html


def test_long_requirements_are_shortened_and_flags_shown(context):
    html = plan_table(
        context,
        [row(text="word " * 100, needs_review=True, overdue=True, mandatory=False)],
        "c",
    )
    assert "…" in html and "Needs review" in html and "Overdue" in html and "Desirable" in html


def test_work_still_to_do_is_tagged(context):
    html = plan_table(
        context,
        [row(status="in_progress", status_label="In progress", status_tag="")],
        "c",
    )
    assert '<td><strong class="govuk-tag ">In progress</strong><td>' in html


def test_requirements_show_their_first_120_characters(context):
    text = "x" * 119 + "yz"
    html = plan_table(context, [row(text=text), row(id=8, text="y" * 120)], "c")
    assert "x" * 119 + "…<" in html and "yz" not in html
    assert "<td>" + "y" * 120 + "<" in html


def test_missing_owner_and_date_are_said(context):
    html = plan_table(context, [row(target_date=None, owner="")], "c")
    assert "<td>Not given<td>Not set" in html


def test_baseline_links_point_at_the_rows(context):
    html = baseline_links([row(id=7, number="1.1"), row(id=9, number="<2>")])
    assert html == '<a href="#b7">1.1</a>, <a href="#b9">&lt;2&gt;</a>'


def test_dates_read_as_the_date_filter_writes_them():
    from django.utils.dateformat import format as format_date

    from recovery.plans.templatetags.plan_tables import day_month_year

    for month in range(1, 13):
        date = datetime.date(2026, month, 9)
        assert day_month_year(date) == format_date(date, "j M Y")

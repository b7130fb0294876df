"""The plan page's tables of baselines, rendered in Python.

A plan of 10 EDMs x 120 baselines shows 1,200 rows. Through the template engine each row cost
about 0.25 ms, and with GOV.UK's class on every cell the page weighed over 1 MB
(docs/performance.md). This tag writes the same GOV.UK table with plain cells, which the
table's `app-plan-table` class styles as `govuk-table__cell` and `govuk-table__header` are
(frontend/src/application.css). Every value goes through `escape`, so no text a user typed can
become HTML.

Each baseline appears once, in its EDM's section, with an anchor (`#b<response id>`); the lists
at the top of the page ("next", "overdue", "to review") link to those anchors rather than repeat
the rows. The order of work is the same for every outstanding baseline of one weighting of one
EDM, so the table's caption says it once."""

import html

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEXT_LIMIT = 220
HEADINGS = ("Baseline", "Requirement", "Autonomy", "Status", "Owner", "Target date")


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def escape(value) -> str:
    """The standard library's escaping (&, <, >, " and ' become entities), called directly:
    django.utils.html.escape does the same through a lazy-aware wrapper that costs 4 times as
    much, 10,000 times a page."""
    return html.escape(str(value))


def day_month_year(date) -> str:
    """`1 Dec 2026`, as Django's date filter "j M Y" writes it in this service's English."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


DESIRABLE = '<br><span class="govuk-body-s">Desirable</span>'
NEEDS_REVIEW = '<br><strong class="govuk-tag govuk-tag--yellow">Needs review</strong>'
OVERDUE = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'


def anchor(row) -> str:
    """The id of a baseline's row on the plan page."""
    return f"b{int(row.id)}"


def _row(row, *, answer_url: str, show_edm: bool) -> str:
    """One row's HTML. Every value goes through `escape`; only fixed markup is not escaped.
    (f-strings rather than nested format_html: this runs 1,200 times on a large plan.)"""
    e = escape
    number = e(row.number)
    option = f": {e(row.chosen_option)}" if row.chosen_option else ""
    if row.target_date:
        target = day_month_year(row.target_date) + (OVERDUE if row.overdue else "")
    else:
        target = "Not set"
    edm = f"<td>EDM {e(row.edm_number)}</td>" if show_edm else ""
    return (
        f'<tr id="{anchor(row)}">{edm}<th scope="row"><a class="govuk-link" href="{answer_url}'
        f'?response={int(row.id)}">{number}</a>{"" if row.mandatory else DESIRABLE}</th>'
        f"<td>{e(shorten(row.text))}{NEEDS_REVIEW if row.needs_review else ''}</td>"
        f"<td>{e(row.autonomy_label)}{option}</td>"
        f'<td><strong class="govuk-tag {e(row.status_tag)}">{e(row.status_label)}</strong></td>'
        f"<td>{e(row.owner) if row.owner else 'Not given'}</td>"
        f"<td>{target}</td></tr>"
    )


@register.simple_tag(takes_context=True)
def plan_table(context, rows, caption: str, show_edm: bool = False) -> SafeString:
    """A table of answered baselines, each number linking to its answer (which everyone who
    may see the plan can read; its editors can change it there)."""
    answer_url = escape(reverse("plans:response", args=[context["establishment"].code]))
    headings = (("EDM",) if show_edm else ()) + HEADINGS
    head = format_html_join(
        "", '<th scope="col" class="govuk-table__header">{}</th>', ((h,) for h in headings)
    )
    body = mark_safe("".join(_row(r, answer_url=answer_url, show_edm=show_edm) for r in rows))
    return format_html(
        '<div class="app-table-wrapper"><table class="govuk-table app-plan-table">'
        '<caption class="govuk-table__caption govuk-table__caption--s">{}</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>'
        '<tbody class="govuk-table__body">{}</tbody></table></div>',
        caption,
        head,
        body,
    )


@register.simple_tag
def baseline_links(rows) -> SafeString:
    """Links to baselines' rows further down the page: `1.1, 1.4, 2.3`."""
    return mark_safe(
        ", ".join(f'<a class="govuk-link" href="#{anchor(r)}">{escape(r.number)}</a>' for r in rows)
    )

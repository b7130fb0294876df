"""The plan page's tables of baselines, rendered in Python.

A plan of 10 EDMs x 120 baselines shows 1,200 rows. Through the template engine each row cost
about 0.25 ms, and with GOV.UK's classes on every cell and link the page weighed over 1 MB
(target: 400 KiB; docs/performance.md). This tag writes a GOV.UK table with plain cells and
links, which the table's `app-plan-table` class styles as `govuk-table__cell`,
`govuk-table__header` and `govuk-link` are (frontend/src/application.css), and leaves out the
end tags HTML makes optional (`</td>`, `</th>`, `</tr>`: the next cell, row or `</tbody>` closes
them; https://html.spec.whatwg.org/multipage/syntax.html#optional-tags). Every value goes
through `escape`, so no text a user typed can become HTML.

Each baseline appears once, in its EDM's section, with an anchor (`#b<response id>`); the lists
at the top of the page ("next", "overdue", "to review") link to those anchors rather than repeat
the rows. The order of work is the same for every outstanding baseline of one weighting of one
EDM, so the table's caption says it once. A baseline's autonomy is the EDM's, not the answer's:
its answer page shows it; the table shows the option an establishment chose."""

import html

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from recovery.plans.constants import ResponseStatus

register = template.Library()

TEXT_LIMIT = 120
HEADINGS = ("Baseline", "Requirement", "Status", "Owner", "Target date")


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


DESIRABLE = "<br><small>Desirable</small>"
NEEDS_REVIEW = '<br><strong class="govuk-tag govuk-tag--yellow">Needs review</strong>'
OVERDUE = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'


DONE_STATUSES = frozenset({ResponseStatus.MET, ResponseStatus.NOT_APPLICABLE})


def status(row) -> str:
    """A tag for work still to do; plain text once done, as GOV.UK's task list shows a
    completed task, so that what needs doing stands out in a long table."""
    if row.status in DONE_STATUSES:
        return escape(row.status_label)
    return f'<strong class="govuk-tag {escape(row.status_tag)}">{escape(row.status_label)}</strong>'


def anchor(row) -> str:
    """The id of a baseline's row on the plan page."""
    return f"b{int(row.id)}"


def _row(row, *, answer_url: str, show_edm: bool, query: str = "") -> str:
    """One row's HTML. Every value goes through `escape`; only fixed markup is not escaped.
    (f-strings rather than nested format_html: this runs 1,200 times on a large plan.)"""
    e = escape
    number = e(row.number)
    option = (
        f"<br><small>Option chosen: {e(row.chosen_option)}</small>" if row.chosen_option else ""
    )
    if row.target_date:
        target = day_month_year(row.target_date) + (OVERDUE if row.overdue else "")
    else:
        target = "Not set"
    edm = f"<td>EDM {e(row.edm_number)}" if show_edm else ""
    return (
        f'<tr id="{anchor(row)}">{edm}<th scope="row"><a href="{answer_url}?response='
        f'{int(row.id)}{query}">{number}</a>{"" if row.mandatory else DESIRABLE}'
        f"<td>{e(shorten(row.text))}{option}{NEEDS_REVIEW if row.needs_review else ''}"
        f"<td>{status(row)}"
        f"<td>{e(row.owner) if row.owner else 'Not given'}"
        f"<td>{target}"
    )


@register.simple_tag(takes_context=True)
def plan_table(context, rows, caption: str, show_edm: bool = False) -> SafeString:
    """A table of answered baselines, each number linking to its answer (which everyone who
    may see the plan can read; its editors can change it there). The context's `answer_query`
    (`&next=...`) goes on every link: the run of baselines the answer page works through."""
    answer_url = escape(reverse("plans:response", args=[context["establishment"].code]))
    query = escape(context.get("answer_query", ""))
    headings = (("EDM",) if show_edm else ()) + HEADINGS
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings))
    body = mark_safe(
        "".join(_row(r, answer_url=answer_url, show_edm=show_edm, query=query) for r in rows)
    )
    return format_html(
        '<div class="app-table-wrapper"><table class="govuk-table app-plan-table">'
        '<caption class="govuk-table__caption govuk-table__caption--s">{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>",
        caption,
        head,
        body,
    )


@register.simple_tag
def baseline_links(rows) -> SafeString:
    """Links to baselines' rows further down the page: `1.1, 1.4, 2.3` (inside an
    `app-plan-table`, which styles them as GOV.UK links)."""
    return mark_safe(", ".join(f'<a href="#{anchor(r)}">{escape(r.number)}</a>' for r in rows))

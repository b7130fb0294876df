"""The plan page's tables of baselines, rendered in Python.

A plan of 10 EDMs x 120 baselines shows about 1,400 rows; through the template engine each row
cost about 0.25 ms, which put the page far over its 200 ms budget (docs/performance.md). This
tag renders the same GOV.UK table markup with `format_html`, which escapes every value, so no
text a user typed can become HTML."""

import html

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEXT_LIMIT = 220
HEADINGS = (
    "Baseline",
    "Requirement",
    "Autonomy",
    "Status",
    "Owner",
    "Target date",
    "Order of work",
)


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def escape(value) -> str:
    """The standard library's escaping (&, <, >, " and ' become entities), called directly:
    django.utils.html.escape does the same through a lazy-aware wrapper that costs 4 times as
    much, 80,000 times a page."""
    return html.escape(str(value))


def day_month_year(date) -> str:
    """`1 Dec 2026`, as Django's date filter "j M Y" writes it in this service's English."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


DESIRABLE = '<br><span class="govuk-body-s">Desirable</span>'
NEEDS_REVIEW = '<br><strong class="govuk-tag govuk-tag--yellow">Needs review</strong>'
OVERDUE = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'


def _row(row, *, answer_url: str | None, show_edm: bool) -> str:
    """One row's HTML. Every value goes through `escape`; only fixed markup is not escaped.
    (f-strings rather than nested format_html: this runs 1,400 times on a large plan.)"""
    e = escape
    number = e(row.number)
    cells = [f'<td class="govuk-table__cell">EDM {e(row.edm_number)}</td>'] if show_edm else []
    option = f": {e(row.chosen_option)}" if row.chosen_option else ""
    if row.target_date:
        target = day_month_year(row.target_date) + (OVERDUE if row.overdue else "")
    else:
        target = "Not set"
    cells += [
        f'<td class="govuk-table__cell">{number}{"" if row.mandatory else DESIRABLE}</td>',
        f'<td class="govuk-table__cell">{e(shorten(row.text))}'
        f"{NEEDS_REVIEW if row.needs_review else ''}</td>",
        f'<td class="govuk-table__cell">{e(row.autonomy_label)}{option}</td>',
        f'<td class="govuk-table__cell"><strong class="govuk-tag {e(row.status_tag)}">'
        f"{e(row.status_label)}</strong></td>",
        f'<td class="govuk-table__cell">{e(row.owner or "Not given")}</td>',
        f'<td class="govuk-table__cell">{target}</td>',
        f'<td class="govuk-table__cell"><strong class="govuk-tag {e(row.sequence_tag)}">'
        f"{e(row.sequence_label)}</strong></td>",
    ]
    if answer_url:
        of_edm = f" of EDM {e(row.edm_number)}" if show_edm else ""
        cells.append(
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{answer_url}?response='
            f'{e(row.id)}">Answer<span class="govuk-visually-hidden"> baseline {number}{of_edm}'
            "</span></a></td>"
        )
    row_id = "" if show_edm else f' id="baseline-{e(row.id)}"'
    return f'<tr class="govuk-table__row"{row_id}>{"".join(cells)}</tr>'


@register.simple_tag(takes_context=True)
def plan_table(context, rows, caption: str, show_edm: bool = False, may_edit=None) -> SafeString:
    """A table of answered baselines. `may_edit` defaults to the page's own `may_edit`."""
    if may_edit is None:
        may_edit = context.get("may_edit", False)
    answer_url = (
        escape(reverse("plans:response", args=[context["establishment"].code]))
        if may_edit
        else None
    )
    headings = (("EDM",) if show_edm else ()) + HEADINGS
    head = format_html_join(
        "", '<th scope="col" class="govuk-table__header">{}</th>', ((h,) for h in headings)
    )
    if may_edit:
        head += mark_safe(
            '<th scope="col" class="govuk-table__header">'
            '<span class="govuk-visually-hidden">Action</span></th>'
        )
    body = mark_safe("".join(_row(r, answer_url=answer_url, show_edm=show_edm) for r in rows))
    return format_html(
        '<table class="govuk-table"><caption class="govuk-table__caption '
        'govuk-table__caption--s">{}</caption><thead class="govuk-table__head">'
        '<tr class="govuk-table__row">{}</tr></thead><tbody class="govuk-table__body">{}</tbody>'
        "</table>",
        caption,
        head,
        body,
    )

"""The plan page's tables of baselines, rendered in Python.

A plan of 10 EDMs x 120 baselines shows about 1,400 rows; through the template engine each row
cost about 0.25 ms, which put the page far over its 200 ms budget (docs/performance.md). This
tag renders the same GOV.UK table markup with `format_html`, which escapes every value, so no
text a user typed can become HTML."""

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
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


def _row(row, *, answer_url: str | None, show_edm: bool) -> SafeString:
    cells = []
    if show_edm:
        cells.append(format_html('<td class="govuk-table__cell">EDM {}</td>', row.edm_number))
    cells.append(
        format_html(
            '<td class="govuk-table__cell">{}{}</td>',
            row.number,
            "" if row.mandatory else mark_safe('<br><span class="govuk-body-s">Desirable</span>'),
        )
    )
    cells.append(
        format_html(
            '<td class="govuk-table__cell">{}{}</td>',
            shorten(row.text),
            mark_safe('<br><strong class="govuk-tag govuk-tag--yellow">Needs review</strong>')
            if row.needs_review
            else "",
        )
    )
    cells.append(
        format_html(
            '<td class="govuk-table__cell">{}{}</td>',
            row.autonomy_label,
            format_html(": {}", row.chosen_option) if row.chosen_option else "",
        )
    )
    cells.append(
        format_html(
            '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>',
            row.status_tag,
            row.status_label,
        )
    )
    cells.append(format_html('<td class="govuk-table__cell">{}</td>', row.owner or "Not given"))
    if row.target_date:
        cells.append(
            format_html(
                '<td class="govuk-table__cell">{}{}</td>',
                format_date(row.target_date, "j M Y"),
                mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')
                if row.overdue
                else "",
            )
        )
    else:
        cells.append(mark_safe('<td class="govuk-table__cell">Not set</td>'))
    cells.append(
        format_html(
            '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>',
            row.sequence_tag,
            row.sequence_label,
        )
    )
    if answer_url:
        cells.append(
            format_html(
                '<td class="govuk-table__cell"><a class="govuk-link" href="{}?response={}">'
                'Answer<span class="govuk-visually-hidden"> baseline {}{}</span></a></td>',
                answer_url,
                row.id,
                row.number,
                format_html(" of EDM {}", row.edm_number) if show_edm else "",
            )
        )
    row_id = "" if show_edm else format_html(' id="baseline-{}"', row.id)
    return format_html('<tr class="govuk-table__row"{}>{}</tr>', row_id, mark_safe("".join(cells)))


@register.simple_tag(takes_context=True)
def plan_table(context, rows, caption: str, show_edm: bool = False, may_edit=None) -> SafeString:
    """A table of answered baselines. `may_edit` defaults to the page's own `may_edit`."""
    if may_edit is None:
        may_edit = context.get("may_edit", False)
    answer_url = (
        reverse("plans:response", args=[context["establishment"].code]) if may_edit else None
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

"""The backlog chart: a metric's figures as a server-rendered SVG line, its target as a dashed
line, both axes labelled, with a title and a description that says the trend in words, and the
same figures in a table beneath (templates/backlogs/_chart.html). No JavaScript."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString

from recovery.backlogs.dashboard import MetricLine, number_text

register = template.Library()

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 56
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    at: str  # pixels along the axis
    label: str


def px(value: float) -> str:
    """A coordinate as SVG text: one decimal, never localised (a template would write 1,234.5
    or 1234,5 where SVG needs 1234.5)."""
    return f"{value:.1f}"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def geometry(line: MetricLine) -> dict:
    """Where everything goes: the line's segments (a gap where a period has no figure shown),
    its points, the target's height, and the ticks of each axis."""
    values = [float(p.value) for p in line.points if p.value is not None]
    target = float(line.target) if line.target is not None else None
    top = nice_ceiling(max([*values, target or 0, 0]) * 1.05)
    count = len(line.points)

    def x(index: int) -> float:
        return LEFT + (PLOT_W * index / (count - 1) if count > 1 else PLOT_W / 2)

    def y(value: float) -> float:
        return TOP + PLOT_H - PLOT_H * value / top

    segments, current, dots = [], [], []
    for index, p in enumerate(line.points):
        if p.value is None:
            if current:
                segments.append(current)
            current = []
            continue
        at = (round(x(index), 1), round(y(float(p.value)), 1))
        current.append(at)
        dots.append(at)
    if current:
        segments.append(current)
    labelled = sorted({0, count // 2, count - 1}) if count else []
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + PLOT_H,
        "middle_y": TOP + PLOT_H // 2,
        "segments": [" ".join(f"{px(a)},{px(b)}" for a, b in seg) for seg in segments],
        # Built here rather than looped over in the template: a dashboard holds sixty charts.
        "dots": format_html_join(
            "",
            '<circle class="app-chart__point" cx="{}" cy="{}" r="3"></circle>',
            ((px(a), px(b)) for a, b in dots),
        ),
        "target_y": px(y(target)) if target is not None else None,
        "target_label": f"Target {number_text(Decimal(str(line.target)))}"
        if target is not None
        else "",
        "y_ticks": [Tick(px(y(top * k / 2)), number_text(top * k / 2)) for k in (0, 1, 2)],
        "x_ticks": [Tick(px(x(i)), f"{line.points[i].period:%-d %b %Y}") for i in labelled],
        "x_title_y": HEIGHT - 8,
        "first": line.points[0].period if count else None,
        "last": line.points[-1].period if count else None,
    }


def table_rows(line: MetricLine, reporting: bool) -> SafeString:
    """The rows of the table beneath the chart, built once here (1,500 rows on a dashboard
    of sixty metrics would be most of the page's time as template loops)."""
    rows = []
    for p in line.points:
        row = (
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f"{p.period:%-d %B %Y}</th>"
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(p.shown)}</td>'
        )
        if reporting:
            row += (
                '<td class="govuk-table__cell govuk-table__cell--numeric">'
                f"{int(p.reporting or 0)} of {int(p.expected or 0)}</td>"
            )
        rows.append(row + "</tr>")
    return SafeString("".join(rows))


@register.inclusion_tag("backlogs/_chart.html")
def backlog_chart(line: MetricLine, reporting: bool = False) -> dict:
    """`{% backlog_chart line %}`; `reporting=True` adds how many establishments reported each
    figure to the table (group and national figures)."""
    return {
        "line": line,
        "g": geometry(line),
        "rows": table_rows(line, reporting),
        "reporting": reporting,
    }

"""Hours as people read them on the staffing pages: 1,234 or 1,234.5."""

from decimal import Decimal

from django import template

from recovery.probation.staffing_constants import HOURS_PLACES

register = template.Library()


@register.filter
def hours(value) -> str:
    if value is None or value == "":
        return ""
    shown = f"{Decimal(value).quantize(HOURS_PLACES):,f}"
    return shown.removesuffix(".0")


@register.filter
def taken(cover, key: str):
    """The hours a week's cover took from the rung `key`."""
    return cover.taken[key]

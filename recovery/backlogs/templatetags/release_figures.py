"""How a published figure reads on a page: a number with thousands separators and no
trailing zeros (42, 1,250, 12.5), the suppression words as they are, and a dash for none."""

from decimal import Decimal

from django import template

register = template.Library()

NO_FIGURE = "–"


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return NO_FIGURE
    if isinstance(value, str):
        return value
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"

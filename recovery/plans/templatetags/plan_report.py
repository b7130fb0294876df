"""Filters of the plan report (plans/report_pdf.html)."""

from django import template

register = template.Library()

ENDINGS = (".", "!", "?")


@register.filter(is_safe=True)
def sentence(text: str) -> str:
    """`text` ending in a full stop, unless it ends in one already (or in ! or ?), so that an
    answer's parts run on in one paragraph: "Approach: Reopen the gym. Owner: …". Safe in, safe
    out: a full stop escapes to itself."""
    text = str(text).rstrip()
    return text if not text or text.endswith(ENDINGS) else text + "."

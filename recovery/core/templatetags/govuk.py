"""Small template helpers for GOV.UK Frontend markup. Component markup itself lives in
templates/components/*.html, written against the pinned govuk-frontend release."""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field: str) -> str:
    """The query string that sorts a table by `field`, flipping direction if already sorted."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    direction = params.get("dir", "asc")
    params["sort"] = field
    params["dir"] = "desc" if current == field and direction == "asc" else "asc"
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def aria_sort(context, field: str) -> str:
    request = context["request"]
    if request.GET.get("sort") != field:
        return "none"
    return "descending" if request.GET.get("dir") == "desc" else "ascending"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def field_errors(form, name: str):
    return form.errors.get(name, []) if form is not None else []


@register.simple_tag
def qs(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

"""The audit trail for administrators: every change in the service, newest first, filtered by
action, person and object, and exportable to a spreadsheet."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from recovery.audit.queries import action_names, search_events
from recovery.core.pagination import pagination_links
from recovery.core.views import require_permission
from recovery.core.xlsx import Sheet, xlsx_response

PER_PAGE = 50
# An export is a whole filtered trail, but never an unbounded one: past this, narrow the filter.
EXPORT_LIMIT = 20_000


def _filters(request) -> dict[str, str]:
    return {
        "action": request.GET.get("action", "").strip()[:100],
        "actor": request.GET.get("person", "").strip()[:200],
        "object_text": request.GET.get("object", "").strip()[:300],
    }


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def show_value(value) -> str:
    """A before or after value as a person reads it."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def change_lines(event) -> list[str]:
    return [
        f"{name.replace('_', ' ')}: {show_value(before)} → {show_value(after)}"
        for name, before, after in event.changes
    ]


@require_GET
@require_permission("audit.view_trail")
def trail(request):
    filters = _filters(request)
    if request.GET.get("format") == "xlsx":
        return _export(filters)
    page = search_events(**filters, page=_page_number(request), per_page=PER_PAGE)
    rows = [{"event": event, "changes": change_lines(event)} for event in page]
    return render(
        request,
        "audit/trail.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": any(filters.values()),
            "actions": action_names(),
            "pagination": pagination_links(request, page),
        },
    )


def _export(filters: dict[str, str]):
    events = search_events(**filters, page=1, per_page=EXPORT_LIMIT).paginator.object_list
    events = events[:EXPORT_LIMIT]
    sheet = Sheet(
        title="Audit trail",
        headers=["When", "Who", "Action", "Summary", "Object type", "Object", "Changes"],
        rows=(
            [
                timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.action,
                e.summary,
                e.object_type,
                e.object_repr,
                "\n".join(change_lines(e)),
            ]
            for e in events
        ),
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return xlsx_response(f"audit-trail-{stamp}.xlsx", [sheet])

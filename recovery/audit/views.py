"""The audit trail for administrators: every change in the service, newest first, filtered by
action, person and object, and exportable to a spreadsheet."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from recovery.audit.queries import action_choices, entry_of, search_events
from recovery.core.pagination import pagination_links
from recovery.core.views import require_permission
from recovery.core.xlsx import Sheet, xlsx_response

PER_PAGE = 50
# An export is a whole filtered trail, but never an unbounded one: past this, narrow the filter.
EXPORT_LIMIT = 20_000
# As every page of the service shows a moment (and the per-object history partial).
WHEN = "j F Y H:i"


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


@require_GET
@require_permission("audit.view_trail")
def trail(request):
    filters = _filters(request)
    if request.GET.get("format") == "xlsx":
        return _export(filters)
    page = search_events(**filters, page=_page_number(request), per_page=PER_PAGE)
    entries = [entry_of(event) for event in page]
    return render(
        request,
        "audit/trail.html",
        {
            "page": page,
            "entries": entries,
            "filters": filters,
            "filtered": any(filters.values()),
            "actions": action_choices(),
            "pagination": pagination_links(request, page),
        },
    )


def _export(filters: dict[str, str]):
    events = search_events(**filters, page=1, per_page=EXPORT_LIMIT).paginator.object_list
    events = events[:EXPORT_LIMIT]
    sheet = Sheet(
        title="Audit trail",
        headers=["When", "Who", "What happened", "Summary", "Kind of object", "Object", "Changes"],
        rows=(
            [
                date_format(timezone.localtime(entry.occurred_at), WHEN),
                entry.actor_name,
                entry.action_label,
                entry.summary,
                entry.object_type_label,
                entry.object_repr,
                "\n".join(entry.change_lines),
            ]
            for entry in map(entry_of, events)
        ),
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return xlsx_response(f"audit-trail-{stamp}.xlsx", [sheet])

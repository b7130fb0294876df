"""The public status pages: no sign-in, the same page for everyone (shown as to a signed-out
person), kept in the cache and cacheable by browsers and proxies for a short time. The
Governor's page publishes the establishment's note."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.edits import edit_versioned
from recovery.core.views import scoped_get_or_404
from recovery.estate.models import Establishment
from recovery.public import queries
from recovery.public.actions import do_publish_note, note_of
from recovery.public.cache import INDEX_KEY, cached, establishment_key
from recovery.public.forms import NoteForm, StatusSearchForm
from recovery.public.rules import EDIT_NOTE


def _public_page(request, *, title: str, body: str, breadcrumbs=None):
    """The public layout around `body`: no navigation or account bar for signed-in work, even
    for a signed-in person (the page is the same for everyone), and public caching headers."""
    request.user = AnonymousUser()
    response = render(
        request,
        "public/page.html",
        {"title": title, "body": body, "messages": [], "breadcrumbs": breadcrumbs},
    )
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_STATUS_MAX_AGE)
    return response


def _index_data() -> dict:
    rows = queries.status_rows()
    return {
        "rows": rows,
        "ladder": queries.public_ladder(),
        "html": render_to_string("public/_rows.html", {"rows": rows}),
    }


@login_not_required
@require_GET
def index(request):
    data = cached(INDEX_KEY, _index_data)
    form = StatusSearchForm(request.GET or None, ladder=data["ladder"])
    searching = form.is_bound and form.is_valid() and form.has_filters()
    if searching:
        rows = queries.matching(data["rows"], **form.filters())
        table = render_to_string("public/_rows.html", {"rows": rows})
    else:
        rows, table = data["rows"], data["html"]
    body = render_to_string(
        "public/_index.html",
        {"form": form, "table": table, "count": len(rows), "searching": searching},
        request=None,
    )
    return _public_page(request, title="Prison regime status", body=body)


def _establishment_page(code: str) -> dict | None:
    establishment = queries.open_establishments().filter(code=code).first()
    if establishment is None:
        return None
    status = queries.establishment_status(establishment)
    return {
        "title": status["name"],
        "html": render_to_string("public/_establishment.html", {"status": status}),
    }


@login_not_required
@require_GET
def establishment(request, code: str):
    """Closed establishments are not listed and their page is not found: a family is not told
    a stage that no longer applies."""
    page = cached(establishment_key(code), lambda: _establishment_page(code))
    if page is None:
        raise Http404
    return _public_page(
        request,
        title=page["title"],
        body=page["html"],
        breadcrumbs=[("Prison regime status", reverse("public:index"))],
    )


@require_http_methods(["GET", "POST"])
def note(request, code: str):
    establishment = scoped_get_or_404(request.user, EDIT_NOTE, Establishment.objects, code=code)
    current = note_of(establishment)
    outcome = edit_versioned(request, current, form_class=NoteForm, action=do_publish_note)
    if outcome.saved:
        if outcome.result:
            messages.success(request, "Your note has been published on the public status page.")
        else:
            messages.info(request, "You did not change the note.")
        return redirect("public:note", code=code)
    return render(
        request,
        "public/note.html",
        {
            "establishment": establishment,
            "note": current,
            "form": outcome.form,
            "stale": outcome.stale,
            "revisions": current.revisions.all()[:10] if current.pk else [],
        },
    )

"""Pages of releases, the feed and its links, and data calls. Reads come from release_queries.py
and datacalls.py, writes go through the actions; a data call outside the person's scope
answers 404, a list they may not read 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recovery.backlogs.actions import (
    do_close_data_call,
    do_create_data_call,
    do_create_feed_token,
    do_remind_data_call,
    do_revoke_feed_token,
)
from recovery.backlogs.datacall_forms import ERROR_FIELDS, DataCallForm
from recovery.backlogs.datacalls import (
    answers,
    chosen_establishments,
    data_calls_list,
    live_totals,
)
from recovery.backlogs.feeds import ReleasesFeed, active_link_of, reader_of
from recovery.backlogs.models import DataCall, ReturnSettings
from recovery.backlogs.release_queries import export_sheet, release_page, releases_list
from recovery.backlogs.releases import (
    latest_release,
    release_numbered,
    suppress,
    suppression_rule,
)
from recovery.backlogs.rules import (
    DATA_CALL_WORKFLOW,
    MANAGE_DATA_CALLS,
    VIEW_GROUP_BACKLOGS,
    VIEW_NATIONAL_BACKLOGS,
)
from recovery.core.errors import DomainError
from recovery.core.scope import allows
from recovery.core.views import log_refusal, require_permission, scoped_get_or_404
from recovery.core.xlsx import csv_response, xlsx_response


def _crumbs(*extra) -> list:
    return [("Home", reverse("home")), *extra]


# --- Releases ------------------------------------------------------------------------------


@require_GET
@require_permission(VIEW_GROUP_BACKLOGS)
def releases(request):
    return render(
        request,
        "backlogs/releases.html",
        {
            "releases": releases_list(),
            "may_read_calls": allows(request.user, VIEW_NATIONAL_BACKLOGS),
            "breadcrumbs": _crumbs(),
        },
    )


def _show_release(request, release, *, latest: bool):
    if release is not None:
        page = release_page(request.user, release)
        wanted = request.GET.get("format")
        name = f"backlog-release-{release.number}"
        if wanted == "xlsx":
            return xlsx_response(f"{name}.xlsx", [export_sheet(page)])
        if wanted == "csv":
            return csv_response(f"{name}.csv", export_sheet(page))
    else:
        page = None
    return render(
        request,
        "backlogs/release.html",
        {
            "page": page,
            "release": release,
            "latest": latest,
            "newest": latest_release(),
            "breadcrumbs": _crumbs(("Releases", reverse("backlogs:releases"))),
        },
    )


@require_GET
@require_permission(VIEW_GROUP_BACKLOGS)
def release_latest(request):
    """The stable address of the latest release: it always shows the newest one."""
    return _show_release(request, latest_release(), latest=True)


@require_GET
@require_permission(VIEW_GROUP_BACKLOGS)
def release(request, release_number: int):
    found = release_numbered(release_number)
    if found is None:
        raise Http404("No such release")
    return _show_release(request, found, latest=False)


# --- The feed ------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_GET
def feed(request):
    """The Atom feed: for a signed-in reader of national or group figures, or for a feed reader
    through its owner's feed link (`?token=`). A bad link answers 404; a signed-out request
    without one goes to sign in."""
    secret = request.GET.get("token")
    if secret:
        reader = reader_of(secret)
        if reader is None:
            log_refusal(request, "unusable feed link")
            raise Http404("No such feed")
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    elif not allows(request.user, VIEW_GROUP_BACKLOGS):
        log_refusal(request, f"lacks {VIEW_GROUP_BACKLOGS}")
        raise PermissionDenied
    else:
        reader = request.user
    request.reader = reader
    return ReleasesFeed()(request)


@require_http_methods(["GET", "POST"])
@require_permission(VIEW_GROUP_BACKLOGS)
def feeds(request):
    """The person's feed link: make one (shown once), replace it, or revoke it."""
    secret = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                do_revoke_feed_token(acting_user=request.user)
                messages.success(request, "Your feed link has been revoked.")
                return redirect("backlogs:feeds")
            _, secret = do_create_feed_token(acting_user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("backlogs:feeds")
    feed_url = request.build_absolute_uri(reverse("backlogs:feed"))
    return render(
        request,
        "backlogs/feeds.html",
        {
            "link": active_link_of(request.user),
            "feed_url": feed_url,
            "secret_url": f"{feed_url}?token={secret}" if secret else None,
            "breadcrumbs": _crumbs(("Releases", reverse("backlogs:releases"))),
        },
    )


# --- Data calls ----------------------------------------------------------------------------


def _data_call(request, call_id: int, permission: str) -> DataCall:
    return scoped_get_or_404(
        request.user,
        permission,
        DataCall.objects.select_related("created_by"),
        path_field="unit__path",
        pk=call_id,
    )


@require_GET
@require_permission(VIEW_NATIONAL_BACKLOGS)
def data_calls(request):
    return render(
        request,
        "backlogs/data_calls.html",
        {
            "calls": data_calls_list(),
            "may_send": allows(request.user, MANAGE_DATA_CALLS),
            "breadcrumbs": _crumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_DATA_CALLS)
def data_call_new(request):
    form = DataCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = do_create_data_call(
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                period_start=data["period_start"],
                deadline=data["deadline"],
                metrics=form.chosen_metrics(),
                establishments=chosen_establishments(groups=data["groups"], types=data["types"]),
                acting_user=request.user,
            )
        except DomainError as error:
            name = ERROR_FIELDS.get(error.field or "", error.field)
            form.add_error(name if name in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"The data call '{call.title}' has been sent to "
                f"{call.establishments.count()} establishments.",
            )
            return redirect("backlogs:data-call", call.pk)
    return render(
        request,
        "backlogs/data_call_new.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(("Data calls", reverse("backlogs:data-calls"))),
        },
    )


@require_GET
def data_call(request, call_id: int):
    call = _data_call(request, call_id, VIEW_NATIONAL_BACKLOGS)
    settings = ReturnSettings.current()
    rows = answers(call)
    totals = [(t, suppress(t.figure.value, t.metric, settings)) for t in live_totals(call)]
    may_manage = DATA_CALL_WORKFLOW.allows(request.user, call, "close")  # open, and theirs
    return render(
        request,
        "backlogs/data_call.html",
        {
            "call": call,
            "answers": rows,
            "answered": sum(1 for a in rows if a.answered),
            "totals": totals,
            "metrics": list(call.metrics.order_by("order", "name")),
            "may_manage": may_manage,
            "rule": suppression_rule(settings),
            "breadcrumbs": _crumbs(("Data calls", reverse("backlogs:data-calls"))),
        },
    )


@require_POST
def data_call_remind(request, call_id: int):
    call = _data_call(request, call_id, MANAGE_DATA_CALLS)
    try:
        reminded = do_remind_data_call(call, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{reminded.describe()}.")
    return redirect("backlogs:data-call", call.pk)


@require_POST
def data_call_close(request, call_id: int):
    call = _data_call(request, call_id, MANAGE_DATA_CALLS)
    try:
        do_close_data_call(call, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The data call '{call.title}' has been closed.")
    return redirect("backlogs:data-call", call.pk)

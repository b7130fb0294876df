"""The Recovery Programme Board's pages: the Board (all 15 workstreams, their RAG, overdue
milestones and open red issues), each workstream (its updates, milestones and issues) and the
forms the probation centre records them with, each its own page. Reads come from
workstream_queries.py, writes go through workstream_actions.py; edits go through the one edit
door (stale edits refused)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError
from recovery.core.views import log_refusal
from recovery.probation import workstream_queries as queries
from recovery.probation.workstream_actions import (
    do_add_milestone,
    do_close_issue,
    do_complete_milestone,
    do_post_workstream_update,
    do_raise_issue,
    do_set_workstream_lead,
    do_update_issue,
    do_update_milestone,
)
from recovery.probation.workstream_forms import (
    IssueCloseForm,
    IssueEditForm,
    IssueForm,
    LeadForm,
    MilestoneDoneForm,
    MilestoneEditForm,
    MilestoneForm,
    UpdateForm,
)
from recovery.probation.workstream_models import (
    IssueStatus,
    Workstream,
    WorkstreamIssue,
    WorkstreamMilestone,
    WorkstreamRag,
)
from recovery.probation.workstream_rules import (
    MANAGE_WORKSTREAMS,
    VIEW_WORKSTREAMS,
    manages_workstreams,
    reads_workstreams,
)

# A domain error's field -> the form field it is shown against.
DATE_FIELDS = {
    "reported_on": "reported_day",
    "due_on": "due_day",
    "done_on": "done_day",
    "raised_on": "raised_day",
    "closed_on": "closed_day",
}


def _show(form, error: DomainError) -> None:
    name = DATE_FIELDS.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


def _only(check, permission: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                log_refusal(request, f"lacks {permission}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = _only(reads_workstreams, VIEW_WORKSTREAMS)
managers = _only(manages_workstreams, MANAGE_WORKSTREAMS)


def _workstream(number: int) -> Workstream:
    return get_object_or_404(Workstream, number=number)


def _milestone(workstream: Workstream, milestone_id: int) -> WorkstreamMilestone:
    return get_object_or_404(
        WorkstreamMilestone.objects.select_related("workstream"),
        workstream=workstream,
        pk=milestone_id,
    )


def _issue(workstream: Workstream, issue_id: int) -> WorkstreamIssue:
    return get_object_or_404(
        WorkstreamIssue.objects.select_related("workstream"), workstream=workstream, pk=issue_id
    )


def _board_crumbs() -> list:
    return [
        ("Home", reverse("home")),
        ("Recovery Programme Board", reverse("probation:workstreams")),
    ]


def _crumbs(workstream: Workstream) -> list:
    return [*_board_crumbs(), (workstream.name, _url(workstream))]


def _url(workstream: Workstream, anchor: str = "") -> str:
    return reverse("probation:workstream", args=[workstream.number]) + anchor


def _form_page(request, template: str, workstream: Workstream, **context):
    return render(
        request,
        f"probation/workstreams/{template}",
        {"workstream": workstream, "breadcrumbs": _crumbs(workstream), **context},
    )


# --- Reading ----------------------------------------------------------------------------------


@require_GET
@readers
def workstreams(request):
    picture = queries.board(order=request.GET.get("order", "rag"))
    return render(
        request,
        "probation/workstreams/board.html",
        {
            "board": picture,
            "may_manage": manages_workstreams(request.user),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
@readers
def workstream(request, workstream_number: int):
    found = _workstream(workstream_number)
    return render(
        request,
        "probation/workstreams/workstream.html",
        {
            "page": queries.workstream_page(found, all_updates=request.GET.get("updates") == "all"),
            "workstream": found,
            "may_manage": manages_workstreams(request.user),
            "breadcrumbs": _board_crumbs(),
        },
    )


# --- The lead and status updates --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@managers
def workstream_lead(request, workstream_number: int):
    found = _workstream(workstream_number)
    outcome = edit_versioned(
        request, found, form_class=LeadForm, action=do_set_workstream_lead, show_error=_show
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"The lead of {found.name} has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(_url(found))
    return _form_page(request, "lead.html", found, form=outcome.form, stale=outcome.stale)


@require_http_methods(["GET", "POST"])
@managers
def workstream_update(request, workstream_number: int):
    from recovery.core.forms import date_initial
    from recovery.probation.queries import today

    found = _workstream(workstream_number)
    form = UpdateForm(request.POST or None, initial=date_initial("reported", today()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = do_post_workstream_update(
                found,
                rag=data["rag"],
                summary=data["summary"],
                reported_on=data["reported_on"],
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                f"{found.name} reported {WorkstreamRag(update.rag).label.lower()} on "
                f"{update.reported_on:%-d %B %Y}.",
            )
            return redirect(_url(found))
    page = queries.workstream_page(found)
    return _form_page(request, "update.html", found, form=form, current=page.current)


# --- Milestones -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@managers
def milestone_new(request, workstream_number: int):
    found = _workstream(workstream_number)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_add_milestone(
                found, title=data["title"], due_on=data["due_on"], acting_user=request.user
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, f"The milestone has been added to {found.name}.")
            return redirect(_url(found, "#milestones"))
    return _form_page(request, "milestone.html", found, form=form, milestone=None)


@require_http_methods(["GET", "POST"])
@managers
def milestone(request, workstream_number: int, milestone_id: int):
    found = _workstream(workstream_number)
    item = _milestone(found, milestone_id)
    outcome = edit_versioned(
        request, item, form_class=MilestoneEditForm, action=do_update_milestone, show_error=_show
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, "The milestone has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(_url(found, "#milestones"))
    return _form_page(
        request, "milestone.html", found, form=outcome.form, stale=outcome.stale, milestone=item
    )


@require_http_methods(["GET", "POST"])
@managers
def milestone_done(request, workstream_number: int, milestone_id: int):
    found = _workstream(workstream_number)
    item = _milestone(found, milestone_id)
    if request.method != "POST" and item.done_on is not None:
        messages.info(request, f"This milestone was done on {item.done_on:%-d %B %Y}.")
        return redirect(_url(found, "#milestones"))

    def save(form):
        return do_complete_milestone(
            item,
            expected_version=form.cleaned_data["version"],
            done_on=form.cleaned_data["done_on"],
            acting_user=request.user,
        )

    outcome = edit_versioned(
        request, item, form_class=MilestoneDoneForm, save=save, show_error=_show
    )
    if outcome.saved:
        messages.success(request, f"“{item.title}” is done.")
        return redirect(_url(found, "#milestones"))
    return _form_page(
        request,
        "milestone_done.html",
        found,
        form=outcome.form,
        stale=outcome.stale,
        milestone=item,
    )


# --- Issues -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@managers
def issue_new(request, workstream_number: int):
    from recovery.core.forms import date_initial
    from recovery.probation.queries import today

    found = _workstream(workstream_number)
    form = IssueForm(request.POST or None, initial=date_initial("raised", today()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = do_raise_issue(
                found,
                title=data["title"],
                detail=data.get("detail") or "",
                rag=data["rag"],
                owner=data.get("owner") or "",
                raised_on=data["raised_on"],
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                f"A {WorkstreamRag(made.rag).label.lower()} issue has been raised for "
                f"{found.name}.",
            )
            return redirect(_url(found, "#issues"))
    return _form_page(request, "issue.html", found, form=form, issue=None)


@require_http_methods(["GET", "POST"])
@managers
def issue(request, workstream_number: int, issue_id: int):
    found = _workstream(workstream_number)
    item = _issue(found, issue_id)
    outcome = edit_versioned(
        request, item, form_class=IssueEditForm, action=do_update_issue, show_error=_show
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, "The issue has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(_url(found, "#issues"))
    return _form_page(
        request, "issue.html", found, form=outcome.form, stale=outcome.stale, issue=item
    )


@require_http_methods(["GET", "POST"])
@managers
def issue_close(request, workstream_number: int, issue_id: int):
    from recovery.core.forms import date_initial
    from recovery.probation.queries import today

    found = _workstream(workstream_number)
    item = _issue(found, issue_id)
    if request.method != "POST" and item.status == IssueStatus.CLOSED:
        messages.info(request, f"This issue was closed on {item.closed_on:%-d %B %Y}.")
        return redirect(_url(found, "#issues"))

    def save(form):
        return do_close_issue(
            item,
            expected_version=form.cleaned_data["version"],
            resolution=form.cleaned_data["resolution"],
            closed_on=form.cleaned_data["closed_on"],
            acting_user=request.user,
        )

    outcome = edit_versioned(request, item, form_class=IssueCloseForm, save=save, show_error=_show)
    if request.method != "POST":
        outcome.form.initial.update(date_initial("closed", today()))
    if outcome.saved:
        messages.success(request, f"“{item.title}” has been closed.")
        return redirect(_url(found, "#issues"))
    return _form_page(
        request, "issue_close.html", found, form=outcome.form, stale=outcome.stale, issue=item
    )

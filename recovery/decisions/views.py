"""Decision log pages: the logs a person may read, an establishment's log (filter and search),
an entry, writing and recording a draft, superseding an entry, and the exports for inspectors
(PDF and .xlsx, each with the chain's verification result). Reads come from queries.py, writes
go through actions.py; a page naming an establishment outside the person's scope answers 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.constants import UnitKind
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError, StaleEditError
from recovery.core.scope import allows, unit_filter
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.decisions.actions import (
    do_create_decision_draft,
    do_delete_decision_draft,
    do_edit_decision_draft,
    do_record_decision,
    do_supersede_decision,
)
from recovery.decisions.checks import CONTENT_FIELDS, concerns_label
from recovery.decisions.exports import log_sheets
from recovery.decisions.forms import (
    ERROR_FIELDS,
    DecisionForm,
    DraftEditForm,
    LogFilterForm,
    VersionOnlyForm,
)
from recovery.decisions.models import DecisionDraft
from recovery.decisions.queries import (
    LogFilter,
    concern_choices,
    drafts_of,
    entries_of,
    entry_of,
    logs_in_scope,
    verify_logs,
)
from recovery.decisions.rules import VIEW_DECISIONS, WRITE_DECISIONS
from recovery.estate.models import Establishment, OrganisationUnit


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _log_url(establishment) -> str:
    return reverse("decisions:log", args=[establishment.code])


def _crumbs(establishment=None, *extra) -> list:
    crumbs = [("Home", reverse("home")), ("Decision logs", reverse("decisions:index"))]
    if establishment is not None:
        crumbs.append((f"{establishment.name}", _log_url(establishment)))
    return crumbs + list(extra)


def _show_error(form, error: DomainError) -> None:
    name = ERROR_FIELDS.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


@require_GET
@require_permission(VIEW_DECISIONS)
def index(request):
    group = request.GET.get("group", "")
    groups = (
        OrganisationUnit.objects.filter(
            kind=UnitKind.PRISON_GROUP,
            pk__in=Establishment.objects.filter(unit_filter(request.user, VIEW_DECISIONS)).values(
                "parent_id"
            ),
        )
        .order_by("name")
        .values_list("code", "name")
    )
    return render(
        request,
        "decisions/index.html",
        {
            "logs": logs_in_scope(request.user, group=group),
            "groups": list(groups),
            "group": group,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
def log(request, code: str):
    establishment = _establishment(request, code, VIEW_DECISIONS)
    may_write = allows(request.user, WRITE_DECISIONS, establishment)
    form = LogFilterForm(request.GET or None, concern_choices=concern_choices())
    chosen = LogFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = LogFilter(
            status=data.get("status") or "",
            concerns=data.get("concerns") or "",
            decided_from=data.get("decided_from"),
            decided_to=data.get("decided_to"),
            text=(data.get("q") or "").strip(),
        )
    verification = verify_logs([establishment])
    return render(
        request,
        "decisions/log.html",
        {
            "establishment": establishment,
            "form": form,
            "filter": chosen,
            "entries": entries_of(establishment, chosen),
            "drafts": drafts_of(establishment, chosen) if may_write else [],
            "may_write": may_write,
            "chain": verification.chains[0] if verification.chains else None,
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def entry(request, code: str, sequence: int):
    establishment = _establishment(request, code, VIEW_DECISIONS)
    row = entry_of(establishment, sequence)
    if row is None:
        raise Http404("No such entry")
    return render(
        request,
        "decisions/entry.html",
        {
            "establishment": establishment,
            "row": row,
            "entry": row.entry,
            "may_write": allows(request.user, WRITE_DECISIONS, establishment),
            "breadcrumbs": _crumbs(establishment),
        },
    )


@require_http_methods(["GET", "POST"])
def draft_new(request, code: str):
    establishment = _establishment(request, code, WRITE_DECISIONS)
    initial = {"decided_by_id": request.user.pk}
    form = DecisionForm(request.POST or None, establishment=establishment, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = do_create_decision_draft(
                establishment, content=form.changes(), acting_user=request.user
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                f"The draft “{draft.title}” has been saved. Check it, then record it in the log.",
            )
            return redirect("decisions:draft", establishment.code, draft.pk)
    return render(
        request,
        "decisions/draft_form.html",
        {
            "establishment": establishment,
            "form": form,
            "heading": "Write a decision",
            "button": "Save as a draft",
            "breadcrumbs": _crumbs(establishment),
        },
    )


def _draft(establishment, draft_id: int) -> DecisionDraft:
    found = DecisionDraft.objects.filter(establishment=establishment, pk=draft_id).first()
    if found is None:
        raise Http404("No such draft")
    return found


@require_http_methods(["GET", "POST"])
def draft(request, code: str, draft_id: int):
    establishment = _establishment(request, code, WRITE_DECISIONS)
    current = _draft(establishment, draft_id)
    outcome = edit_versioned(
        request,
        current,
        form_class=DraftEditForm,
        action=do_edit_decision_draft,
        form_kwargs={"establishment": establishment},
        show_error=_show_error,
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"The draft “{current.title}” has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect("decisions:draft", establishment.code, current.pk)
    return render(
        request,
        "decisions/draft_form.html",
        {
            "establishment": establishment,
            "form": outcome.form,
            "stale": outcome.stale,
            "draft": current,
            "heading": f"Draft: {current.title}",
            "button": "Save changes",
            "breadcrumbs": _crumbs(establishment),
        },
    )


def _confirm(request, establishment, current, *, action, template: str, done):
    form = VersionOnlyForm(request.POST or None, initial={"version": current.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            result = action(
                current, expected_version=form.cleaned_data["version"], acting_user=request.user
            )
        except StaleEditError as error:
            stale = error
            current.refresh_from_db()
            form = VersionOnlyForm(initial={"version": current.version})
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return done(result)
    return render(
        request,
        template,
        {
            "establishment": establishment,
            "draft": current,
            "concerns": concerns_label({n: getattr(current, n) for n in CONTENT_FIELDS}),
            "form": form,
            "stale": stale,
            "breadcrumbs": _crumbs(establishment),
        },
    )


@require_http_methods(["GET", "POST"])
def draft_record(request, code: str, draft_id: int):
    establishment = _establishment(request, code, WRITE_DECISIONS)
    current = _draft(establishment, draft_id)

    def done(entry):
        messages.success(
            request, f"Decision #{entry.sequence} “{entry.title}” has been recorded in the log."
        )
        return redirect("decisions:entry", establishment.code, entry.sequence)

    return _confirm(
        request,
        establishment,
        current,
        action=do_record_decision,
        template="decisions/draft_record.html",
        done=done,
    )


@require_http_methods(["GET", "POST"])
def draft_delete(request, code: str, draft_id: int):
    establishment = _establishment(request, code, WRITE_DECISIONS)
    current = _draft(establishment, draft_id)
    title = current.title

    def done(_):
        messages.success(request, f"The draft “{title}” has been deleted.")
        return redirect(_log_url(establishment))

    return _confirm(
        request,
        establishment,
        current,
        action=do_delete_decision_draft,
        template="decisions/draft_delete.html",
        done=done,
    )


@require_http_methods(["GET", "POST"])
def supersede(request, code: str, sequence: int):
    establishment = _establishment(request, code, WRITE_DECISIONS)
    row = entry_of(establishment, sequence)
    if row is None:
        raise Http404("No such entry")
    old = row.entry
    initial = {**DecisionForm.initial_for(old), "decided_by_id": request.user.pk}
    initial.update({"decided_day": "", "decided_month": "", "decided_year": ""})
    form = DecisionForm(request.POST or None, establishment=establishment, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = do_supersede_decision(old, content=form.changes(), acting_user=request.user)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                f"Decision #{new.sequence} “{new.title}” has been recorded; it supersedes "
                f"#{old.sequence}.",
            )
            return redirect("decisions:entry", establishment.code, new.sequence)
    return render(
        request,
        "decisions/draft_form.html",
        {
            "establishment": establishment,
            "form": form,
            "superseding": row,
            "heading": f"Supersede decision #{old.sequence}",
            "button": f"Record the new decision, superseding #{old.sequence}",
            "breadcrumbs": _crumbs(
                establishment,
                (f"#{old.sequence}", reverse("decisions:entry", args=[code, old.sequence])),
            ),
        },
    )


def _export_context(request, establishment) -> dict:
    verification = verify_logs([establishment])
    return {
        "establishment": establishment,
        "entries": list(reversed(entries_of(establishment))),
        "chain": verification.chains[0] if verification.chains else None,
        "generated_at": timezone.localtime(),
        "exported_by": request.user.get_full_name() or str(request.user),
    }


@require_GET
def export_pdf(request, code: str):
    establishment = _establishment(request, code, VIEW_DECISIONS)
    from recovery.core.pdf import pdf_response  # WeasyPrint loads only when a PDF is made

    return pdf_response(
        request,
        "decisions/log_pdf.html",
        _export_context(request, establishment),
        f"decision-log-{establishment.code}.pdf",
    )


@require_GET
def export_xlsx(request, code: str):
    establishment = _establishment(request, code, VIEW_DECISIONS)
    return xlsx_response(
        f"decision-log-{establishment.code}.xlsx",
        log_sheets(_export_context(request, establishment)),
    )

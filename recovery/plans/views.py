"""Plan pages: the plans in your scope, one establishment's plan grouped by weighting, the
answer to one baseline with its evidence, the spreadsheet round trip, and the group and national
views. Reads come from queries.py, writes go through actions.py."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recovery.audit.queries import about_any_of, object_history
from recovery.core.constants import UnitKind
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError, InvalidUpload
from recovery.core.files import shown_file_name
from recovery.core.problem_report import problem_context, problem_download
from recovery.core.scope import allows
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import Sheet, xlsx_bytes_response, xlsx_response
from recovery.estate.models import Establishment, OrganisationUnit
from recovery.frameworks.models import Stage
from recovery.plans import rollup
from recovery.plans.actions import (
    do_add_evidence,
    do_import_plan,
    do_remove_evidence,
    do_start_plan,
    do_update_response,
)
from recovery.plans.constants import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, EvidenceKind, Sequence
from recovery.plans.forms import (
    DocumentForm,
    LinkForm,
    NoteForm,
    PlanUploadForm,
    ResponseForm,
    StartPlanForm,
)
from recovery.plans.models import Evidence, Plan, Response
from recovery.plans.progress import DONE_STATUSES
from recovery.plans.queries import (
    PROGRESS_HEADERS,
    RUN_MINE,
    RUN_PLAN_MINE,
    STATUS_TAGS,
    Run,
    all_establishments,
    answer_run,
    establishment_progress,
    establishments_in_scope,
    evidence_names,
    evidence_of,
    group_establishments,
    people_who_may_own,
    plan_page,
    plans_of_establishment,
    progress_table,
    response_detail,
    run_mode,
)
from recovery.plans.rules import EDIT_PLAN, VIEW_GROUP, VIEW_NATIONAL, VIEW_PLAN
from recovery.plans.spreadsheet import export_plan


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _plan_url(establishment: Establishment, plan: Plan | None = None) -> str:
    url = reverse("plans:plan", args=[establishment.code])
    return f"{url}?{urlencode({'stage': plan.stage.number})}" if plan else url


def _chosen_plan(plans: list[Plan], stage: str | None) -> Plan | None:
    """The plan for the stage asked for, or the newest plan."""
    if stage:
        return next((p for p in plans if str(p.stage.number) == str(stage)), None)
    return plans[0] if plans else None


def _crumbs(*extra) -> list[tuple[str, str]]:
    return [("Recovery plans", reverse("plans:index")), *extra]


@require_GET
@require_permission(VIEW_PLAN)
def index(request):
    rows = establishment_progress(establishments_in_scope(request.user))
    groups = [
        unit
        for unit in OrganisationUnit.objects.filter(
            kind=UnitKind.PRISON_GROUP, code__in={r.group_code for r in rows}
        ).order_by("name")
        if allows(request.user, VIEW_GROUP, unit)
    ]
    return render(
        request,
        "plans/index.html",
        {
            "rows": rows,
            "groups": groups,
            "may_see_national": allows(request.user, VIEW_NATIONAL),
        },
    )


def _stages_to_start(plans: list[Plan]) -> list[tuple[int, str]]:
    taken = {p.stage_id for p in plans}
    return [(s.number, str(s)) for s in Stage.objects.order_by("-number") if s.pk not in taken]


def _first_to_do(page) -> int | None:
    """The first baseline still to do in the page's order: where working through it starts."""
    for section in page.sections:
        for group in section.groups:
            for row in group.rows:
                if row.sequence != Sequence.DONE:
                    return row.id
    return None


def _render_plan(request, establishment: Establishment, *, start_form=None, status=200):
    plans = plans_of_establishment(establishment)
    plan = _chosen_plan(plans, request.GET.get("stage"))
    if request.GET.get("stage") and plan is None:
        raise Http404
    mine = request.GET.get("mine") == "1"
    page = plan_page(plan, assigned_to=request.user if mine else None) if plan else None
    may_edit = allows(request.user, EDIT_PLAN, establishment)
    stages = _stages_to_start(plans) if may_edit else []
    if may_edit and start_form is None and stages:
        start_form = StartPlanForm(stages=stages)
    return render(
        request,
        "plans/plan.html",
        {
            "establishment": establishment,
            "plans": plans,
            "plan": plan,
            "page": page,
            "mine": mine,
            "mine_count": sum(len(s.rows) for s in page.sections) if mine and page else 0,
            # Links to answers carry the run they belong to (see queries.answer_run).
            "answer_query": f"&next={RUN_PLAN_MINE}" if mine else "",
            "first_to_do": _first_to_do(page) if page else None,
            "may_edit": may_edit,
            "may_see_covid": allows(request.user, "covid.view", establishment),
            "start_form": start_form,
            "form": start_form if start_form is not None and start_form.errors else None,
            "breadcrumbs": _crumbs(),
        },
        status=status,
    )


@require_GET
def plan(request, code: str):
    establishment = _establishment(request, code, VIEW_PLAN)
    return _render_plan(request, establishment)


@require_POST
def start(request, code: str):
    establishment = _establishment(request, code, EDIT_PLAN)
    plans = plans_of_establishment(establishment)
    form = StartPlanForm(request.POST, stages=_stages_to_start(plans))
    if form.is_valid():
        stage = Stage.objects.get(number=form.cleaned_data["stage"])
        try:
            new_plan = do_start_plan(establishment, stage, acting_user=request.user)
        except DomainError as error:
            form.add_error("stage", error.message)
        else:
            messages.success(
                request,
                f"The plan for stage {stage.number} has been started with "
                f"{new_plan.responses.count()} baselines to answer.",
            )
            return redirect(_plan_url(establishment, new_plan))
    return _render_plan(request, establishment, start_form=form)


def _response_from(request, establishment: Establishment, value) -> Response | None:
    try:
        response_id = int(value)
    except (TypeError, ValueError):
        return None
    found = (
        Response.objects.filter(plan__establishment=establishment, pk=response_id)
        .select_related("plan__stage", "plan__establishment")
        .first()
    )
    if found is None:
        raise Http404
    return response_detail(found.plan, found.pk)


def _run_url(mode: str, establishment: Establishment, plan: Plan) -> str:
    """Where a run ends, and where its "back" link leads: the plan (only mine when the run is
    the plan's mine filter), or the home page's "My baselines"."""
    if mode == RUN_MINE:
        return reverse("home") + "#my-baselines"
    url = _plan_url(establishment, plan)
    return url + "&mine=1" if mode == RUN_PLAN_MINE else url


def _render_response(
    request,
    establishment,
    response,
    *,
    run: Run,
    form=None,
    stale=None,
    evidence_forms=None,
    status=200,
):
    baseline = response.baseline
    if form is None:
        form = ResponseForm.opened_on(
            response, baseline=baseline, people=people_who_may_own(establishment)
        )
    evidence_forms = evidence_forms or {}
    errors = [f for f in evidence_forms.values() if f.errors]
    back_url = _run_url(run.mode, establishment, response.plan)
    return render(
        request,
        "plans/response.html",
        {
            "establishment": establishment,
            # An archived answer (its baseline left the EDM) is read-only for everyone.
            "may_edit": not response.archived_at and allows(request.user, EDIT_PLAN, establishment),
            "status_tag": STATUS_TAGS.get(response.status, "govuk-tag--grey"),
            "response": response,
            "baseline": baseline,
            "plan": response.plan,
            "form": form,
            "stale": stale,
            "run": run,
            "next_url": _answer_url(run.next.code, run.next.id, run.mode) if run.next else None,
            "evidence": evidence_of(response),
            # Evidence, removed evidence included, has its events recorded against the answer;
            # any recorded against the evidence itself belong here too.
            "history": object_history(
                response, also=about_any_of(Evidence, Evidence.objects.filter(response=response))
            ),
            "document_form": evidence_forms.get("file") or DocumentForm(),
            "link_form": evidence_forms.get("link") or LinkForm(),
            "note_form": evidence_forms.get("note") or NoteForm(),
            "evidence_errors": errors[0] if errors else None,
            "accept": ",".join(sorted(EVIDENCE_TYPES)),
            "max_megabytes": EVIDENCE_MAX_BYTES // (1024 * 1024),
            "plan_url": back_url,
            "back_text": "Back to your baselines" if run.mode == RUN_MINE else "Back to the plan",
            "breadcrumbs": _crumbs((establishment.name, _plan_url(establishment, response.plan))),
        },
        status=status,
    )


def _answer_url(code: str, response_id: int, mode: str) -> str:
    url = reverse("plans:response", args=[code])
    return f"{url}?{urlencode({'response': response_id, 'next': mode})}"


def _end_of_run(request, run: Run, answer: Response) -> str:
    """The notice at the end of a run: how many of it are still to do, all of them earlier."""
    still = run.to_do_before
    if answer.status not in DONE_STATUSES and (
        run.mode not in (RUN_MINE, RUN_PLAN_MINE) or answer.assignee_id == request.user.pk
    ):
        still += 1
    ending = f"You have reached the end of {run.end}."
    if not still:
        return f"{ending} Every one of them is met or does not apply."
    baselines = "1 baseline in it is" if still == 1 else f"{still} baselines in it are"
    return f"{ending} {baselines} still to do (not met, and not marked not applicable)."


@require_http_methods(["GET", "POST"])
def response(request, code: str):
    """The answer to one baseline (`?response=<id>`). Without one, the plan itself.
    Everyone who may read the plan reads the answer; only its editors may change it.

    `next=` names the run the person is working through (queries.answer_run): the page says
    where this answer stands in it, and "Save and go to the next" saves and opens the next one
    still to do, or at the end goes back to where the run started."""
    establishment = _establishment(
        request, code, EDIT_PLAN if request.method == "POST" else VIEW_PLAN
    )
    source = request.POST if request.method == "POST" else request.GET
    answer = _response_from(request, establishment, source.get("response"))
    if answer is None:
        return _render_plan(request, establishment)
    mode = run_mode(source.get("next"))

    def run_now() -> Run:
        return answer_run(mode, user=request.user, plan=answer.plan, current_id=answer.pk)

    if request.method != "POST":
        return _render_response(request, establishment, answer, run=run_now())
    going_on = request.POST.get("then") == "next"
    # Read before the save: the answer may leave the run by it (done, or given to someone
    # else). A plain save does without: it goes back to the plan.
    run = run_now() if going_on else None
    outcome = edit_versioned(
        request,
        answer,
        form_class=ResponseForm,
        action=do_update_response,
        form_kwargs={"baseline": answer.baseline, "people": people_who_may_own(establishment)},
    )
    if outcome.saved:
        number = answer.baseline.number
        if outcome.result:
            messages.success(request, f"Your answer to baseline {number} has been saved.")
        else:
            messages.info(request, f"You did not change the answer to baseline {number}.")
        if run is None:
            return redirect(_plan_url(establishment, answer.plan) + f"#b{answer.pk}")
        if run.next is not None:
            return redirect(_answer_url(run.next.code, run.next.id, run.mode))
        messages.success(request, _end_of_run(request, run, answer))
        return redirect(_run_url(run.mode, establishment, answer.plan))
    return _render_response(
        request, establishment, answer, run=run or run_now(), form=outcome.form, stale=outcome.stale
    )


def _response_url(establishment: Establishment, answer: Response, mode: str) -> str:
    """Back to the answer, in the run the person is working through."""
    return _answer_url(establishment.code, answer.pk, mode)


@require_POST
def evidence_add(request, code: str):
    establishment = _establishment(request, code, EDIT_PLAN)
    answer = _response_from(request, establishment, request.POST.get("response"))
    mode = run_mode(request.POST.get("next"))
    if answer is None:
        return redirect(_plan_url(establishment))
    kind = request.POST.get("kind")
    form_class = {
        EvidenceKind.FILE: DocumentForm,
        EvidenceKind.LINK: LinkForm,
        EvidenceKind.NOTE: NoteForm,
    }.get(kind)
    if form_class is None:
        return redirect(_response_url(establishment, answer, mode))
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_add_evidence(
                answer,
                kind=kind,
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url", ""),
                note=form.cleaned_data.get("note", ""),
                acting_user=request.user,
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(
                request, f"The evidence for baseline {answer.baseline.number} has been added."
            )
            return redirect(_response_url(establishment, answer, mode))
    run = answer_run(
        mode,
        user=request.user,
        plan=answer.plan,
        current_id=answer.pk,
    )
    return _render_response(request, establishment, answer, run=run, evidence_forms={kind: form})


@require_POST
def evidence_remove(request, code: str):
    establishment = _establishment(request, code, EDIT_PLAN)
    try:
        evidence_id = int(request.POST.get("evidence", ""))
    except ValueError:
        return redirect(_plan_url(establishment))
    evidence = (
        Evidence.objects.filter(
            response__plan__establishment=establishment, pk=evidence_id, removed_at__isnull=True
        )
        .select_related("response__baseline", "response__plan__establishment")
        .first()
    )
    if evidence is None:
        raise Http404
    try:
        do_remove_evidence(evidence, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{evidence} has been removed from the evidence.")
    return redirect(
        _response_url(establishment, evidence.response, run_mode(request.POST.get("next")))
    )


@require_GET
def evidence_download(request, code: str):
    establishment = _establishment(request, code, VIEW_PLAN)
    try:
        evidence_id = int(request.GET.get("evidence", ""))
    except ValueError:
        return _render_plan(request, establishment)
    evidence = Evidence.objects.filter(
        response__plan__establishment=establishment,
        pk=evidence_id,
        kind=EvidenceKind.FILE,
        removed_at__isnull=True,
    ).first()
    if evidence is None:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=shown_file_name(evidence.file_name),
        content_type=evidence.content_type,
    )


@require_GET
def export(request, code: str):
    establishment = _establishment(request, code, VIEW_PLAN)
    chosen = _chosen_plan(plans_of_establishment(establishment), request.GET.get("stage"))
    if chosen is None:
        messages.info(request, f"{establishment.name} has no plan to download yet.")
        return _render_plan(request, establishment)
    filename = f"RRP-{establishment.code}-stage-{chosen.stage.number}.xlsx"
    return xlsx_bytes_response(filename, export_plan(chosen))


@require_GET
def report(request, code: str):
    """The whole plan as one PDF the Governor can share (rendered from HTML templates)."""
    establishment = _establishment(request, code, VIEW_PLAN)
    chosen = _chosen_plan(plans_of_establishment(establishment), request.GET.get("stage"))
    if chosen is None:
        messages.info(request, f"{establishment.name} has no plan to report on yet.")
        return _render_plan(request, establishment)
    from recovery.core.pdf import pdf_response  # WeasyPrint loads only when a PDF is made

    context = {
        "establishment": establishment,
        "plan": chosen,
        "page": plan_page(chosen),
        "evidence": evidence_names(chosen),
        "generated_at": timezone.localtime(),
    }
    filename = f"RRP-{establishment.code}-stage-{chosen.stage.number}.pdf"
    return pdf_response(request, "plans/report_pdf.html", context, filename)


MISSING_NAMED = 20


def missing_rows_notice(missing: list[tuple[str, str]]) -> str:
    """The answers an upload left out, named (the first MISSING_NAMED), for a notice."""
    names = [f"{sheet} baseline {number}" for sheet, number in missing[:MISSING_NAMED]]
    more = len(missing) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    count = len(missing)
    return (
        f"{count} answer{'s were' if count != 1 else ' was'} not in the file and "
        f"{'were' if count != 1 else 'was'} left unchanged: {listed}."
    )


@require_http_methods(["GET", "POST"])
def import_plan(request, code: str):
    establishment = _establishment(request, code, EDIT_PLAN)
    stage = request.POST.get("stage") or request.GET.get("stage")
    chosen = _chosen_plan(plans_of_establishment(establishment), stage)
    if chosen is None:
        messages.info(request, f"Start the plan of {establishment.name} before uploading one.")
        return _render_plan(request, establishment)
    if (report := problem_download(request)) is not None:
        return report
    shown = {}
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = do_import_plan(chosen, form.cleaned_data["file"], acting_user=request.user)
        except InvalidUpload as error:
            shown = problem_context(request, error)
            form.add_error("file", error.message)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if result.responses_changed:
                messages.success(
                    request,
                    f"The spreadsheet has been loaded: {result.responses_changed} "
                    f"answer{'s' if result.responses_changed != 1 else ''} changed.",
                )
            else:
                messages.info(request, "The spreadsheet has been loaded: no answer changed.")
            if result.missing:
                messages.warning(request, missing_rows_notice(result.missing))
            return redirect(_plan_url(establishment, chosen))
    return render(
        request,
        "plans/import.html",
        {
            "establishment": establishment,
            "plan": chosen,
            "form": form,
            **shown,
            "export_url": reverse("plans:export", args=[establishment.code])
            + f"?stage={chosen.stage.number}",
            "breadcrumbs": _crumbs((establishment.name, _plan_url(establishment, chosen))),
        },
    )


def _progress_xlsx(filename: str, title: str, rows) -> HttpResponse:
    return xlsx_response(filename, [Sheet(title, PROGRESS_HEADERS, progress_table(rows))])


@require_GET
def group(request, code: str):
    unit = scoped_get_or_404(
        request.user,
        VIEW_GROUP,
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP),
        code=code,
    )
    rows = establishment_progress(group_establishments(unit))
    if request.GET.get("format") == "xlsx":
        return _progress_xlsx(f"RRP-progress-{unit.code}.xlsx", unit.name, rows)
    return render(
        request,
        "plans/oversight.html",
        {
            "title": f"Recovery plans of {unit.name}",
            "caption": unit.code,
            "rows": rows,
            "rollup": rollup.by_establishment(rows),
            "show_group": False,
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def national(request):
    scoped_get_or_404(
        request.user,
        VIEW_NATIONAL,
        OrganisationUnit.objects.filter(kind=UnitKind.NATION),
        parent__isnull=True,
    )
    rows = establishment_progress(all_establishments())
    if request.GET.get("format") == "xlsx":
        return _progress_xlsx("RRP-progress-national.xlsx", "National", rows)
    return render(
        request,
        "plans/oversight.html",
        {
            "title": "Recovery plans across the country",
            "caption": "National",
            "rows": rows,
            "show_group": True,
            "breadcrumbs": _crumbs(),
        },
    )

"""An establishment's progression page: its current stage, any move back waiting to be
confirmed or ratified, its stage history with the decision behind each entry, and its progress
reviews, each with the form of the step the person may take. Reads come from queries.py,
writes go through actions.py."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from recovery.core.errors import DomainError
from recovery.core.scope import allows
from recovery.core.views import scoped_get_or_404
from recovery.estate.models import Establishment
from recovery.frameworks.models import Stage
from recovery.progression import queries
from recovery.progression.actions import (
    do_confirm_stage_move,
    do_decide_progress,
    do_dismiss_stage_move,
    do_forward_progress,
    do_ratify_stage_change,
    do_record_stage,
    do_report_progress,
)
from recovery.progression.constants import ChangeStatus
from recovery.progression.models import ProgressReview, StageChange
from recovery.progression.rules import (
    CONFIRM_MOVE,
    FORWARD_PROGRESS,
    RATIFY,
    REPORT_PROGRESS,
    REVIEW_PROGRESS,
    REVIEW_WORKFLOW,
    VIEW_PROGRESSION,
)
from recovery.progression.stage_forms import (
    ConfirmMoveForm,
    DecideProgressForm,
    DismissMoveForm,
    ForwardProgressForm,
    RatifyForm,
    RecordStageForm,
    ReportProgressForm,
)


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _url(establishment) -> str:
    return reverse("progression:stages", args=[establishment.code])


def _form(bound: dict, key: str, form_class, **initial):
    return bound.get(key) or form_class(initial=initial, key=key)


def _attach_change_forms(user, establishment, history, bound) -> None:
    may_confirm = allows(user, CONFIRM_MOVE, establishment)
    may_ratify = allows(user, RATIFY, establishment)
    for change in history:
        change.forms = {}
        if change.status == ChangeStatus.PROPOSED and may_confirm:
            change.forms["confirm"] = _form(
                bound, f"confirm-{change.pk}", ConfirmMoveForm, change=change.pk
            )
            change.forms["dismiss"] = _form(
                bound, f"dismiss-{change.pk}", DismissMoveForm, change=change.pk
            )
        if change.status == ChangeStatus.TO_BE_RATIFIED and may_ratify:
            change.forms["ratify"] = _form(
                bound, f"ratify-{change.pk}", RatifyForm, change=change.pk
            )


def _attach_review_forms(user, reviews, bound) -> None:
    for review in reviews:
        review.forms = {}
        if REVIEW_WORKFLOW.allows(user, review, "forward"):
            review.forms["forward"] = _form(
                bound,
                f"forward-{review.pk}",
                ForwardProgressForm,
                review=review.pk,
                version=review.version,
            )
        if REVIEW_WORKFLOW.allows(user, review, "decide"):
            review.forms["decide"] = _form(
                bound,
                f"decide-{review.pk}",
                DecideProgressForm,
                review=review.pk,
                version=review.version,
            )


def _mark_ends(history) -> None:
    """Each effective change ends when the next effective one begins (history is newest
    first)."""
    later = None
    for change in history:
        change.ended_on = None
        if change.status in (ChangeStatus.IN_EFFECT, ChangeStatus.TO_BE_RATIFIED):
            change.ended_on = later
            later = change.effective_from


def _render(request, establishment, *, bound=None, status=200):
    bound = bound or {}
    user = request.user
    history = list(queries.stage_history(establishment).select_related("decided_by"))
    current = queries.current_change(establishment)
    reviews = list(
        ProgressReview.objects.filter(establishment=establishment).select_related(
            "stage", "reported_by", "forwarded_by", "decided_by"
        )
    )
    _mark_ends(history)
    _attach_change_forms(user, establishment, history, bound)
    _attach_review_forms(user, reviews, bound)
    record_form = None
    if not history and allows(user, RATIFY, establishment):
        record_form = bound.get("record") or RecordStageForm(stages=queries.ladder())
    report_form = None
    if current and allows(user, REPORT_PROGRESS, establishment):
        report_form = bound.get("report") or ReportProgressForm()
    errors = [f for f in bound.values() if f.errors]
    return render(
        request,
        "progression/stages/establishment.html",
        {
            "establishment": establishment,
            "current": current,
            "history": history,
            "proposals": [c for c in history if c.status == ChangeStatus.PROPOSED],
            "to_ratify": [c for c in history if c.status == ChangeStatus.TO_BE_RATIFIED],
            "upcoming": [
                c
                for c in history
                if c.status in (ChangeStatus.IN_EFFECT, ChangeStatus.TO_BE_RATIFIED)
                and current is not None
                and c.effective_from > current.effective_from
            ],
            "reviews": reviews,
            "record_form": record_form,
            "report_form": report_form,
            "error_form": errors[0] if errors else None,
            "form": errors[0] if errors else None,
            "breadcrumbs": [
                (establishment.name, reverse("estate:establishment", args=[establishment.code]))
            ],
        },
        status=status,
    )


@require_GET
def establishment_stages(request, code: str):
    establishment = _establishment(request, code, VIEW_PROGRESSION)
    return _render(request, establishment)


def _done(request, establishment, message: str):
    messages.success(request, message)
    return redirect(_url(establishment))


def _refused(request, establishment, error: DomainError):
    messages.error(request, error.message)
    return redirect(_url(establishment))


def _change_of(establishment, form) -> StageChange:
    change = StageChange.objects.filter(
        establishment=establishment, pk=form.cleaned_data["change"]
    ).first()
    if change is None:
        raise Http404
    return change


def _review_of(establishment, form) -> ProgressReview:
    review = ProgressReview.objects.filter(
        establishment=establishment, pk=form.cleaned_data["review"]
    ).first()
    if review is None:
        raise Http404
    return review


def _key(prefix: str, request, field: str) -> str:
    return f"{prefix}-{request.POST.get(field, '')}"


@require_POST
def record_stage(request, code: str):
    establishment = _establishment(request, code, RATIFY)
    form = RecordStageForm(request.POST, stages=queries.ladder())
    if form.is_valid():
        stage = Stage.objects.get(number=form.cleaned_data["stage"])
        if queries.stage_history(establishment).exists():
            return _refused(
                request,
                establishment,
                DomainError(
                    f"{establishment.name} already has a stage history. Nothing was changed."
                ),
            )
        try:
            do_record_stage(
                establishment,
                stage,
                reason=form.cleaned_data["reason"],
                effective_from=form.cleaned_data["effective_from"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return _done(request, establishment, f"Stage {stage.number} has been recorded.")
    return _render(request, establishment, bound={"record": form})


@require_POST
def confirm_move(request, code: str):
    establishment = _establishment(request, code, CONFIRM_MOVE)
    key = _key("confirm", request, "change")
    form = ConfirmMoveForm(request.POST, key=key)
    if not form.is_valid():
        return _render(request, establishment, bound={key: form})
    change = _change_of(establishment, form)
    try:
        change = do_confirm_stage_move(
            change, note=form.cleaned_data["note"], acting_user=request.user
        )
    except DomainError as error:
        return _refused(request, establishment, error)
    return _done(
        request,
        establishment,
        f"The move back to stage {change.stage.number} is confirmed: it is in effect and "
        "waits for the national panel to ratify it.",
    )


@require_POST
def dismiss_move(request, code: str):
    establishment = _establishment(request, code, CONFIRM_MOVE)
    key = _key("dismiss", request, "change")
    form = DismissMoveForm(request.POST, key=key)
    if not form.is_valid():
        return _render(request, establishment, bound={key: form})
    change = _change_of(establishment, form)
    try:
        do_dismiss_stage_move(change, reason=form.cleaned_data["reason"], acting_user=request.user)
    except DomainError as error:
        return _refused(request, establishment, error)
    return _done(request, establishment, "The proposed move back has been dismissed.")


@require_POST
def ratify(request, code: str):
    establishment = _establishment(request, code, RATIFY)
    key = _key("ratify", request, "change")
    form = RatifyForm(request.POST, key=key)
    if not form.is_valid():
        return _render(request, establishment, bound={key: form})
    change = _change_of(establishment, form)
    try:
        change = do_ratify_stage_change(
            change, note=form.cleaned_data["note"], acting_user=request.user
        )
    except DomainError as error:
        return _refused(request, establishment, error)
    return _done(request, establishment, f"The move to stage {change.stage.number} is ratified.")


@require_POST
def report_progress(request, code: str):
    establishment = _establishment(request, code, REPORT_PROGRESS)
    form = ReportProgressForm(request.POST)
    if form.is_valid():
        try:
            do_report_progress(
                establishment, report=form.cleaned_data["report"], acting_user=request.user
            )
        except DomainError as error:
            return _refused(request, establishment, error)
        return _done(
            request, establishment, "Your progress report has been sent to your PGD to forward."
        )
    return _render(request, establishment, bound={"report": form})


@require_POST
def forward_progress(request, code: str):
    establishment = _establishment(request, code, FORWARD_PROGRESS)
    key = _key("forward", request, "review")
    form = ForwardProgressForm(request.POST, key=key)
    if not form.is_valid():
        return _render(request, establishment, bound={key: form})
    review = _review_of(establishment, form)
    try:
        do_forward_progress(
            review,
            pgd_view=form.cleaned_data["pgd_view"],
            expected_version=form.cleaned_data["version"],
            acting_user=request.user,
        )
    except DomainError as error:
        return _refused(request, establishment, error)
    return _done(request, establishment, "The progress report has been forwarded to the centre.")


@require_POST
def decide_progress(request, code: str):
    establishment = _establishment(request, code, REVIEW_PROGRESS)
    key = _key("decide", request, "review")
    form = DecideProgressForm(request.POST, key=key)
    if not form.is_valid():
        return _render(request, establishment, bound={key: form})
    review = _review_of(establishment, form)
    try:
        review = do_decide_progress(
            review,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            expected_version=form.cleaned_data["version"],
            acting_user=request.user,
        )
    except DomainError as error:
        return _refused(request, establishment, error)
    return _done(
        request,
        establishment,
        f"The progress review is decided: {review.get_outcome_display().lower()}.",
    )

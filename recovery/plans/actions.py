"""Every write to Regime Recovery Plans. Each function checks permission, validates, writes
inside a transaction and records its audit event in the same transaction."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from recovery.audit.actions import build_event, record_event, record_events
from recovery.core.bulk import update_rows
from recovery.core.concurrency import stale_edit_error, update_versioned
from recovery.core.errors import DomainError
from recovery.core.files import file_extension, shown_file_name, stored_file_name
from recovery.core.notify import Message, tell
from recovery.core.scope import require
from recovery.estate.models import Establishment
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import Baseline, EdmVersion, Stage
from recovery.plans.checks import RESPONSE_FIELDS, check_response
from recovery.plans.constants import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, EvidenceKind
from recovery.plans.models import Evidence, Plan, PlanEdm, Response
from recovery.plans.queries import people_who_may_own
from recovery.plans.rules import EDIT_PLAN, MOVE_PLANS


def applicable_versions(establishment: Establishment, stage: Stage) -> list[EdmVersion]:
    """The newest published version of every EDM for `stage` that applies to the
    establishment's type."""
    versions = (
        EdmVersion.objects.filter(stage=stage, status=EdmStatus.PUBLISHED)
        .select_related("edm")
        .order_by("edm__number", "-version_major", "-version_minor")
    )
    newest: dict[int, EdmVersion] = {}
    for version in versions:
        if establishment.establishment_type not in (version.applies_to or []):
            continue
        newest.setdefault(version.edm_id, version)
    return list(newest.values())


def do_start_plan(establishment: Establishment, stage: Stage, *, acting_user) -> Plan:
    """Start the establishment's plan for `stage`: one response, not started, for every
    baseline of every published EDM that applies to it."""
    with transaction.atomic(durable=True):
        require(acting_user, EDIT_PLAN, establishment)
        if establishment.is_closed:
            raise DomainError(
                f"{establishment.name} is closed, so no new plan can be started for it."
            )
        if Plan.objects.filter(establishment=establishment, stage=stage).exists():
            raise DomainError(f"{establishment.name} already has a plan for stage {stage.number}.")
        versions = applicable_versions(establishment, stage)
        if not versions:
            raise DomainError(
                f"No published EDM applies to {establishment.name} at stage {stage.number} "
                "yet, so there is nothing to plan."
            )
        plan = Plan.objects.create(
            establishment=establishment,
            stage=stage,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        PlanEdm.objects.bulk_create(
            PlanEdm(plan=plan, edm_id=v.edm_id, edm_version=v) for v in versions
        )
        baselines = Baseline.objects.filter(edm_version__in=versions).values_list("pk", flat=True)
        Response.objects.bulk_create(Response(plan=plan, baseline_id=pk) for pk in baselines)
        record_event(
            acting_user=acting_user,
            action="plans.start_plan",
            obj=plan,
            summary=f"Started the Regime Recovery Plan of {establishment.name} for stage "
            f"{stage.number}",
            after={
                "stage": stage.number,
                "edms": [f"EDM {v.edm.number} version {v.version_number}" for v in versions],
                "baselines": len(baselines),
            },
        )
        return plan


def _response_values(response: Response) -> dict[str, Any]:
    return {name: getattr(response, name) for name in RESPONSE_FIELDS}


def _refuse_if_archived(response: Response) -> None:
    if response.archived_at:
        raise DomainError(
            f"Baseline {response.baseline.number} was removed from its EDM; its answer is "
            "kept but can no longer be changed."
        )


def _answer_changed(response: Response, before, after, *, acting_user, source: str):
    """The event of one changed answer, whether it was changed on its page, through the API or
    by a spreadsheet: the arguments of `record_event`, or of `build_event` for `record_events`."""
    return dict(
        acting_user=acting_user,
        action="plans.update_response",
        obj=response,
        summary=f"Changed {', '.join(n.removesuffix('_id').replace('_', ' ') for n in after)} "
        f"of baseline "
        f"{response.baseline.number} in the plan of {response.plan.establishment.name}"
        + (f" ({source})" if source else ""),
        before=before,
        after=after,
    )


def update_response_in_transaction(
    response: Response,
    *,
    expected_version: int,
    changes: dict[str, Any],
    acting_user,
    source: str = "",
) -> dict[str, Any]:
    require(acting_user, EDIT_PLAN, response.plan.establishment)
    _refuse_if_archived(response)
    changes = dict(changes)
    assigning = "assignee" in changes
    assignee = _checked_assignee(response, changes.pop("assignee", None))
    cleaned = check_response(response.baseline, _response_values(response), changes)
    if assigning:
        cleaned["assignee_id"] = assignee.pk if assignee else None
    if "needs_review" in changes:
        cleaned["needs_review"] = bool(changes["needs_review"])
        if not cleaned["needs_review"]:
            cleaned["review_note"] = ""
    before, after = update_versioned(
        response,
        expected_version=expected_version,
        changes=cleaned,
        label=f"Baseline {response.baseline.number}",
    )
    if after:
        record_event(
            **_answer_changed(response, before, after, acting_user=acting_user, source=source)
        )
    if assigning:
        response.assignee = assignee  # already read: whoever shows the answer need not again
    if after.get("assignee_id"):
        _tell_assignee(response, assignee, acting_user=acting_user)
    return after


def _checked_assignee(response: Response, value):
    """The person `value` names (a user, a key, or the e-mail address they sign in with, as
    the API names them), who must hold a role at the answer's own establishment and have an
    active account; None for nobody. Every door (page, API, spreadsheet) comes through here,
    so the rule holds whichever one is used."""
    if value in (None, ""):
        return None
    people = people_who_may_own(response.plan.establishment)
    if isinstance(value, str) and "@" in value:
        person = people.filter(email__iexact=value.strip()).first()
    else:
        key = getattr(value, "pk", value)
        try:
            key = int(key)
        except (TypeError, ValueError):
            key = None
        person = people.filter(pk=key).first()
    if person is None:
        raise DomainError(
            "Assign the baseline to someone with an active account who holds a role at "
            f"{response.plan.establishment.name}",
            field="assignee",
        )
    return person


def _tell_assignee(response: Response, assignee, *, acting_user) -> None:
    from django.urls import reverse
    from django.utils.http import urlencode

    establishment = response.plan.establishment
    link = reverse("plans:response", args=[establishment.code])
    tell(
        [assignee],
        Message(
            subject=f"Baseline {response.baseline.number} is yours to deliver",
            body=f"You now own baseline {response.baseline.number} in the recovery plan of "
            f"{establishment.name}"
            + (f", due by {response.target_date:%d %B %Y}" if response.target_date else "")
            + ".",
            link=f"{link}?{urlencode({'response': response.pk})}",
        ),
        exclude=acting_user,
    )


def do_update_response(
    response: Response, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change the answer to one baseline. Refused if someone saved it after
    `expected_version`. Returns the fields that changed."""
    with transaction.atomic(durable=True):
        return update_response_in_transaction(
            response, expected_version=expected_version, changes=changes, acting_user=acting_user
        )


def check_evidence_file(upload) -> None:
    extension = file_extension(upload.name or "")
    if extension not in EVIDENCE_TYPES:
        kinds = sorted({e.lstrip(".").upper() for e in EVIDENCE_TYPES})
        allowed = ", ".join(kinds[:-1]) + " or " + kinds[-1]
        raise DomainError(f"The file must be a {allowed} file", field="file")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise DomainError(
            f"The file must be smaller than {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB",
            field="file",
        )
    if upload.size == 0:
        raise DomainError("The file is empty", field="file")


def do_add_evidence(
    response: Response, *, kind: str, acting_user, upload=None, url: str = "", note: str = ""
) -> Evidence:
    """Attach a document, a link or a note to a response."""
    with transaction.atomic(durable=True):
        require(acting_user, EDIT_PLAN, response.plan.establishment)
        if response.archived_at:
            raise DomainError("This answer is archived and can no longer be changed.")
        evidence = Evidence(
            response=response,
            kind=kind,
            added_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        if kind == EvidenceKind.FILE:
            if upload is None:
                raise DomainError("Choose a file to upload", field="file")
            check_evidence_file(upload)
            # Shown and offered on download as the person named it (shortened, extension
            # kept); stored under a short ASCII name the filesystem always accepts.
            evidence.file_name = shown_file_name(upload.name)
            evidence.file_size = upload.size
            evidence.content_type = EVIDENCE_TYPES[file_extension(upload.name)]
            evidence.file.save(stored_file_name(upload.name), upload, save=False)
            described = f"document {evidence.file_name}"
        elif kind == EvidenceKind.LINK:
            url = (url or "").strip()
            if not url.startswith(("https://", "http://")) or len(url) > 500:
                raise DomainError(
                    "Enter a web address starting with https://, for example "
                    "https://intranet.example/plan",
                    field="url",
                )
            evidence.url = url
            described = f"link {url}"
        elif kind == EvidenceKind.NOTE:
            note = (note or "").strip()
            if not note:
                raise DomainError("Write the note", field="note")
            if len(note) > 5000:
                raise DomainError("The note must be 5000 characters or fewer", field="note")
            evidence.note = note
            described = "a note"
        else:
            raise DomainError("Choose a document, a link or a note", field="kind")
        evidence.save()
        record_event(
            acting_user=acting_user,
            action="plans.add_evidence",
            obj=response,
            summary=f"Added {described} as evidence for baseline {response.baseline.number}",
            after={
                "evidence": evidence.pk,
                "kind": kind,
                "file_name": evidence.file_name,
                "file_size": evidence.file_size,
                "url": evidence.url,
                "note": evidence.note,
            },
        )
        return evidence


def do_remove_evidence(evidence: Evidence, *, acting_user) -> None:
    """Take a piece of evidence off a response. The file and the record are kept (history)."""
    with transaction.atomic(durable=True):
        response = evidence.response
        require(acting_user, EDIT_PLAN, response.plan.establishment)
        current = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if current.removed_at:
            raise DomainError("This evidence has already been removed.")
        now = timezone.now()
        Evidence.objects.filter(pk=evidence.pk).update(removed_at=now)
        evidence.removed_at = now
        record_event(
            acting_user=acting_user,
            action="plans.remove_evidence",
            obj=response,
            summary=f"Removed {evidence} from the evidence for baseline {response.baseline.number}",
            before={"evidence": evidence.pk, "kind": evidence.kind, "removed_at": None},
            after={"removed_at": now},
        )


@dataclass
class ImportResult:
    responses_changed: int = 0
    fields_changed: int = 0
    # Answers the file did not mention, left as they were: (sheet, baseline number).
    missing: list[tuple[str, str]] = field(default_factory=list)


def do_import_plan(plan: Plan, upload, *, acting_user) -> ImportResult:
    """Apply a plan spreadsheet: every row is checked first; either every change is written
    or, if any row has a problem, nothing is, and InvalidUpload lists every problem. The
    writes are bulk: one locking read of the answers that change, one bulk update, their
    audit events (one per changed answer) in one insert, and the import's own event."""
    from recovery.plans.spreadsheet import read_plan_upload

    require(acting_user, EDIT_PLAN, plan.establishment)
    reading = read_plan_upload(plan, upload)
    result = ImportResult(missing=reading.missing)
    establishment = plan.establishment
    with transaction.atomic(durable=True):
        by_pk = {change.response.pk: change for change in reading.changes}
        current = Response.objects.select_for_update().filter(pk__in=list(by_pk)).in_bulk()
        changed, fields, events = [], set(), []
        for pk, change in by_pk.items():
            response = change.response
            stored = current[pk]
            if stored.version != response.version:
                raise stale_edit_error(
                    stored,
                    expected_version=response.version,
                    label=f"Baseline {response.baseline.number}",
                )
            _refuse_if_archived(stored)
            before = {name: getattr(stored, name) for name in change.changes}
            for name, value in change.changes.items():
                setattr(response, name, value)
            response.version += 1
            changed.append(response)
            fields.update(change.changes)
            events.append(
                build_event(
                    **_answer_changed(
                        response,
                        before,
                        dict(change.changes),
                        acting_user=acting_user,
                        source="from a spreadsheet",
                    )
                )
            )
            result.responses_changed += 1
            result.fields_changed += len(change.changes)
        if changed:
            update_rows(Response, changed, [*sorted(fields), "version"])
        record_events(events)
        record_event(
            acting_user=acting_user,
            action="plans.import_plan",
            obj=plan,
            summary=f"Imported a spreadsheet into the plan of {establishment.name}: "
            f"{result.responses_changed} answers changed",
            after={
                "file_name": shown_file_name(getattr(upload, "name", "") or ""),
                "responses_changed": result.responses_changed,
                "fields_changed": result.fields_changed,
                "missing": [f"{sheet} {number}" for sheet, number in result.missing],
            },
        )
    return result


@dataclass
class MoveReport:
    plans_moved: int = 0
    carried_over: int = 0
    needs_review: int = 0
    archived: int = 0
    added: int = 0
    establishments: list[str] = field(default_factory=list)
    # Plans left on their version, answers as they were: the new version no longer applies to
    # their establishment's type.
    stayed: int = 0
    stayed_establishments: list[str] = field(default_factory=list)


def move_plans_to_version_in_transaction(
    old_version: EdmVersion, new_version: EdmVersion, *, acting_user
) -> MoveReport:
    """The body of `do_move_plans_to_version`, for a caller that holds the transaction (the
    publishing of `new_version`)."""
    from recovery.frameworks.diff import diff_versions

    require(acting_user, MOVE_PLANS)  # held only at national level
    if old_version.edm_id != new_version.edm_id:
        raise DomainError("Both versions must be of the same EDM.")
    if new_version.status != EdmStatus.PUBLISHED:
        raise DomainError("Plans can only move to a published version.")
    diff = diff_versions(old_version, new_version)
    # A change of wording only (number, area, comments, sources) carries the answer over
    # as it is; a material change (requirement, weighting, mandatory, autonomy, options)
    # asks for another look.
    changed = {c.identifier: c for c in diff.changed if c.needs_review}
    removed = {c.identifier for c in diff.removed}
    new_baselines = {b.identifier: b for b in new_version.baselines.all()}
    report = MoveReport()
    plan_edms = list(
        PlanEdm.objects.select_for_update()
        .filter(edm_version=old_version)
        .select_related("plan__establishment", "plan__stage")
    )
    now = timezone.now()
    applies_to = set(new_version.applies_to or [])
    for plan_edm in plan_edms:
        plan = plan_edm.plan
        if plan.establishment.establishment_type not in applies_to:
            report.stayed += 1
            report.stayed_establishments.append(plan.establishment.code)
            continue
        responses = list(
            Response.objects.filter(
                plan=plan, baseline__edm_version=old_version, archived_at__isnull=True
            ).select_related("baseline")
        )
        answered = set()
        counts = {"carried_over": 0, "needs_review": 0, "archived": 0, "added": 0}
        review_list: list[str] = []
        archived_list: list[str] = []
        for response in responses:
            identifier = response.baseline.identifier
            if identifier in removed or identifier not in new_baselines:
                Response.objects.filter(pk=response.pk).update(
                    archived_at=now, version=F("version") + 1
                )
                counts["archived"] += 1
                archived_list.append(response.baseline.number)
                continue
            answered.add(identifier)
            update: dict[str, Any] = {"baseline": new_baselines[identifier]}
            if identifier in changed:
                update["needs_review"] = True
                update["review_note"] = changed[identifier].summary
                counts["needs_review"] += 1
                review_list.append(new_baselines[identifier].number)
            else:
                counts["carried_over"] += 1
            Response.objects.filter(pk=response.pk).update(**update, version=F("version") + 1)
        fresh = [
            Response(plan=plan, baseline=b)
            for identifier, b in new_baselines.items()
            if identifier not in answered
        ]
        Response.objects.bulk_create(fresh)
        counts["added"] = len(fresh)
        PlanEdm.objects.filter(pk=plan_edm.pk).update(edm_version=new_version, moved_at=now)
        record_event(
            acting_user=acting_user,
            action="plans.move_plan_version",
            obj=plan,
            summary=f"Moved the plan of {plan.establishment.name} from EDM "
            f"{old_version.edm.number} version {old_version.version_number} to version "
            f"{new_version.version_number}: {counts['needs_review']} answers need review, "
            f"{counts['archived']} archived, {counts['added']} new baselines",
            before={"edm_version": old_version.version_number},
            after={
                "edm_version": new_version.version_number,
                **counts,
                "needs_review_baselines": review_list,
                "archived_baselines": archived_list,
            },
        )
        report.plans_moved += 1
        report.carried_over += counts["carried_over"]
        report.needs_review += counts["needs_review"]
        report.archived += counts["archived"]
        report.added += counts["added"]
        report.establishments.append(plan.establishment.code)
    return report


def do_move_plans_to_version(
    old_version: EdmVersion, new_version: EdmVersion, *, acting_user
) -> MoveReport:
    """Move every plan that answers `old_version` to `new_version` of the same EDM, matching
    baselines by identifier: unchanged answers carry over, answers to changed baselines carry
    over flagged "needs review" with what changed, answers to removed baselines are archived
    (kept, read-only), and new baselines get a fresh answer. A plan whose establishment's type
    the new version no longer applies to stays where it is, its answers untouched."""
    with transaction.atomic(durable=True):
        return move_plans_to_version_in_transaction(
            old_version, new_version, acting_user=acting_user
        )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def move_plans_on_publish(
    previous_version: EdmVersion | None, new_version: EdmVersion, acting_user
) -> str | None:
    """Registered with the framework library (see apps.py): when a new version of an EDM is
    published, inside that transaction, every plan answering an older version of it moves to
    the new one. Older than `previous_version` too: a plan may still answer a version before a
    withdrawn one. Returns the sentence the publisher reads. A first version (no
    `previous_version`) has nothing to move from: `add_edm_on_publish` deals with it."""
    if previous_version is None:
        return None
    older = (
        EdmVersion.objects.filter(
            edm_id=new_version.edm_id,
            plan_edms__isnull=False,
        )
        .exclude(pk=new_version.pk)
        .filter(
            Q(version_major__lt=new_version.version_major)
            | Q(
                version_major=new_version.version_major,
                version_minor__lt=new_version.version_minor,
            )
        )
        .select_related("edm")
        .distinct()
        .order_by("version_major", "version_minor")
    )
    total = MoveReport()
    for old_version in older:
        report = move_plans_to_version_in_transaction(
            old_version, new_version, acting_user=acting_user
        )
        total.plans_moved += report.plans_moved
        total.carried_over += report.carried_over
        total.needs_review += report.needs_review
        total.archived += report.archived
        total.added += report.added
        total.establishments.extend(report.establishments)
        total.stayed += report.stayed
        total.stayed_establishments.extend(report.stayed_establishments)
    sentences = []
    if total.plans_moved:
        sentences.append(
            f"{_plural(total.plans_moved, 'plan', 'plans')} moved to version "
            f"{new_version.version_number}: "
            f"{_plural(total.carried_over, 'answer', 'answers')} carried over, "
            f"{total.needs_review} flagged for review, {total.archived} archived, "
            f"{_plural(total.added, 'new baseline', 'new baselines')}."
        )
    if total.stayed:
        one = total.stayed == 1
        sentences.append(
            f"{_plural(total.stayed, 'plan stays', 'plans stay')} on "
            f"{'its' if one else 'their'} earlier version with "
            f"{'its' if one else 'their'} answers as they were, because version "
            f"{new_version.version_number} no longer applies to "
            f"{'its establishment' if one else 'their establishments'} "
            f"({', '.join(total.stayed_establishments)})."
        )
    if not sentences:
        return f"No plan answered version {previous_version.version_number}, so none moved."
    return " ".join(sentences)


@dataclass
class AddEdmReport:
    plans_added: int = 0
    baselines: int = 0
    establishments: list[str] = field(default_factory=list)


def add_edm_to_plans_in_transaction(version: EdmVersion, *, acting_user) -> AddEdmReport:
    """The body of `do_add_edm_to_plans`, for a caller that holds the transaction (the
    publishing of `version`)."""
    require(acting_user, MOVE_PLANS)  # held only at national level
    if version.status != EdmStatus.PUBLISHED:
        raise DomainError("Only a published EDM version can be added to plans.")
    plans = list(
        Plan.objects.filter(
            stage_id=version.stage_id,
            establishment__establishment_type__in=list(version.applies_to or []),
        )
        # A plan already answering a version of this EDM is the mover's business.
        .exclude(plan_edms__edm_id=version.edm_id)
        .select_related("establishment", "stage")
        .order_by("pk")
    )
    baselines = list(Baseline.objects.filter(edm_version=version).values_list("pk", flat=True))
    PlanEdm.objects.bulk_create(
        PlanEdm(plan=plan, edm_id=version.edm_id, edm_version=version) for plan in plans
    )
    Response.objects.bulk_create(
        Response(plan=plan, baseline_id=pk) for plan in plans for pk in baselines
    )
    name = f"EDM {version.edm.number} version {version.version_number}"
    for plan in plans:
        record_event(
            acting_user=acting_user,
            action="plans.add_edm",
            obj=plan,
            summary=f"Added {name} to the Regime Recovery Plan of {plan.establishment.name} for "
            f"stage {plan.stage.number}: {_plural(len(baselines), 'baseline', 'baselines')}, "
            "not started",
            after={
                "edm": f"EDM {version.edm.number} version {version.version_number}",
                "baselines": len(baselines),
            },
        )
    return AddEdmReport(
        plans_added=len(plans),
        baselines=len(baselines),
        establishments=[plan.establishment.code for plan in plans],
    )


def do_add_edm_to_plans(version: EdmVersion, *, acting_user) -> AddEdmReport:
    """Make every plan of the version's stage, for an establishment of a type it applies to,
    answer `version` too: one response, not started, per baseline. Plans already answering a
    version of the same EDM are left alone."""
    with transaction.atomic(durable=True):
        return add_edm_to_plans_in_transaction(version, acting_user=acting_user)


def add_edm_on_publish(
    previous_version: EdmVersion | None, new_version: EdmVersion, acting_user
) -> str | None:
    """Registered with the framework library (see apps.py), after the mover: whenever a version
    of an EDM is published, inside that transaction, every existing plan it applies to that
    does not answer the EDM yet starts answering it, as a plan started now would. That covers a
    new EDM and a later version that applies to more kinds of establishment; plans that already
    answer the EDM are the mover's. Returns the sentence the publisher reads, or None when no
    plan was concerned."""
    report = add_edm_to_plans_in_transaction(new_version, acting_user=acting_user)
    if not report.plans_added:
        return None
    return (
        f"{_plural(report.plans_added, 'plan now answers', 'plans now answer')} "
        f"EDM {new_version.edm.number}."
    )


# Reminders of target dates (reminders.py)
from recovery.plans.reminders import do_send_baseline_reminders  # noqa: E402, F401

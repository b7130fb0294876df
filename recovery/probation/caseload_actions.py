"""Every write of case prioritisation and allocation (re-exported by recovery.probation.actions).
Each action checks the permission first, writes in one transaction and records its audit events
in it.

- `do_import_caseload` (a PDU head, their own PDU) and `do_import_national_caseload` (the
  probation centre, any PDU): replace the caseload of each PDU the file names.
- `do_allocate_wave` (a PDU head): the PDU's next wave, refused while the previous one awaits
  its review; `do_allocate_national` (the probation centre): the next wave of every PDU whose
  previous wave has been reviewed, in one go.
- `do_review_wave` (a PDU head, from one week after the wave started).
- `do_complete_review_tasks` (a PDU head): a wave's plan reviews recorded as done.

A wave writes its moves, two review tasks per move (risk management plan, sentence plan) and the
cases' new contact mode in bulk: one audit event per wave (what moved, by category and mode),
not one per case; the moves themselves are the record of each case."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from recovery.audit.actions import build_event, record_event, record_events
from recovery.core.bulk import insert_rows
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.files import shown_file_name
from recovery.core.scope import is_system, require
from recovery.estate.models import OrganisationUnit
from recovery.probation.allocation import F2F, WavePlan, plan_wave
from recovery.probation.caseload import FIELDS, CaseloadData, read_caseload
from recovery.probation.caseload_constants import WAVE_REVIEW_DAYS, TaskKind
from recovery.probation.caseload_models import (
    AllocationWave,
    Case,
    CaseloadImport,
    CaseMove,
    ReviewTask,
)
from recovery.probation.caseload_rules import ALLOCATE_WAVE, IMPORT_CASELOAD, NATIONAL_CASELOAD

__all__ = [
    "do_allocate_national",
    "do_allocate_wave",
    "do_complete_review_tasks",
    "do_import_caseload",
    "do_import_national_caseload",
    "do_review_wave",
]

# How far from today a wave may be said to start.
WAVE_START_WINDOW_DAYS = 28


def _today() -> datetime.date:
    return timezone.localdate()


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def _nation() -> OrganisationUnit:
    return OrganisationUnit.objects.get(kind=UnitKind.NATION)


# --- Import ---------------------------------------------------------------------------------------


@dataclass
class CaseloadSummary:
    pdus: list[str] = field(default_factory=list)
    cases: int = 0
    by_category: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        where = self.pdus[0] if len(self.pdus) == 1 else f"{len(self.pdus)} PDUs"
        categories = ", ".join(f"category {c}: {n:,}" for c, n in sorted(self.by_category.items()))
        return f"Caseload of {where} loaded: {self.cases:,} cases ({categories})."


def do_import_caseload(pdu, upload, *, acting_user) -> CaseloadSummary:
    """A PDU head loads their PDU's caseload: every row must name that PDU. Replaces it."""
    require(acting_user, IMPORT_CASELOAD, pdu)
    data = read_caseload(upload, pdu=pdu)
    with transaction.atomic(durable=True):
        return replace_caseloads_in_transaction(
            data,
            file_name=getattr(upload, "name", "") or "",
            national=False,
            acting_user=acting_user,
        )


def do_import_national_caseload(
    upload, *, acting_user, file_name: str = "", progress: Callable | None = None
) -> CaseloadSummary:
    """The probation centre loads the caseload of any PDUs, nationally (as a background job:
    recovery.probation.jobs). Replaces the caseload of each PDU the file names."""
    require(acting_user, NATIONAL_CASELOAD, _nation())
    report = progress or (lambda percent, message="": None)
    report(5, "Reading the file")
    data = read_caseload(upload, pdu=None, progress=lambda rows: report(5, f"{rows:,} rows read"))
    report(60, f"File checked: {data.total:,} cases. Writing")
    with transaction.atomic(durable=True):
        return replace_caseloads_in_transaction(
            data, file_name=file_name, national=True, acting_user=acting_user
        )


def replace_caseloads_in_transaction(
    data: CaseloadData, *, file_name: str, national: bool, acting_user
) -> CaseloadSummary:
    pdus = list(
        OrganisationUnit.objects.select_for_update()
        .filter(pk__in=[u.pk for u in data.pdus.values()])
        .order_by("pk")
    )
    Case.objects.filter(pdu__in=pdus).delete()
    by_code = {u.code: u for u in pdus}
    objs = []
    summary = CaseloadSummary(pdus=sorted(by_code))
    totals: Counter = Counter()
    events = []
    now = timezone.now()
    name = shown_file_name(file_name) if file_name else ""
    for code, rows in sorted(data.cases.items()):
        pdu = by_code[code]
        counts = Counter(str(r["category"]) for r in rows)
        totals.update(counts)
        for r in rows:
            objs.append(Case(pdu_id=pdu.pk, category=r["category"], **{f: r[f] for f in FIELDS}))
        record, _ = CaseloadImport.objects.update_or_create(
            pdu=pdu,
            defaults={
                "imported_at": now,
                "imported_by": _person(acting_user),
                "imported_by_name": _name(acting_user),
                "file_name": name,
                "cases": len(rows),
                "national": national,
            },
        )
        events.append(
            build_event(
                acting_user=acting_user,
                action="probation.import_caseload",
                obj=record,
                summary=f"Caseload of {pdu.name} loaded: {len(rows):,} cases"
                + (" (national import)" if national else ""),
                after={
                    "cases": len(rows),
                    "by_category": dict(sorted(counts.items())),
                    "file_name": name,
                    "national": national,
                },
            )
        )
    insert_rows(Case, objs)
    record_events(events)
    summary.cases = len(objs)
    summary.by_category = dict(sorted(totals.items()))
    return summary


# --- Waves ----------------------------------------------------------------------------------------


def waiting_rows(pdu_ids: list[int]) -> tuple[dict[int, list], Counter]:
    """The cases of these PDUs not yet face to face (as planner rows), and how many are face
    to face, by PDU. Two queries."""
    rows: dict[int, list] = defaultdict(list)
    if not pdu_ids:
        return rows, Counter()
    # Straight from the cursor: 250,000 rows without building Django's row objects.
    query = (
        Case.objects.filter(pdu_id__in=pdu_ids)
        .exclude(contact_mode=F2F)
        .order_by()
        .values_list(
            "pdu_id",
            "pk",
            "reference",
            "category",
            "contact_mode",
            "lives_with_victim",
            "lives_with_children_at_risk",
        )
        .query
    )
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pdu_id, *row in cursor.fetchall():
            rows[pdu_id].append(tuple(row))
    face = Counter(
        dict(
            Case.objects.filter(pdu_id__in=pdu_ids, contact_mode=F2F)
            .order_by()
            .values("pdu_id")
            .annotate(n=Count("pk"))
            .values_list("pdu_id", "n")
        )
    )
    return rows, face


def preview_wave(pdu, *, limit: int | None = None, capacity: int | None = None) -> WavePlan:
    """What the PDU's next wave would move now (nothing written)."""
    from recovery.probation.queries import pdu_weekly_capacity

    weekly = pdu_weekly_capacity(pdu) if capacity is None else capacity
    rows, face = waiting_rows([pdu.pk])
    return plan_wave(rows[pdu.pk], capacity=weekly, face_to_face=face[pdu.pk], limit=limit)


def awaiting_review(pdu) -> AllocationWave | None:
    return AllocationWave.objects.filter(pdu=pdu, reviewed_at__isnull=True).first()


def _awaiting_message(wave: AllocationWave) -> str:
    return (
        f"Wave {wave.number} of {wave.pdu.name} is awaiting its review (due on "
        f"{wave.review_due_on:%-d %B %Y}): the next wave waits until it has been reviewed."
    )


def _check_start(starts_on: datetime.date) -> None:
    today = _today()
    window = datetime.timedelta(days=WAVE_START_WINDOW_DAYS)
    if not today - window <= starts_on <= today + window:
        raise DomainError(
            f"A wave starts within {WAVE_START_WINDOW_DAYS} days of today", field="starts_on"
        )


def do_allocate_wave(
    pdu, *, limit: int | None = None, starts_on: datetime.date | None = None, acting_user
) -> AllocationWave:
    """The PDU's next wave: as many cases as its free face-to-face places (or `limit`), in the
    roadmap's order. Refused while the previous wave awaits its review, or if no case can
    move."""
    require(acting_user, ALLOCATE_WAVE, pdu)
    starts_on = starts_on or _today()
    _check_start(starts_on)
    if limit is not None and limit < 1:
        raise DomainError("A wave moves at least one case", field="limit")
    from recovery.probation.queries import pdu_weekly_capacity

    with transaction.atomic(durable=True):
        OrganisationUnit.objects.select_for_update().filter(pk=pdu.pk).first()
        waiting = awaiting_review(pdu)
        if waiting is not None:
            raise DomainError(_awaiting_message(waiting))
        plan = preview_wave(pdu, limit=limit, capacity=pdu_weekly_capacity(pdu, starts_on))
        if not plan.moves:
            raise DomainError(nothing_to_move(plan))
        (wave,) = write_waves_in_transaction(
            [(pdu, plan)], starts_on=starts_on, national=False, acting_user=acting_user
        )
        return wave


def nothing_to_move(plan: WavePlan) -> str:
    if not plan.waiting:
        return "No case is waiting: every case in the caseload is seen face to face."
    if plan.capacity == 0:
        return (
            "The PDU has no face-to-face capacity that counts: record its offices' capacity and "
            "a current risk assessment that found them safe."
        )
    return (
        f"Every face-to-face place is taken: {plan.face_to_face:,} cases are seen face to face "
        f"and the offices offer {plan.capacity:,} appointments a week."
    )


def write_waves_in_transaction(
    plans: list[tuple[OrganisationUnit, WavePlan]],
    *,
    starts_on: datetime.date,
    national: bool,
    acting_user,
) -> list[AllocationWave]:
    """Record a wave for each (PDU, plan): its moves, two review tasks per move, the cases'
    new contact mode, one audit event per wave. Bulk writes whatever the number of cases."""
    numbers = dict(
        AllocationWave.objects.filter(pdu__in=[p for p, _ in plans])
        .order_by()
        .values("pdu_id")
        .annotate(n=Max("number"))
        .values_list("pdu_id", "n")
    )
    review_due = starts_on + datetime.timedelta(days=WAVE_REVIEW_DAYS)
    person, name = _person(acting_user), _name(acting_user)
    now = timezone.now()
    waves = [
        AllocationWave(
            pdu=pdu,
            number=numbers.get(pdu.pk, 0) + 1,
            starts_on=starts_on,
            review_due_on=review_due,
            weekly_capacity=plan.capacity,
            face_to_face_before=plan.face_to_face,
            moved=len(plan.moves),
            moved_by_category=plan.by_category(),
            doorstep_alongside=plan.alongside,
            national=national,
            made_by=person,
            made_by_name=name,
            made_at=now,
        )
        for pdu, plan in plans
    ]
    insert_rows(AllocationWave, waves, assign_ids=True)
    moves, tasks, alongside, only = [], [], [], []
    today = _today()
    for wave, (_, plan) in zip(waves, plans, strict=True):
        for m in plan.moves:
            moves.append(
                CaseMove(
                    wave_id=wave.pk,
                    reference=m.reference,
                    category=m.category,
                    from_mode=m.from_mode,
                    to_mode=F2F,
                    doorstep_alongside=m.doorstep_alongside,
                )
            )
            if connection.vendor == "postgresql":
                (alongside if m.doorstep_alongside else only).append(m.case_id)
                continue  # the tasks are written from the moves in one statement below
            for kind in (TaskKind.RISK_MANAGEMENT_PLAN, TaskKind.SENTENCE_PLAN):
                tasks.append(
                    ReviewTask(
                        pdu_id=wave.pdu_id,
                        wave_id=wave.pk,
                        reference=m.reference,
                        kind=kind,
                        created_on=today,
                    )
                )
            (alongside if m.doorstep_alongside else only).append(m.case_id)
    insert_rows(CaseMove, moves)
    if connection.vendor == "postgresql":
        _tasks_from_moves([w.pk for w in waves], today)
    else:
        insert_rows(ReviewTask, tasks)
    _to_face_to_face(only, alongside=False)
    _to_face_to_face(alongside, alongside=True)
    record_events(
        [
            build_event(
                acting_user=acting_user,
                action="probation.allocate_wave",
                obj=wave,
                summary=f"Wave {wave.number} of {wave.pdu.name}: {wave.moved:,} cases moved to "
                f"face-to-face supervision from {starts_on:%-d %B %Y}"
                + (" (national allocation)" if national else ""),
                after={
                    "number": wave.number,
                    "starts_on": starts_on.isoformat(),
                    "review_due_on": review_due.isoformat(),
                    "moved": wave.moved,
                    "moved_by_category": wave.moved_by_category,
                    "doorstep_alongside": wave.doorstep_alongside,
                    "review_tasks": 2 * wave.moved,
                },
            )
            for wave in waves
        ]
    )
    return waves


def _tasks_from_moves(wave_ids: list[int], today: datetime.date) -> None:
    """Two review tasks for every move of these waves, in one statement (PostgreSQL)."""
    kinds = ", ".join(["(%s)"] * 2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReviewTask._meta.db_table} (pdu_id, wave_id, reference, kind, "
            "created_on) SELECT w.pdu_id, m.wave_id, m.reference, k.kind, %s "
            f"FROM {CaseMove._meta.db_table} m "
            f"JOIN {AllocationWave._meta.db_table} w ON w.id = m.wave_id "
            f"CROSS JOIN (VALUES {kinds}) AS k(kind) WHERE m.wave_id = ANY(%s)",
            [today, TaskKind.RISK_MANAGEMENT_PLAN, TaskKind.SENTENCE_PLAN, wave_ids],
        )


def _to_face_to_face(ids: list[int], *, alongside: bool) -> None:
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Case._meta.db_table} SET contact_mode = %s, doorstep_alongside = %s "
                "WHERE id = ANY(%s)",
                [F2F, alongside, ids],
            )
        return
    for start in range(0, len(ids), 500):
        Case.objects.filter(pk__in=ids[start : start + 500]).update(
            contact_mode=F2F, doorstep_alongside=alongside
        )


@dataclass
class NationalAllocation:
    waves: int = 0
    moved: int = 0
    tasks: int = 0
    awaiting_review: list[str] = field(default_factory=list)  # PDUs skipped
    nothing_to_move: int = 0

    def describe(self) -> str:
        text = (
            f"National allocation: {self.waves:,} PDUs started a wave, {self.moved:,} cases "
            f"moved to face-to-face supervision, {self.tasks:,} plan reviews to do."
        )
        if self.awaiting_review:
            text += f" {len(self.awaiting_review):,} PDUs wait for a wave's review."
        return text

    def as_dict(self) -> dict:
        return {
            "summary": self.describe(),
            "waves": self.waves,
            "moved": self.moved,
            "tasks": self.tasks,
            "awaiting_review": self.awaiting_review,
            "nothing_to_move": self.nothing_to_move,
        }


def do_allocate_national(
    *, acting_user, starts_on: datetime.date | None = None, progress: Callable | None = None
) -> NationalAllocation:
    """The next wave of every PDU, in one go (the probation centre, as a background job): each
    PDU whose previous wave has been reviewed, with free face-to-face places and cases waiting.
    PDUs with a wave awaiting review are left as they are, and listed."""
    from recovery.probation.queries import pdu_rows

    nation = _nation()
    require(acting_user, NATIONAL_CASELOAD, nation)
    starts_on = starts_on or _today()
    _check_start(starts_on)
    report = progress or (lambda percent, message="": None)
    result = NationalAllocation()
    report(10, "Reading capacity and caseloads")
    with transaction.atomic(durable=True):
        pdus = list(
            OrganisationUnit.objects.select_for_update().filter(kind=UnitKind.PDU).order_by("code")
        )
        waiting_waves = set(
            AllocationWave.objects.filter(reviewed_at__isnull=True).values_list("pdu_id", flat=True)
        )
        result.awaiting_review = [p.code for p in pdus if p.pk in waiting_waves]
        free = [p for p in pdus if p.pk not in waiting_waves]
        capacity = {row.code: row.weekly for row in pdu_rows(free, starts_on)}
        rows, face = waiting_rows([p.pk for p in free])
        plans = []
        for pdu in free:
            plan = plan_wave(
                rows.get(pdu.pk, ()), capacity=capacity[pdu.code], face_to_face=face[pdu.pk]
            )
            if plan.moves:
                plans.append((pdu, plan))
            else:
                result.nothing_to_move += 1
        waves = write_waves_in_transaction(
            plans, starts_on=starts_on, national=True, acting_user=acting_user
        )
        result.waves = len(waves)
        result.moved = sum(w.moved for w in waves)
        result.tasks = 2 * result.moved
        record_event(
            acting_user=acting_user,
            action="probation.allocate_national",
            obj=nation,
            summary=result.describe(),
            after={k: v for k, v in result.as_dict().items() if k != "summary"},
        )
    return result


def do_review_wave(wave: AllocationWave, *, notes: str, acting_user) -> AllocationWave:
    """Record the review of a wave, from one week after it started; the PDU's next wave may
    then be made."""
    require(acting_user, ALLOCATE_WAVE, wave)
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("Say what the review of the wave found", field="notes")
    with transaction.atomic(durable=True):
        current = AllocationWave.objects.select_for_update().select_related("pdu").get(pk=wave.pk)
        if current.reviewed_at is not None:
            raise DomainError(f"Wave {current.number} has already been reviewed.")
        if _today() < current.review_due_on:
            raise DomainError(
                f"The review of wave {current.number} is due on "
                f"{current.review_due_on:%-d %B %Y}: a wave is reviewed after one week."
            )
        current.reviewed_at = timezone.now()
        current.reviewed_by = _person(acting_user)
        current.reviewed_by_name = _name(acting_user)
        current.review_notes = notes
        current.save(
            update_fields=["reviewed_at", "reviewed_by", "reviewed_by_name", "review_notes"]
        )
        record_event(
            acting_user=acting_user,
            action="probation.review_wave",
            obj=current,
            summary=f"Wave {current.number} of {current.pdu.name} reviewed",
            before={"reviewed": False},
            after={"reviewed": True, "notes": notes},
        )
        return current


def do_complete_review_tasks(wave: AllocationWave, *, acting_user) -> int:
    """Record the plan reviews a wave created as done (today). Returns how many."""
    require(acting_user, ALLOCATE_WAVE, wave)
    with transaction.atomic(durable=True):
        done = ReviewTask.objects.filter(wave=wave, completed_on__isnull=True).update(
            completed_on=_today()
        )
        if not done:
            raise DomainError("Every plan review of this wave is already recorded as done.")
        record_event(
            acting_user=acting_user,
            action="probation.complete_review_tasks",
            obj=wave,
            summary=f"{done:,} plan reviews of wave {wave.number} of {wave.pdu.name} done",
            after={"completed": done},
        )
        return done

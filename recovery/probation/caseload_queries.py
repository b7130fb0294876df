"""Reads of caseloads and allocation, already scoped: a PDU's picture (categories by contact
mode, review tasks outstanding, waves), the PDUs a person sees with their figures, a wave and
its moves. A fixed number of queries whatever the size of the caseload."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from recovery.core.constants import UnitKind
from recovery.core.scope import unit_filter
from recovery.estate.models import OrganisationUnit
from recovery.probation.caseload_constants import Category, ContactMode, TaskKind
from recovery.probation.caseload_models import AllocationWave, Case, CaseloadImport, ReviewTask
from recovery.probation.caseload_rules import VIEW_CASELOAD

MODES = list(ContactMode)


@dataclass
class CategoryRow:
    category: int
    label: str
    by_mode: list[int]
    total: int


@dataclass
class CaseloadPicture:
    pdu: OrganisationUnit
    rows: list[CategoryRow]
    mode_totals: list[int]
    total: int
    doorstep_alongside: int
    tasks_open: dict[str, int]
    last_import: CaseloadImport | None
    waves: list[AllocationWave] = field(default_factory=list)

    @property
    def tasks_open_total(self) -> int:
        return sum(self.tasks_open.values())

    @property
    def awaiting(self) -> AllocationWave | None:
        return next((w for w in self.waves if not w.reviewed), None)


def caseload_picture(pdu) -> CaseloadPicture:
    """Five queries."""
    counts = Counter(
        {
            (category, mode): n
            for category, mode, n in Case.objects.filter(pdu=pdu)
            .order_by()
            .values("category", "contact_mode")
            .annotate(n=Count("pk"))
            .values_list("category", "contact_mode", "n")
        }
    )
    rows = []
    for category in Category:
        by_mode = [counts[(category.value, m.value)] for m in MODES]
        rows.append(CategoryRow(category.value, category.label, by_mode, sum(by_mode)))
    tasks = Counter(
        dict(
            ReviewTask.objects.filter(pdu=pdu, completed_on__isnull=True)
            .order_by()
            .values("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
    )
    return CaseloadPicture(
        pdu=pdu,
        rows=rows,
        mode_totals=[sum(r.by_mode[i] for r in rows) for i in range(len(MODES))],
        total=sum(r.total for r in rows),
        doorstep_alongside=Case.objects.filter(pdu=pdu, doorstep_alongside=True).count(),
        tasks_open={str(k.label): tasks[k.value] for k in TaskKind},
        last_import=CaseloadImport.objects.filter(pdu=pdu).first(),
        waves=list(
            AllocationWave.objects.filter(pdu=pdu).select_related("pdu").order_by("-number")
        ),
    )


@dataclass
class PduCaseloadRow:
    code: str
    name: str
    region: str
    cases: int
    category_1: int
    face_to_face: int
    waves: int
    awaiting_review: bool
    tasks_open: int


def visible_caseload_pdus(user):
    """The PDUs whose caseload figures the person sees: a PDU head their PDU, a region its
    PDUs, the centre and oversight every PDU."""
    return (
        OrganisationUnit.objects.filter(kind=UnitKind.PDU)
        .filter(unit_filter(user, VIEW_CASELOAD))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def caseload_rows(user) -> list[PduCaseloadRow]:
    """A row for each PDU the person sees. Four queries."""
    pdus = list(visible_caseload_pdus(user))
    ids = [p.pk for p in pdus]
    figures = {
        row["pdu_id"]: row
        for row in Case.objects.filter(pdu_id__in=ids)
        .order_by()
        .values("pdu_id")
        .annotate(
            cases=Count("pk"),
            category_1=Count("pk", filter=Q(category=1)),
            face_to_face=Count("pk", filter=Q(contact_mode=ContactMode.FACE_TO_FACE)),
        )
    }
    waves: dict[int, list[bool]] = defaultdict(list)
    for pdu_id, reviewed in AllocationWave.objects.filter(pdu_id__in=ids).values_list(
        "pdu_id", "reviewed_at"
    ):
        waves[pdu_id].append(reviewed is not None)
    tasks = Counter(
        dict(
            ReviewTask.objects.filter(pdu_id__in=ids, completed_on__isnull=True)
            .order_by()
            .values("pdu_id")
            .annotate(n=Count("pk"))
            .values_list("pdu_id", "n")
        )
    )
    rows = []
    for p in pdus:
        f = figures.get(p.pk, {})
        rows.append(
            PduCaseloadRow(
                code=p.code,
                name=p.name,
                region=p.parent.name,
                cases=f.get("cases", 0),
                category_1=f.get("category_1", 0),
                face_to_face=f.get("face_to_face", 0),
                waves=len(waves[p.pk]),
                awaiting_review=not all(waves[p.pk]),
                tasks_open=tasks[p.pk],
            )
        )
    return rows


def wave_detail(wave: AllocationWave) -> dict:
    moves = list(wave.moves.order_by("category", "reference"))
    open_tasks = wave.tasks.filter(completed_on__isnull=True).count()
    return {"moves": moves, "open_tasks": open_tasks, "tasks": wave.tasks.count()}

"""The fortnightly report to ministers (the roadmap's "Governance structure": "We will send an
update report to Ministers fortnightly, and inform them if any part of the country moves from a
higher to a lower step"): its figures gathered straight from the models, never typed.

- `gather(as_at)` → the snapshot a stored report keeps (plain JSON): the national step and each
  region's effective step (recovery.probation.steps), with the PDUs standing apart from their
  region; each region's face-to-face capacity a week (offices that count: capacity recorded and
  a current, safe office risk assessment) against its demand (the caseload by category: each
  case of categories 1 to 3, the roadmap's priority for a return to face-to-face supervision,
  needs one appointment a week, as allocation counts it); the cases seen face to face by
  category, and those moved in the fortnight's waves; each workstream's RAG as it stood on the
  day (its latest update reported on or before it); staffing hours by rung (the hours each
  rung of the staffing hierarchy covered in the fortnight's weeks up to the day; None, "not yet
  reported", when no PDU recorded them).
- `changes_between(previous, current)` → what changed since the last report: the national step,
  regions' steps (a move back named as such), workstream RAGs, and capacity, demand and cases
  seen face to face (nationally and by region).
- `fortnight_of(day)` → the fortnight (Monday to Sunday two weeks later) a day falls in;
  fortnights run from Monday 1 June 2020 (FORTNIGHT_ANCHOR).
- `ReportReading` → a stored snapshot as one reader may read it: the national figures, and the
  rows of only the regions within their scope.

The caseload keeps no history, so caseload figures are those of the day the report is made;
steps, RAGs and waves are read as they stood on `as_at`. A fixed number of queries whatever the
size of the estate or the caseload."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from recovery.core.constants import UnitKind
from recovery.core.scope import is_system, matching_scopes
from recovery.estate.models import OrganisationUnit
from recovery.probation.caseload_constants import CATEGORY_SHORT, ContactMode
from recovery.probation.caseload_models import Case, CaseMove
from recovery.probation.queries import openings, overrides_by_unit, pdu_rows
from recovery.probation.steps import StepTimeline
from recovery.probation.workstream_models import Workstream, WorkstreamRag, WorkstreamUpdate

# Probation's first step two opened from June 2020 at the earliest (the government's step two
# "no earlier than 1 June"): the fortnights of the report run from that Monday.
FORTNIGHT_ANCHOR = datetime.date(2020, 6, 1)
FORTNIGHT_DAYS = 14

CATEGORIES = ("1", "2", "3", "4")
PRIORITY_CATEGORIES = ("1", "2", "3")
RAG_LABELS = {r.value: r.label for r in WorkstreamRag}


def fortnight_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the fortnight `day` falls in."""
    number = (day - FORTNIGHT_ANCHOR).days // FORTNIGHT_DAYS
    starts = FORTNIGHT_ANCHOR + datetime.timedelta(days=FORTNIGHT_DAYS * number)
    return starts, starts + datetime.timedelta(days=FORTNIGHT_DAYS - 1)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _by_category(counts: Counter) -> dict[str, int]:
    return {c: counts[c] for c in CATEGORIES}


def _region_of_pdu() -> dict[int, int]:
    return dict(OrganisationUnit.objects.filter(kind=UnitKind.PDU).values_list("pk", "parent_id"))


def _caseload(pdu_region: dict[int, int]) -> tuple[dict, dict]:
    """Cases by region and category, and those seen face to face. One query."""
    cases: dict[int, Counter] = defaultdict(Counter)
    face: dict[int, Counter] = defaultdict(Counter)
    for pdu_id, category, mode, n in (
        Case.objects.order_by()
        .values("pdu_id", "category", "contact_mode")
        .annotate(n=Count("pk"))
        .values_list("pdu_id", "category", "contact_mode", "n")
    ):
        region = pdu_region.get(pdu_id)
        cases[region][str(category)] += n
        if mode == ContactMode.FACE_TO_FACE:
            face[region][str(category)] += n
    return cases, face


def _moved(pdu_region: dict[int, int], starts: datetime.date, as_at: datetime.date) -> dict:
    """Cases moved to face-to-face supervision by the waves that started in the fortnight, up to
    `as_at`, by region and category. One query."""
    moved: dict[int, Counter] = defaultdict(Counter)
    for pdu_id, category, n in (
        CaseMove.objects.filter(wave__starts_on__gte=starts, wave__starts_on__lte=as_at)
        .order_by()
        .values("wave__pdu_id", "category")
        .annotate(n=Count("pk"))
        .values_list("wave__pdu_id", "category", "n")
    ):
        moved[pdu_region.get(pdu_id)][str(category)] += n
    return moved


def _workstreams(as_at: datetime.date) -> list[dict]:
    """Each workstream's RAG as it stood on `as_at`: its latest update reported on or before
    the day (None: it had reported nothing yet). Two queries."""
    latest: dict[int, WorkstreamUpdate] = {}
    for update in WorkstreamUpdate.objects.filter(reported_on__lte=as_at).order_by(
        "workstream_id", "-reported_on", "-pk"
    ):
        latest.setdefault(update.workstream_id, update)
    rows = []
    for ws in Workstream.objects.order_by("number"):
        update = latest.get(ws.pk)
        rows.append(
            {
                "number": ws.number,
                "name": ws.name,
                "rag": update.rag if update else None,
                "reported_on": _iso(update.reported_on) if update else None,
                "summary": update.summary if update else "",
            }
        )
    return rows


def gather(as_at: datetime.date) -> dict:
    """The figures of the report as at `as_at` (see the module's docstring), as plain JSON."""
    starts, ends = fortnight_of(as_at)
    gates = openings()
    overrides = overrides_by_unit()
    regions = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION).order_by("name", "code")
    )
    pdus = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PDU)
        .select_related("parent")
        .order_by("name", "code")
    )
    pdu_region = {p.pk: p.parent_id for p in pdus}
    capacity_rows = {row.code: row for row in pdu_rows(pdus, as_at)}
    cases, face = _caseload(pdu_region)
    moved = _moved(pdu_region, starts, as_at)

    capacity: dict[int, Counter] = defaultdict(Counter)
    apart: dict[int, list[dict]] = defaultdict(list)
    region_steps = {}
    for region in regions:
        region_steps[region.pk] = StepTimeline(gates, overrides.get(region.pk, ())).step_on(as_at)
    for pdu in pdus:
        row = capacity_rows[pdu.code]
        capacity[pdu.parent_id].update(
            weekly=row.weekly, offices=row.offices, offices_counted=row.offices_counted
        )
        if overrides.get(pdu.pk) and row.step != region_steps.get(pdu.parent_id):
            apart[pdu.parent_id].append(
                {"code": pdu.code, "name": pdu.name, "step": row.step, "since": _iso(row.since)}
            )

    region_rows = []
    for region in regions:
        timeline = StepTimeline(gates, overrides.get(region.pk, ()))
        region_rows.append(
            {
                "code": region.code,
                "name": region.name,
                "step": timeline.step_on(as_at),
                "since": _iso(timeline.since(as_at)),
                "capacity": capacity[region.pk]["weekly"],
                "offices": capacity[region.pk]["offices"],
                "offices_counted": capacity[region.pk]["offices_counted"],
                "caseload": _by_category(cases[region.pk]),
                "face_to_face": _by_category(face[region.pk]),
                "moved": _by_category(moved[region.pk]),
                "pdus_apart": apart[region.pk],
            }
        )
    national = StepTimeline(gates)

    def total(key: str) -> dict[str, int]:
        return {c: sum(r[key][c] for r in region_rows) for c in CATEGORIES}

    return {
        "as_at": as_at.isoformat(),
        "fortnight_starts_on": starts.isoformat(),
        "fortnight_ends_on": ends.isoformat(),
        "national": {
            "step": national.step_on(as_at),
            "since": _iso(national.since(as_at)),
            "capacity": sum(r["capacity"] for r in region_rows),
            "offices": sum(r["offices"] for r in region_rows),
            "offices_counted": sum(r["offices_counted"] for r in region_rows),
            "caseload": total("caseload"),
            "face_to_face": total("face_to_face"),
            "moved": total("moved"),
        },
        "regions": region_rows,
        "workstreams": _workstreams(as_at),
        "staffing": _staffing(starts, as_at),
    }


def _staffing(starts: datetime.date, as_at: datetime.date) -> list[dict] | None:
    """The hours each rung of the staffing hierarchy covered across the country in the
    fortnight's weeks up to the day, and the hours left short; None when no PDU recorded any of
    those weeks ("not yet reported")."""
    from recovery.probation.staffing import hours_by_rung

    weeks = [w for w in (starts, starts + datetime.timedelta(weeks=1)) if w <= as_at]
    totals = hours_by_rung(weeks=weeks)
    if not totals.entries:
        return None
    return [
        {"rung": "Hours needed", "hours": float(totals.need)},
        *({"rung": r.rung.label, "hours": float(r.used)} for r in totals.rungs),
        {"rung": "Not covered", "hours": float(totals.gap)},
    ]


def demand(figures: dict) -> int:
    """Face-to-face appointments a week the priority categories (1 to 3) need: one a case."""
    return sum(figures["caseload"][c] for c in PRIORITY_CATEGORIES)


def _seen(figures: dict) -> int:
    return sum(figures["face_to_face"].values())


def _capacity_change(code, name, before: dict, after: dict) -> dict | None:
    pairs = {
        "capacity": (before["capacity"], after["capacity"]),
        "demand": (demand(before), demand(after)),
        "face_to_face": (_seen(before), _seen(after)),
    }
    if all(old == new for old, new in pairs.values()):
        return None
    change = {"code": code, "name": name}
    for key, (old, new) in pairs.items():
        change[key] = {"from": old, "to": new, "change": new - old}
    return change


def changes_between(previous: dict | None, current: dict) -> dict:
    """What changed between the last report's snapshot and this one's."""
    if previous is None:
        return {"first": True}
    before_regions = {r["code"]: r for r in previous["regions"]}
    steps, figures = [], []
    national = _capacity_change(
        None, "England and Wales", previous["national"], current["national"]
    )
    if national:
        figures.append(national)
    for region in current["regions"]:
        old = before_regions.get(region["code"])
        if old is None:
            continue
        if old["step"] != region["step"]:
            steps.append(
                {
                    "code": region["code"],
                    "name": region["name"],
                    "from": old["step"],
                    "to": region["step"],
                    "back": region["step"] < old["step"],
                }
            )
        change = _capacity_change(region["code"], region["name"], old, region)
        if change:
            figures.append(change)
    before_rags = {w["number"]: w["rag"] for w in previous["workstreams"]}
    rags = [
        {"number": w["number"], "name": w["name"], "from": before_rags[w["number"]], "to": w["rag"]}
        for w in current["workstreams"]
        if w["number"] in before_rags and before_rags[w["number"]] != w["rag"]
    ]
    old_step, new_step = previous["national"]["step"], current["national"]["step"]
    return {
        "first": False,
        "previous_fortnight_starts_on": previous["fortnight_starts_on"],
        "previous_as_at": previous["as_at"],
        "national_step": {"from": old_step, "to": new_step} if old_step != new_step else None,
        "steps": steps,
        "rags": rags,
        "figures": figures,
    }


# --- Reading a stored report -------------------------------------------------------------------


def readable_region_codes(user, permission: str) -> set[str] | None:
    """The regions whose rows the person reads: None for all (held nationally)."""
    if is_system(user):
        return None
    scopes = matching_scopes(user, permission)
    if any(s.unit_kind == UnitKind.NATION for s in scopes):
        return None
    paths = [s.unit_path for s in scopes]
    return {
        code
        for code, path in OrganisationUnit.objects.filter(
            kind=UnitKind.PROBATION_REGION
        ).values_list("code", "path")
        if any(path.startswith(p) for p in paths)
    }


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@dataclass
class CategoryLine:
    label: str
    caseload: int
    face_to_face: int
    moved: int


@dataclass
class ReportReading:
    """A stored report's snapshot as one reader reads it: every national figure, and only the
    regions (and their changes) within the reader's scope."""

    snapshot: dict
    regions: list[dict]
    changes: dict
    hidden_regions: int

    @classmethod
    def of(cls, snapshot: dict, codes: set[str] | None) -> "ReportReading":
        def shown(row: dict) -> bool:
            return codes is None or row.get("code") is None or row["code"] in codes

        regions = [r for r in snapshot["regions"] if shown(r)]
        changes = dict(snapshot.get("changes") or {"first": True})
        for key in ("steps", "figures"):
            if key in changes:
                changes[key] = [c for c in changes[key] if shown(c)]
        return cls(snapshot, regions, changes, len(snapshot["regions"]) - len(regions))

    @property
    def as_at(self) -> datetime.date:
        return _date(self.snapshot["as_at"])

    @property
    def starts_on(self) -> datetime.date:
        return _date(self.snapshot["fortnight_starts_on"])

    @property
    def ends_on(self) -> datetime.date:
        return _date(self.snapshot["fortnight_ends_on"])

    @property
    def national(self) -> dict:
        return self.snapshot["national"]

    @property
    def national_since(self) -> datetime.date | None:
        return _date(self.national["since"])

    @property
    def national_demand(self) -> int:
        return demand(self.national)

    @property
    def national_balance(self) -> int:
        """Capacity less demand: below nought, a shortfall."""
        return self.national["capacity"] - self.national_demand

    @property
    def national_short(self) -> int:
        return max(0, -self.national_balance)

    @property
    def national_seen(self) -> int:
        return _seen(self.national)

    @property
    def region_rows(self) -> list[dict]:
        rows = []
        for r in self.regions:
            rows.append(
                {
                    **r,
                    "since_date": _date(r["since"]),
                    "demand": demand(r),
                    "balance": r["capacity"] - demand(r),
                    "short": max(0, demand(r) - r["capacity"]),
                    "seen": _seen(r),
                    "below_national": r["step"] < self.national["step"],
                }
            )
        return rows

    @property
    def pdus_apart(self) -> list[dict]:
        return [
            {**p, "region": r["name"], "region_step": r["step"], "since_date": _date(p["since"])}
            for r in self.regions
            for p in r["pdus_apart"]
        ]

    @property
    def categories(self) -> list[CategoryLine]:
        n = self.national
        return [
            CategoryLine(
                CATEGORY_SHORT[int(c)], n["caseload"][c], n["face_to_face"][c], n["moved"][c]
            )
            for c in CATEGORIES
        ]

    @property
    def workstreams(self) -> list[dict]:
        return [
            {**w, "rag_label": RAG_LABELS.get(w["rag"], ""), "reported": _date(w["reported_on"])}
            for w in self.snapshot["workstreams"]
        ]

    @property
    def staffing(self):
        return self.snapshot.get("staffing")

    @property
    def staffing_rows(self) -> list[tuple[str, object]]:
        """Staffing hours by rung, once reported: {rung: hours} or [{"rung", "hours"}, ...]."""
        staffing = self.staffing
        if not staffing:
            return []
        if isinstance(staffing, dict):
            return [(str(k), v) for k, v in staffing.items()]
        return [
            (str(item.get("rung") or item.get("label") or ""), item.get("hours"))
            if isinstance(item, dict)
            else (str(item), None)
            for item in staffing
        ]

    @property
    def rag_changes(self) -> list[dict]:
        return [
            {
                **c,
                "from_label": RAG_LABELS.get(c["from"], "Not reported"),
                "to_label": RAG_LABELS.get(c["to"], "Not reported"),
            }
            for c in self.changes.get("rags", [])
        ]

    @property
    def previous_starts_on(self) -> datetime.date | None:
        return _date(self.changes.get("previous_fortnight_starts_on"))

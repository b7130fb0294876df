"""Which cases the next wave moves to face-to-face supervision: the roadmap's order, worked out
in Python over plain rows (no query here), the same for one PDU and for the whole country.

The PDU's face-to-face capacity (recovery.probation.queries.pdu_weekly_capacity: appointments a
week) holds one appointment a week for each case seen face to face; the places free are the
capacity less the cases already face to face. A wave fills at most those places (or fewer, if
the person asks for a smaller wave), in this order:

1. doorstep visits replaced: category 1, then 2, then 3;
2. if places remain, audio and video contact replaced: category 1, then 2, then 3;
3. everyone else (category 4) after: doorstep, then audio and video.

Within a round and category, by case reference (A-Z, 0-9 as text): the same caseload and
capacity always give the same wave. A case moved from doorstep visits whose person lives with
the victim or with children at risk keeps doorstep supervision alongside ("doorstep
supervision can therefore continue to be utilised in tandem with face to face supervision").
A case moved from audio or video had no doorstep visits to continue."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from recovery.probation.caseload_constants import ContactMode

F2F = ContactMode.FACE_TO_FACE.value
DOORSTEP = ContactMode.DOORSTEP.value

# A case as the planner reads it: (id, reference, category, contact mode, lives with victim,
# lives with children at risk).
CaseRow = tuple[int, str, int, str, bool, bool]


def round_of(category: int, mode: str) -> int:
    """The round in which a case not yet face to face is offered a place (0 first)."""
    late = 2 if category == 4 else 0
    return late + (0 if mode == DOORSTEP else 1)


def priority(row: CaseRow) -> tuple[int, int, str]:
    return round_of(row[2], row[3]), row[2], row[1]


@dataclass(frozen=True)
class Move:
    case_id: int
    reference: str
    category: int
    from_mode: str
    doorstep_alongside: bool


@dataclass
class WavePlan:
    """The next wave of one PDU: its moves, and the figures they come from."""

    capacity: int
    face_to_face: int
    waiting: int  # cases not yet face to face
    moves: list[Move] = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.face_to_face)

    def by_category(self) -> dict[str, dict[str, int]]:
        """{"1": {"doorstep": n, "audio": n, "video": n}, ...}: what moves, from where."""
        counts: dict[str, Counter] = {str(c): Counter() for c in (1, 2, 3, 4)}
        for m in self.moves:
            counts[str(m.category)][m.from_mode] += 1
        return {
            c: {mode: counts[c][mode] for mode in ("doorstep", "audio", "video")} for c in counts
        }

    @property
    def alongside(self) -> int:
        return sum(1 for m in self.moves if m.doorstep_alongside)


def plan_wave(
    waiting: Iterable[CaseRow], *, capacity: int, face_to_face: int, limit: int | None = None
) -> WavePlan:
    """The next wave: `waiting` are the cases not yet seen face to face; `face_to_face` how
    many are; `limit` the most the person wants moved in this wave (None: as many as fit)."""
    rows = [r for r in waiting if r[3] != F2F]
    plan = WavePlan(capacity=capacity, face_to_face=face_to_face, waiting=len(rows))
    places = plan.free if limit is None else min(plan.free, max(0, limit))
    if places <= 0 or not rows:
        return plan
    rows.sort(key=priority)
    plan.moves = [
        Move(
            case_id=r[0],
            reference=r[1],
            category=r[2],
            from_mode=r[3],
            doorstep_alongside=r[3] == DOORSTEP and bool(r[4] or r[5]),
        )
        for r in rows[:places]
    ]
    return plan

"""What the public status pages show, and nothing else: each open establishment's name, code,
current stage (from the configurable ladder) and the date it took effect, the stage's meanings
for families, and the establishment's published note. Plain values only, so what is cached can
carry nothing more than this."""

from datetime import date

from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment
from recovery.frameworks.models import Stage
from recovery.progression.queries import current_change, current_changes, effective_changes
from recovery.public.models import PublicNote

MEANINGS = (
    ("visits", "Visits"),
    ("education", "Education"),
    ("work", "Work"),
    ("rotl", "Release on temporary licence (ROTL)"),
)


def open_establishments():
    return Establishment.objects.filter(status=EstablishmentStatus.OPEN)


def public_stage(stage: Stage | None) -> dict | None:
    if stage is None:
        return None
    return {
        "number": stage.number,
        "name": stage.name,
        "colour": stage.colour,
        "for_families": [
            {"label": label, "text": getattr(stage, name)} for name, label in MEANINGS
        ],
    }


def public_ladder() -> list[dict]:
    return [{"number": s.number, "name": s.name} for s in Stage.objects.order_by("-number")]


def stage_since(history) -> dict[int, date]:
    """{establishment id: the date its current stage took effect}: from its effective changes
    (establishment_id, stage_id, effective_from), newest first, the start of the latest run of
    the same stage; a change that records the stage it was already at (a correction) is not a
    change of stage."""
    since: dict[int, date] = {}
    current: dict[int, int | None] = {}
    for establishment_id, stage_id, effective_from in history:
        if establishment_id not in current:
            current[establishment_id] = stage_id
        if current[establishment_id] == stage_id:
            since[establishment_id] = effective_from
        else:
            current[establishment_id] = None  # the run has ended: older entries do not count
    return since


def _history(establishments):
    return (
        effective_changes()
        .filter(establishment__in=establishments)
        .order_by("establishment_id", "-effective_from", "-pk")
        .values_list("establishment_id", "stage_id", "effective_from")
    )


def status_rows() -> list[dict]:
    """Every open establishment, by name, with its current stage (None: not recorded yet)."""
    establishments = list(open_establishments().order_by("name").only("code", "name"))
    changes = current_changes(open_establishments())
    since = stage_since(_history(open_establishments()))
    rows = []
    for establishment in establishments:
        change = changes.get(establishment.pk)
        rows.append(
            {
                "code": establishment.code,
                "name": establishment.name,
                "stage": public_stage(change.stage) if change else None,
                "since": since.get(establishment.pk),
            }
        )
    return rows


def matching(rows: list[dict], *, name: str = "", stage: int | None = None) -> list[dict]:
    """The rows whose name (or code) contains `name` and whose stage is `stage`, if given."""
    words = name.strip().casefold()
    return [
        row
        for row in rows
        if (not words or words in row["name"].casefold() or words == row["code"].casefold())
        and (stage is None or (row["stage"] and row["stage"]["number"] == stage))
    ]


def establishment_status(establishment: Establishment) -> dict:
    change = current_change(establishment)
    note = PublicNote.objects.filter(establishment=establishment).first()
    since = stage_since(_history([establishment])).get(establishment.pk)
    return {
        "code": establishment.code,
        "name": establishment.name,
        "stage": public_stage(change.stage) if change else None,
        "since": since,
        "note": note.text if note and note.text else "",
        "note_published": note.published_at if note and note.text else None,
    }

"""What the public status pages show, and nothing else: each open establishment's name, code,
current stage (from the configurable ladder) and the date it took effect, the stage's meanings
for families, and the establishment's published note. Plain values only, so what is cached can
carry nothing more than this."""

from datetime import date

from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment
from recovery.frameworks.models import Stage
from recovery.progression.queries import current_change, current_changes
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


def status_rows() -> list[dict]:
    """Every open establishment, by name, with its current stage (None: not recorded yet)."""
    establishments = list(open_establishments().order_by("name").only("code", "name"))
    changes = current_changes(open_establishments())
    rows = []
    for establishment in establishments:
        change = changes.get(establishment.pk)
        rows.append(
            {
                "code": establishment.code,
                "name": establishment.name,
                "stage": public_stage(change.stage) if change else None,
                "since": change.effective_from if change else None,
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
    since: date | None = change.effective_from if change else None
    return {
        "code": establishment.code,
        "name": establishment.name,
        "stage": public_stage(change.stage) if change else None,
        "since": since,
        "note": note.text if note and note.text else "",
        "note_published": note.published_at if note and note.text else None,
    }

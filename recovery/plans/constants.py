"""Words of Regime Recovery Plans. Importable without models."""

from django.db import models


class ResponseStatus(models.TextChoices):
    """Where the establishment's answer to one baseline stands.

    - not_started: nothing done yet.
    - in_progress: work under way.
    - met: the baseline is delivered.
    - not_applicable: the baseline does not apply here, with a reason; never allowed for a
      mandatory baseline."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class EvidenceKind(models.TextChoices):
    FILE = "file", "Document"
    LINK = "link", "Link"
    NOTE = "note", "Note"


class Sequence(models.TextChoices):
    """Where a baseline sits in the order of work that its weighting sets."""

    DONE = "done", "Done"
    NEXT = "next", "Next"
    WAITING = "waiting", "Waiting on precursors"
    LATER = "later", "Later"


# Evidence documents: what an establishment may upload against a baseline.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}

PRECURSOR_WEIGHTING = 3

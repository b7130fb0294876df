"""Evidence file names: whatever name a browser sends, the document is stored under a name the
filesystem accepts, shown as the person would recognise it, and downloaded with its extension."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.plans.actions import do_add_evidence
from recovery.plans.factories import response_for

# 148 two-byte characters and ".pdf": 300 bytes of UTF-8, beyond the 255 a filesystem allows.
WELSH_NAME = "ŵ" * 148 + ".pdf"


@pytest.fixture
def disk(settings, tmp_path) -> Path:
    """Uploads go to a real directory, as in production, so a name too long fails as it would."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def test_a_300_byte_name_is_shortened_keeping_its_extension(
    client, adult_plan, person_with_role, disk
):
    assert len(WELSH_NAME.encode()) == 300
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")

    added = client.post(
        "/plans/EST1/evidence/add/",
        {"response": response.pk, "kind": "file", "file": SimpleUploadedFile(WELSH_NAME, b"%PDF")},
    )

    assert added.status_code == 302
    evidence = response.evidence.get()
    # Shown: as many of the characters as fit in 240 bytes, marked as cut, ".pdf" kept.
    # 116 × 2 bytes + 3 for "…" + 4 for ".pdf" = 239 bytes; one more "ŵ" would be 241.
    assert evidence.file_name == "ŵ" * 116 + "…" + ".pdf"
    # Stored: a short ASCII name in the establishment's folder, on disk.
    stored = Path(evidence.file.name)
    assert stored.parent.as_posix() == "plans/evidence/EST1"
    assert stored.name.endswith(".pdf") and stored.name.startswith("w" * 80)
    assert len(stored.name.encode()) <= 255
    assert (disk / evidence.file.name).read_bytes() == b"%PDF"
    assert AuditEvent.objects.get(action="plans.add_evidence").after["file_name"] == (
        evidence.file_name
    )

    download = client.get(f"/plans/EST1/evidence/?evidence={evidence.pk}")

    assert b"".join(download.streaming_content) == b"%PDF"
    assert download["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(evidence.file_name)}"
    )


def test_path_separators_controls_and_bidi_characters_are_dropped_from_the_name(adult_plan, disk):
    upload = SimpleUploadedFile("C:\\Users\\ed\\Visits\u202e plan\x07\u200b.PDF", b"%PDF")

    evidence = do_add_evidence(
        response_for(adult_plan, "2.1"), kind="file", upload=upload, acting_user=TEST_DATA
    )

    assert evidence.file_name == "Visits plan.PDF"
    assert Path(evidence.file.name).name == "visits-plan.pdf"
    assert evidence.content_type == "application/pdf"


def test_a_name_with_no_ascii_letters_is_stored_under_a_plain_name(adult_plan, disk):
    upload = SimpleUploadedFile("探访计划.docx", b"PK")

    evidence = do_add_evidence(
        response_for(adult_plan, "2.1"), kind="file", upload=upload, acting_user=TEST_DATA
    )

    assert evidence.file_name == "探访计划.docx"
    assert Path(evidence.file.name).name == "document.docx"
    assert (disk / evidence.file.name).read_bytes() == b"PK"

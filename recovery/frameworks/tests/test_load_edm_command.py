"""`manage.py load_edm`: checks each file, loads it (idempotently), says what it did."""

import pytest
from django.core.management import CommandError, call_command

from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.factories import edm_text
from recovery.frameworks.models import EdmVersion

pytestmark = pytest.mark.django_db


def test_load_edm_loads_and_publishes_then_does_nothing_the_second_time(tmp_path, capsys):
    path = tmp_path / "edm-950.yaml"
    path.write_text(edm_text())

    call_command("load_edm", str(path))
    call_command("load_edm", str(path))

    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{path}: EDM 950 version 1.0: loaded as a draft, and published",
        f"{path}: EDM 950 version 1.0: already loaded; nothing changed",
    ]
    assert EdmVersion.objects.get().status == EdmStatus.PUBLISHED


def test_load_edm_draft_leaves_a_draft(tmp_path):
    path = tmp_path / "edm-950.yaml"
    path.write_text(edm_text())

    call_command("load_edm", str(path), "--draft")

    assert EdmVersion.objects.get().status == EdmStatus.DRAFT


def test_load_edm_lists_every_problem_of_a_bad_file(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(edm_text().replace("stage: 3", "stage: 7"))

    with pytest.raises(CommandError):
        call_command("load_edm", str(path))

    assert capsys.readouterr().err.splitlines() == [
        f"{path}: The file has 1 problem. Nothing has been changed.",
        "  Line 5, key 'stage': there is no stage 7 on the stage ladder.",
    ]
    assert not EdmVersion.objects.exists()


def test_load_edm_library_loads_every_file(capsys):
    call_command("load_edm", "--library")

    assert EdmVersion.objects.filter(status=EdmStatus.PUBLISHED).count() == 6

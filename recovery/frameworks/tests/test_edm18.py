"""EDM 18 (YCS resettlement), the one real EDM, ships as the library's first entry with its
structure exactly as the source prints it."""

from pathlib import Path

import pytest
from django.conf import settings

from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import load_library
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import Baseline, EdmVersion

pytestmark = pytest.mark.django_db

EDM18_FILE = Path(settings.BASE_DIR) / "library" / "edms" / "edm-18-ycs-resettlement-1.0.yaml"

# (area number, area title, [(baseline number, weighting, autonomy, option count), ...])
EDM18_STRUCTURE = [
    ("1", "Start of sentence", [("1.1", 3, "limited", 0), ("1.2", 3, "limited", 0)]),
    ("2", "Throughout the sentence", [("2.1", 3, "limited", 0), ("2.2", 3, "limited", 0)]),
    (
        "3",
        "Resettlement",
        [
            ("3.1", 3, "partial", 3),
            ("3.3", 3, "limited", 0),
            ("3.4", 3, "limited", 0),
            ("3.5", 2, "partial", 3),
            ("3.6", 3, "limited", 0),
            ("3.7", 2, "partial", 3),
        ],
    ),
    ("4", "Case admin and prison officer tasks", [("4.1", 3, "limited", 0)]),
    ("5", "Exceptional OMU tasks", [("5.1", 3, "limited", 0), ("5.2", 3, "limited", 0)]),
]


@pytest.fixture
def edm18():
    load_library(acting_user=TEST_DATA)
    return EdmVersion.objects.get(edm__number=18, version_number="1.0")


def test_edm18_is_published_for_youth_custody_at_stage_3(edm18):
    assert edm18.status == EdmStatus.PUBLISHED
    assert edm18.title == "YCS resettlement"
    assert edm18.stage.number == 3
    assert edm18.element.code == "resettlement"
    assert sorted(edm18.applies_to) == ["sch", "stc", "ycs_yoi"]
    assert str(edm18.issued) == "2020-07-03"


def test_edm18_areas_and_baselines_are_exactly_as_printed(edm18):
    structure = [
        (
            area.number,
            area.title,
            [
                (b.number, b.weighting, b.autonomy, len(b.options))
                for b in area.baselines.order_by("position")
            ],
        )
        for area in edm18.areas.order_by("position")
    ]

    assert structure == EDM18_STRUCTURE


def test_edm18_has_thirteen_mandatory_baselines_and_no_3_2(edm18):
    baselines = Baseline.objects.filter(edm_version=edm18)

    assert baselines.count() == 13
    assert all(b.mandatory for b in baselines)
    assert not baselines.filter(number="3.2").exists()
    # Each baseline is matched across versions by its number, as no file id is given.
    assert {b.identifier for b in baselines} == {b.number for b in baselines}


def test_edm18_keeps_its_file_and_hash(edm18):
    import hashlib

    text = EDM18_FILE.read_text(encoding="utf-8")
    assert edm18.raw_yaml == text
    assert edm18.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_edm18_partial_baselines_name_their_delivery_methods(edm18):
    options = Baseline.objects.get(edm_version=edm18, number="3.1").options

    assert options == [
        "Face to face in a unit interview room, physically distanced",
        "Video conference",
        "Telephone conference",
    ]

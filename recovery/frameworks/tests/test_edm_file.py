"""The EDM file format: every problem refused with its line, key and exact message; what is
loaded exports back to the same content."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import check_edm_file, do_load_edm, load_library
from recovery.frameworks.edm_file import InvalidEdmFile, document_to_data, to_yaml
from recovery.frameworks.factories import edm_text, replace_line
from recovery.frameworks.models import Edm, EdmVersion
from recovery.frameworks.queries import document_of

pytestmark = pytest.mark.django_db

LIBRARY = Path(settings.BASE_DIR) / "library" / "edms"


def problems_of(text: str) -> list[str]:
    with pytest.raises(InvalidEdmFile) as refused:
        check_edm_file(text)
    return [str(p) for p in refused.value.problems]


def test_the_small_file_is_good():
    document = check_edm_file(edm_text())

    assert [b.number for b in document.baselines] == ["1.1", "1.2", "2.1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            edm_text().replace("title: Test visits", "title: [Test visits"),
            "Line 3: the file is not valid YAML (expected ',' or ']', but got ':').",
            id="malformed YAML",
        ),
        pytest.param(
            replace_line(edm_text(), "weighting: 2", "weighting: 2\ncolour: red"),
            "Line 22, key 'colour': unknown key; the keys allowed here are number, id, text, "
            "weighting, mandatory, autonomy, options, comments, sources.",
            id="unknown key",
        ),
        pytest.param(
            replace_line(edm_text(), "weighting: 2", "weighting: 4"),
            "Line 21, key 'weighting': the weighting must be 1, 2 or 3, not 4.",
            id="weighting 4",
        ),
        pytest.param(
            replace_line(edm_text(), '- number: "1.2"', '- number: "1.1"'),
            "Line 19, key 'number': baseline number 1.1 is used more than once (first on line 13).",
            id="duplicate baseline number",
        ),
        pytest.param(
            edm_text().replace("element: visits", "element: juggling"),
            "Line 6, key 'element': 'juggling' is not a regime element in the catalogue.",
            id="unknown element",
        ),
        pytest.param(
            edm_text().replace("stage: 3", "stage: 7"),
            "Line 5, key 'stage': there is no stage 7 on the stage ladder.",
            id="unknown stage",
        ),
        pytest.param(
            edm_text().replace("[local, cat_c]", "[local, borstal]"),
            "Line 7, key 'applies_to': 'borstal' is not an establishment type.",
            id="unknown establishment type",
        ),
        pytest.param(
            replace_line(edm_text(), "options: [Telephone, Online]", "options: [Telephone]"),
            "Line 18, key 'options': baseline 1.1 has partial autonomy, so it needs at least "
            "two options.",
            id="partial with one option",
        ),
        pytest.param(
            edm_text().replace("        weighting: 2\n", ""),
            "Line 19, key 'weighting': baseline 1.2 is mandatory, so it needs a weighting of 1, "
            "2 or 3.",
            id="mandatory without weighting",
        ),
        pytest.param(
            replace_line(edm_text(), "autonomy: limited", "autonomy: some"),
            "Line 23, key 'autonomy': 'some' is not an autonomy level; use total, partial or "
            "limited.",
            id="unknown autonomy",
        ),
        pytest.param(
            replace_line(edm_text(), "autonomy: limited", "autonomy: limited\noptions: [A, B]"),
            "Line 24, key 'options': baseline 1.2 has limited autonomy, so it takes no options.",
            id="options on a limited baseline",
        ),
        pytest.param(
            edm_text().replace("title: Test visits\n", ""),
            "Line 1, key 'title': this key is missing or empty.",
            id="missing key",
        ),
        pytest.param(
            edm_text().replace("stage: 3\n", "stage: 3\nstage: 3\n"),
            "Line 6, key 'stage': this key appears more than once here (first on line 5).",
            id="repeated key",
        ),
        pytest.param(
            edm_text().replace('version: "1.0"', "version: one"),
            "Line 3, key 'version': must be a version number such as 1.0, not 'one'.",
            id="bad version",
        ),
        pytest.param(
            edm_text().replace("issued: 2020-07-10", "issued: July"),
            "Line 4, key 'issued': must be a date such as 2020-07-03, not 'July'.",
            id="bad date",
        ),
        pytest.param("", "Line 1: the file is empty.", id="empty file"),
        pytest.param(
            "- just\n- a list\n",
            "Line 1: the file must be a set of keys: number, title, version, issued, stage, "
            "element, applies_to, introduction and areas.",
            id="not a mapping",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_line_key_and_reason(text, expected):
    assert problems_of(text) == [expected]


def test_every_problem_is_listed_in_line_order():
    text = edm_text().replace("stage: 3", "stage: 7")
    text = replace_line(text, "weighting: 2", "weighting: 4")
    text = replace_line(text, "weighting: 1", "weighting: 1\ncolour: red")

    assert problems_of(text) == [
        "Line 5, key 'stage': there is no stage 7 on the stage ladder.",
        "Line 21, key 'weighting': the weighting must be 1, 2 or 3, not 4.",
        "Line 30, key 'colour': unknown key; the keys allowed here are number, id, text, "
        "weighting, mandatory, autonomy, options, comments, sources.",
    ]


def test_a_bad_file_loads_nothing():
    with pytest.raises(InvalidEdmFile) as refused:
        do_load_edm(edm_text().replace("stage: 3", "stage: 7"), acting_user=TEST_DATA)

    assert refused.value.message == "The file has 1 problem. Nothing has been changed."
    assert not Edm.objects.exists()
    assert not EdmVersion.objects.exists()


def test_numbers_are_read_as_written_not_as_decimals():
    text = replace_line(edm_text(), '- number: "1.2"', "- number: 1.10")

    document = check_edm_file(text)

    assert [b.number for b in document.baselines] == ["1.1", "1.10", "2.1"]


def test_a_desirable_baseline_may_have_no_weighting():
    text = edm_text().replace("        weighting: 1\n", "")

    assert check_edm_file(text).baselines[2].weighting is None


def test_an_id_keeps_a_baseline_matched_and_must_be_unique():
    text = replace_line(edm_text(), '- number: "1.1"', '- number: "1.1"\n  id: booking')
    text = replace_line(text, '- number: "1.2"', '- number: "1.2"\n  id: booking')

    assert problems_of(text) == [
        "Line 21, key 'id': baseline id booking is used more than once (first on line 14)."
    ]


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.name)
def test_load_then_export_gives_the_same_content(path):
    load_library(acting_user=TEST_DATA)
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    version = EdmVersion.objects.get(
        edm__number=original["number"], version_number=original["version"]
    )

    exported = to_yaml(document_to_data(document_of(version)))

    assert yaml.safe_load(exported) == original
    # And the export is itself a file that loads to the same content, word for word.
    assert to_yaml(document_to_data(check_edm_file(exported))) == exported


def test_illustrative_edms_say_so_in_title_and_file_name():
    for path in LIBRARY.glob("*.yaml"):
        document = check_edm_file(path.read_text(encoding="utf-8"))
        if document.number != 18:
            assert "illustrative" in path.name
            assert document.title.endswith("(illustrative)")
            assert 2 <= len(document.areas) <= 4
            assert 5 <= len(document.baselines) <= 12

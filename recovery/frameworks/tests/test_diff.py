"""What a new version changed, baseline by baseline, matched by identifier."""

import pytest

from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import do_load_edm, do_publish_edm_version
from recovery.frameworks.diff import diff_versions
from recovery.frameworks.factories import PublishedEdmVersionFactory, edm_text, replace_line

pytestmark = pytest.mark.django_db


def new_version(text: str, version: str = "1.1"):
    return do_load_edm(
        text.replace('version: "1.0"', f'version: "{version}"'), acting_user=TEST_DATA
    )


def test_nothing_changed():
    old = PublishedEdmVersionFactory(number=950)
    new = new_version(edm_text()).edm_version

    diff = diff_versions(old, new)

    assert diff.changes == ()
    assert diff.unchanged == ("1.1", "1.2", "2.1")
    assert diff.summary == "Against version 1.0: 0 added, 0 removed, 0 changed, 3 unchanged"


def test_added_removed_and_changed_baselines():
    old = PublishedEdmVersionFactory(number=950)
    text = replace_line(edm_text(), "weighting: 2", "weighting: 3")  # 1.2 weighting
    text = text.replace("Space the tables apart.", "Space the tables two metres apart.")
    text = replace_line(text, "options: [Telephone, Online]", "options: [Telephone, Online, Post]")
    text = text.replace(
        '      - number: "1.2"',
        '      - number: "1.3"\n        text: New.\n        weighting: 1\n'
        "        mandatory: true\n        autonomy: total\n"
        '      - number: "1.2"',
    )
    new = new_version(text).edm_version

    diff = diff_versions(old, new)

    assert [(c.kind, c.identifier) for c in diff.changes] == [
        ("changed", "1.1"),
        ("added", "1.3"),
        ("changed", "1.2"),
        ("changed", "2.1"),
    ]
    by_id = {c.identifier: c for c in diff.changes}
    assert [(f.field, f.before, f.after) for f in by_id["1.2"].changes] == [("weighting", 2, 3)]
    assert [(f.field, f.after) for f in by_id["1.1"].changes] == [
        ("options", ("Telephone", "Online", "Post"))
    ]
    assert [f.field for f in by_id["2.1"].changes] == ["text"]
    assert by_id["1.2"].summary == "Baseline 1.2 changed: weighting 2 → 3"
    assert diff.needs_review == ["1.1", "1.3", "1.2", "2.1"]


def test_a_removed_baseline_and_a_mandatory_change():
    old = PublishedEdmVersionFactory(number=950)
    text = edm_text().replace(
        '      - number: "1.2"\n        text: Ask the health questions.\n        weighting: 2\n'
        "        mandatory: true\n        autonomy: limited\n",
        "",
    )
    text = replace_line(text, "mandatory: false", "mandatory: true")
    new = new_version(text).edm_version

    diff = diff_versions(old, new)

    assert [(c.kind, c.number) for c in diff.changes] == [("changed", "2.1"), ("removed", "1.2")]
    assert diff.changes[0].summary == "Baseline 2.1 changed: mandatory no → yes"
    assert diff.removed[0].before.text == "Ask the health questions."


def test_a_renumbered_baseline_with_an_id_is_changed_not_removed_and_added():
    with_ids = replace_line(edm_text(), '- number: "1.2"', '- number: "1.2"\n  id: health')
    old = do_load_edm(with_ids, acting_user=TEST_DATA, publish=True).edm_version
    renumbered = replace_line(with_ids, '- number: "1.2"', '- number: "1.5"')
    new = new_version(renumbered).edm_version

    diff = diff_versions(old, new)

    [change] = diff.changes
    assert (change.kind, change.identifier, change.number) == ("changed", "health", "1.5")
    assert not change.needs_review  # only its number moved


def test_publishing_reports_the_diff_against_the_last_published():
    PublishedEdmVersionFactory(number=950)
    draft = new_version(replace_line(edm_text(), "weighting: 2", "weighting: 1")).edm_version

    diff = do_publish_edm_version(draft, acting_user=TEST_DATA)

    assert diff.old_version == "1.0"
    assert [c.identifier for c in diff.changed] == ["1.2"]

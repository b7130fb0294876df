"""Factories for the framework library: an EDM file's text, and EDM versions in each state.

`edm_text()` writes a small valid EDM file; tests change one thing to make it wrong. The
version factories load that text through the loader and set the state, so every version they
make is one the service itself could have made."""

import textwrap

import factory

from recovery.core.scope import TEST_DATA
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import EdmVersion

SMALL_EDM = """\
number: {number}
title: {title}
version: "{version}"
issued: 2020-07-10
stage: 3
element: visits
applies_to: [local, cat_c]
introduction: An invented EDM for tests.
areas:
  - number: "1"
    title: Booking
    baselines:
      - number: "1.1"
        text: Run a booking line.
        weighting: 3
        mandatory: true
        autonomy: partial
        options: [Telephone, Online]
      - number: "1.2"
        text: Ask the health questions.
        weighting: 2
        mandatory: true
        autonomy: limited
  - number: "2"
    title: The hall
    baselines:
      - number: "2.1"
        text: Space the tables apart.
        weighting: 1
        mandatory: false
        autonomy: total
"""


def edm_text(number: int = 950, version: str = "1.0", title: str = "Test visits") -> str:
    return SMALL_EDM.format(number=number, version=version, title=title)


def replace_line(text: str, old: str, new: str) -> str:
    """The text with its one line `old` (stripped) replaced by `new` at the same indent."""
    lines = text.splitlines(keepends=True)
    matches = [i for i, line in enumerate(lines) if line.strip() == old]
    assert len(matches) == 1, f"{old!r} is on {len(matches)} lines"
    i = matches[0]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = textwrap.indent(new, indent) + "\n"
    return "".join(lines)


class DraftEdmVersionFactory(factory.Factory):
    """A draft loaded from `edm_text(number, version)`."""

    class Meta:
        model = EdmVersion

    number = factory.Sequence(lambda n: 960 + n)
    version = "1.0"
    text = None

    @classmethod
    def _create(cls, model_class, number, version, text, **kwargs):
        from recovery.frameworks.actions import do_load_edm

        return do_load_edm(text or edm_text(number, version), acting_user=TEST_DATA).edm_version

    _build = _create


class PublishedEdmVersionFactory(DraftEdmVersionFactory):
    @classmethod
    def _create(cls, model_class, number, version, text, **kwargs):
        from recovery.frameworks.actions import do_load_edm

        result = do_load_edm(text or edm_text(number, version), acting_user=TEST_DATA, publish=True)
        return result.edm_version

    _build = _create


class WithdrawnEdmVersionFactory(PublishedEdmVersionFactory):
    @classmethod
    def _create(cls, model_class, number, version, text, **kwargs):
        from recovery.frameworks.actions import do_withdraw_edm_version

        published = super()._create(model_class, number, version, text, **kwargs)
        do_withdraw_edm_version(published, acting_user=TEST_DATA)
        published.refresh_from_db()
        assert published.status == EdmStatus.WITHDRAWN
        return published

    _build = _create

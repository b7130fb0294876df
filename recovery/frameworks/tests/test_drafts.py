"""Building an EDM draft in the service: starting one (new EDM, or a new version of a published
one), changing its details, areas and baselines, each with its audit event and optimistic lock;
the same rules as a file; a published version never changes; export and publish of a draft built
here."""

import datetime
from unittest import mock

import pytest
from django.test import Client

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.testing import form_as_shown
from recovery.frameworks.actions import (
    InvalidDraft,
    do_add_baseline,
    do_add_edm_area,
    do_load_edm,
    do_publish_edm_version,
    do_remove_baseline,
    do_remove_edm_area,
    do_start_edm_draft,
    do_start_edm_version,
    do_update_baseline,
    do_update_edm_area,
    do_update_edm_draft,
)
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.edm_file import (
    InvalidEdmFile,
    check_edm_data,
    document_to_data,
    parse_edm,
    to_yaml,
)
from recovery.frameworks.factories import (
    DraftEdmVersionFactory,
    PublishedEdmVersionFactory,
    WithdrawnEdmVersionFactory,
    edm_text,
)
from recovery.frameworks.models import Baseline, EdmArea, EdmVersion
from recovery.frameworks.queries import document_of, reference_numbers

pytestmark = pytest.mark.django_db

DETAILS = {
    "number": 970,
    "version": "1.0",
    "title": "Invented gym sessions",
    "issued": datetime.date(2020, 8, 1),
    "stage": 3,
    "element": "visits",
    "applies_to": ["local", "cat_c"],
    "introduction": "How gym sessions restart.",
}
BASELINE = {
    "number": "1.1",
    "id": "",
    "text": "Book sessions by wing.",
    "weighting": 3,
    "mandatory": True,
    "autonomy": "partial",
    "options": ["By wing", "By landing"],
    "comments": "",
    "sources": [],
}


@pytest.fixture
def writer(person_with_role):
    return person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Fay", last_name="Framing")


@pytest.fixture
def other_writer(person_with_role):
    return person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Olu", last_name="Other")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def fresh(version: EdmVersion) -> EdmVersion:
    return EdmVersion.objects.select_related("edm", "element", "stage").get(pk=version.pk)


def area(version: EdmVersion, number: str) -> EdmArea:
    return EdmArea.objects.get(edm_version=version, number=number)


def baseline(version: EdmVersion, number: str) -> Baseline:
    return Baseline.objects.get(edm_version=version, number=number)


def started(writer) -> EdmVersion:
    return do_start_edm_draft(dict(DETAILS), acting_user=writer)


def with_area(writer) -> EdmVersion:
    draft = started(writer)
    do_add_edm_area(
        draft,
        expected_version=fresh(draft).version,
        number="1",
        title="Booking",
        acting_user=writer,
    )
    return fresh(draft)


def with_baseline(writer, **changes) -> EdmVersion:
    draft = with_area(writer)
    do_add_baseline(
        draft,
        expected_version=draft.version,
        area=area(draft, "1"),
        baseline={**BASELINE, **changes},
        acting_user=writer,
    )
    return fresh(draft)


def errors_of(raised) -> list[tuple]:
    return raised.value.errors


# --- Starting a draft -------------------------------------------------------------------------


def test_do_start_edm_draft_starts_an_empty_draft_with_its_audit_event(writer):
    draft = started(writer)

    draft = fresh(draft)
    assert draft.status == EdmStatus.DRAFT
    assert (draft.edm.number, draft.version_number, draft.title) == (
        970,
        "1.0",
        "Invented gym sessions",
    )
    assert (draft.stage.number, draft.element.code) == (3, "visits")
    assert draft.loaded_by == writer
    assert not draft.areas.exists()
    [event] = events("frameworks.start_edm_draft")
    assert isinstance(event, AuditEvent)
    assert event.actor == writer
    assert event.object_id == str(draft.pk)
    assert event.summary == "Started a draft of EDM 970 version 1.0 (Invented gym sessions)"
    assert event.after["title"] == "Invented gym sessions"
    assert event.after["applies_to"] == ["local", "cat_c"]


def test_a_draft_with_a_number_already_used_is_refused(writer):
    PublishedEdmVersionFactory(number=970)

    with pytest.raises(DomainError) as raised:
        started(writer)

    assert raised.value.field == "number"
    assert raised.value.message == (
        "There is already an EDM 970. To change it, open it and start a new version."
    )
    assert EdmVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"version": "1.x"},
            ("version", "The version must be a version number such as 1.0, not '1.x'"),
        ),
        ({"stage": 7}, ("stage", "There is no stage 7 on the stage ladder")),
        ({"title": "  "}, ("title", "Enter the title")),
    ],
)
def test_a_new_draft_is_checked_by_the_files_rules(writer, change, expected):
    with pytest.raises(InvalidDraft) as raised:
        do_start_edm_draft({**DETAILS, **change}, acting_user=writer)

    assert errors_of(raised) == [expected]
    assert not EdmVersion.objects.exists()


def test_only_framework_authors_start_drafts(person_with_role):
    governor = person_with_role(Role.GOVERNOR)

    with pytest.raises(NotAllowed):
        do_start_edm_draft(dict(DETAILS), acting_user=governor)

    assert not EdmVersion.objects.exists()


def test_do_start_edm_version_copies_a_published_version_with_its_audit_event(writer):
    published = PublishedEdmVersionFactory(number=950)

    draft = do_start_edm_version(published, version_number="1.1", acting_user=writer)

    assert draft.status == EdmStatus.DRAFT
    assert draft.version_number == "1.1"
    copied = document_to_data(document_of(fresh(draft)))
    assert copied == {**document_to_data(document_of(published)), "version": "1.1"}
    [event] = events("frameworks.start_edm_version")
    assert event.actor == writer
    assert event.summary == "Started a draft of EDM 950 version 1.1 from version 1.0"
    assert event.after == {"version": "1.1", "from_version": "1.0", "baselines": 3}
    assert AuditEvent.objects.filter(action="frameworks.start_edm_version").count() == 1


@pytest.mark.parametrize("number", ["1.0", "0.9", "1.1"])
def test_a_new_version_must_be_higher_than_every_version_of_the_edm(writer, number):
    published = PublishedEdmVersionFactory(number=950)
    DraftEdmVersionFactory(number=950, version="1.1")

    with pytest.raises(DomainError) as raised:
        do_start_edm_version(published, version_number=number, acting_user=writer)

    assert raised.value.field == "version"
    assert raised.value.message == (
        "The version must be higher than 1.1, the highest version of EDM 950"
    )
    assert EdmVersion.objects.count() == 2


@pytest.mark.parametrize("factory", [DraftEdmVersionFactory, WithdrawnEdmVersionFactory])
def test_only_a_published_version_starts_a_new_version(writer, factory):
    source = factory(number=950)

    with pytest.raises(DomainError, match="only a published version can be the start"):
        do_start_edm_version(source, version_number="2.0", acting_user=writer)

    assert EdmVersion.objects.count() == 1


# --- The draft's details ----------------------------------------------------------------------


def test_do_update_edm_draft_changes_the_details_with_its_audit_event(writer):
    draft = fresh(started(writer))

    changed = do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"title": "Invented gym and fitness", "stage": 2, "applies_to": ["open"]},
        acting_user=writer,
    )

    assert changed == {"title": "Invented gym and fitness", "stage": 2, "applies_to": ["open"]}
    after = fresh(draft)
    assert (after.title, after.stage.number, after.applies_to) == (
        "Invented gym and fitness",
        2,
        ["open"],
    )
    assert after.version == draft.version + 1
    assert "title: Invented gym and fitness" in after.raw_yaml
    [event] = events("frameworks.update_edm_draft")
    assert event.before == {
        "title": "Invented gym sessions",
        "stage": 3,
        "applies_to": ["local", "cat_c"],
    }
    assert event.after == changed
    assert event.object_version == after.version


def test_changing_nothing_records_nothing(writer):
    draft = fresh(started(writer))

    changed = do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"title": "Invented gym sessions"},
        acting_user=writer,
    )

    assert changed == {}
    assert fresh(draft).version == draft.version
    assert not events("frameworks.update_edm_draft")


def test_a_stale_edit_is_refused_and_says_what_changed(writer, other_writer):
    draft = fresh(started(writer))
    do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"title": "Olu's title"},
        acting_user=other_writer,
    )

    with pytest.raises(StaleEditError) as raised:
        do_update_edm_draft(
            draft,
            expected_version=draft.version,
            changes={"title": "Fay's title"},
            acting_user=writer,
        )

    assert raised.value.changed_by == "Olu Other"
    assert [(c.field, c.before, c.after) for c in raised.value.changes] == [
        ("title", "Invented gym sessions", "Olu's title")
    ]
    assert fresh(draft).title == "Olu's title"


def test_replacing_a_draft_by_upload_makes_an_open_edit_stale(writer):
    draft = fresh(DraftEdmVersionFactory(number=950))

    do_load_edm(edm_text(950, title="Uploaded again"), acting_user=writer)

    with pytest.raises(StaleEditError):
        do_update_edm_draft(
            draft, expected_version=draft.version, changes={"title": "Mine"}, acting_user=writer
        )


@pytest.mark.parametrize("factory", [PublishedEdmVersionFactory, WithdrawnEdmVersionFactory])
def test_a_published_or_withdrawn_version_never_changes(writer, factory):
    version = fresh(factory(number=950))
    before = document_to_data(document_of(version))
    status = version.get_status_display().lower()
    attempts = [
        lambda: do_update_edm_draft(
            version, expected_version=version.version, changes={"title": "X"}, acting_user=writer
        ),
        lambda: do_add_edm_area(
            version, expected_version=version.version, number="9", title="X", acting_user=writer
        ),
        lambda: do_update_edm_area(
            area(version, "1"),
            expected_version=version.version,
            number="9",
            title="X",
            acting_user=writer,
        ),
        lambda: do_remove_edm_area(
            area(version, "1"), expected_version=version.version, acting_user=writer
        ),
        lambda: do_add_baseline(
            version,
            expected_version=version.version,
            area=area(version, "1"),
            baseline={**BASELINE, "number": "1.9"},
            acting_user=writer,
        ),
        lambda: do_update_baseline(
            baseline(version, "1.1"),
            expected_version=version.version,
            area=area(version, "1"),
            changes={"text": "X"},
            acting_user=writer,
        ),
        lambda: do_remove_baseline(
            baseline(version, "1.1"), expected_version=version.version, acting_user=writer
        ),
    ]

    for attempt in attempts:
        with pytest.raises(DomainError) as raised:
            attempt()
        assert raised.value.message == (
            f"EDM 950 version 1.0 is {status} and cannot be changed. Start a new version to "
            "change it."
        )

    assert document_to_data(document_of(fresh(version))) == before
    assert not AuditEvent.objects.filter(action__contains="area").exists()


# --- Areas ------------------------------------------------------------------------------------


def test_do_add_edm_area_adds_an_empty_area_with_its_audit_event(writer):
    draft = with_area(writer)

    assert [(a.number, a.title) for a in draft.areas.all()] == [("1", "Booking")]
    [event] = events("frameworks.add_edm_area")
    assert event.actor == writer
    assert event.summary == "Added area 1. Booking to the draft of EDM 970 version 1.0"
    assert event.after == {"area": "1", "title": "Booking"}
    assert event.object_version == draft.version


def test_do_update_edm_area_with_its_audit_event(writer):
    draft = with_area(writer)

    changed = do_update_edm_area(
        area(draft, "1"),
        expected_version=draft.version,
        number="1",
        title="Booking a session",
        acting_user=writer,
    )

    assert changed == {"title": "Booking a session"}
    assert area(draft, "1").title == "Booking a session"
    [event] = events("frameworks.update_edm_area")
    assert event.before == {"title": "Booking"}
    assert event.after == {"title": "Booking a session"}


def test_an_area_number_used_twice_is_reported_against_the_area_being_changed(writer):
    draft = with_area(writer)
    do_add_edm_area(
        draft, expected_version=draft.version, number="2", title="The gym", acting_user=writer
    )
    draft = fresh(draft)

    # Area 1 comes first, yet it is the one being changed: the message is about it.
    with pytest.raises(InvalidDraft) as raised:
        do_update_edm_area(
            area(draft, "1"),
            expected_version=draft.version,
            number="2",
            title="X",
            acting_user=writer,
        )

    assert errors_of(raised) == [("number", "Area number 2 is used more than once")]
    assert area(draft, "1").title == "Booking"


def test_do_remove_edm_area_removes_its_baselines_with_its_audit_event(writer):
    draft = with_baseline(writer)

    do_remove_edm_area(area(draft, "1"), expected_version=draft.version, acting_user=writer)

    assert not EdmArea.objects.filter(edm_version=draft).exists()
    assert not Baseline.objects.filter(edm_version=draft).exists()
    [event] = events("frameworks.remove_edm_area")
    assert event.before == {"area": "1", "title": "Booking", "baselines": ["1.1"]}
    assert "areas: []" in fresh(draft).raw_yaml


# --- Baselines --------------------------------------------------------------------------------


def test_do_add_baseline_with_its_audit_event(writer):
    draft = with_baseline(writer)

    added = baseline(draft, "1.1")
    assert (added.identifier, added.weighting, added.options) == (
        "1.1",
        3,
        ["By wing", "By landing"],
    )
    [event] = events("frameworks.add_baseline")
    assert event.actor == writer
    assert event.summary == "Added baseline 1.1 to the draft of EDM 970 version 1.0"
    assert event.after == {
        "area": "1",
        "number": "1.1",
        "id": "1.1",
        "text": "Book sessions by wing.",
        "weighting": 3,
        "mandatory": True,
        "autonomy": "partial",
        "options": ["By wing", "By landing"],
        "comments": "",
        "sources": [],
    }


# Each mistake as the form would send it, and the message the file's loader gives for the same
# content written in a file.
SAME_RULE_CASES = {
    "partial with one option": (
        {"options": ["By wing"]},
        ("options", "Baseline 1.1 has partial autonomy, so it needs at least two options"),
    ),
    "mandatory with no weighting": (
        {"weighting": None},
        ("weighting", "Baseline 1.1 is mandatory, so it needs a weighting of 1, 2 or 3"),
    ),
    "total autonomy with options": (
        {"autonomy": "total"},
        ("options", "Baseline 1.1 has total autonomy, so it takes no options"),
    ),
    "an id that is not one": (
        {"id": "book sessions!"},
        (
            "id",
            "Use up to 60 letters, digits, dots, hyphens or underscores, starting with a "
            "letter or digit",
        ),
    ),
}


def as_file(baseline_data: dict) -> str:
    written = {k: v for k, v in baseline_data.items() if v not in ("", None, [])}
    data = {
        **{k: v for k, v in DETAILS.items() if k != "introduction"},
        "areas": [{"number": "1", "title": "Booking", "baselines": [written]}],
    }
    return to_yaml(data)


@pytest.mark.parametrize("case", sorted(SAME_RULE_CASES))
def test_a_baseline_is_checked_by_the_same_rules_as_a_file(writer, case):
    change, expected = SAME_RULE_CASES[case]
    draft = with_area(writer)

    with pytest.raises(InvalidDraft) as raised:
        do_add_baseline(
            draft,
            expected_version=draft.version,
            area=area(draft, "1"),
            baseline={**BASELINE, **change},
            acting_user=writer,
        )

    assert errors_of(raised) == [expected]
    assert not Baseline.objects.exists()
    stages, elements = reference_numbers()
    with pytest.raises(InvalidEdmFile) as in_file:
        parse_edm(as_file({**BASELINE, **change}), stages=stages, elements=elements)
    assert [(p.key, p.sentence) for p in in_file.value.problems] == [expected]


def test_a_baseline_number_used_twice_is_refused(writer):
    draft = with_baseline(writer)

    with pytest.raises(InvalidDraft) as raised:
        do_add_baseline(
            draft,
            expected_version=draft.version,
            area=area(draft, "1"),
            baseline={**BASELINE, "text": "Again."},
            acting_user=writer,
        )

    assert errors_of(raised) == [("number", "Baseline number 1.1 is used more than once")]
    assert Baseline.objects.count() == 1


def test_do_update_baseline_renumbers_it_keeping_its_identifier_with_its_audit_event(writer):
    draft = with_baseline(writer)

    changed = do_update_baseline(
        baseline(draft, "1.1"),
        expected_version=draft.version,
        area=area(draft, "1"),
        changes={**BASELINE, "number": "1.2", "id": "1.1", "weighting": 2},
        acting_user=writer,
    )

    assert changed == {"number": "1.2", "weighting": 2}
    moved = baseline(draft, "1.2")
    assert (moved.identifier, moved.weighting) == ("1.1", 2)
    [event] = events("frameworks.update_baseline")
    assert event.actor == writer
    assert event.summary == "Changed baseline 1.1 of the draft of EDM 970 version 1.0"
    assert event.before == {"number": "1.1", "weighting": 3}
    assert event.after == {"number": "1.2", "weighting": 2}


def test_a_baseline_moves_to_the_end_of_another_area(writer):
    draft = with_baseline(writer)
    do_add_edm_area(
        draft, expected_version=draft.version, number="2", title="The gym", acting_user=writer
    )
    draft = fresh(draft)
    do_add_baseline(
        draft,
        expected_version=draft.version,
        area=area(draft, "2"),
        baseline={**BASELINE, "number": "2.1", "autonomy": "total", "options": []},
        acting_user=writer,
    )
    draft = fresh(draft)

    do_update_baseline(
        baseline(draft, "1.1"),
        expected_version=draft.version,
        area=area(draft, "2"),
        changes={},
        acting_user=writer,
    )

    document = document_of(fresh(draft))
    assert [[b.number for b in a.baselines] for a in document.areas] == [[], ["2.1", "1.1"]]
    [event] = events("frameworks.update_baseline")
    assert (event.before, event.after) == ({"area": "1"}, {"area": "2"})


def test_do_remove_baseline_with_its_audit_event(writer):
    draft = with_baseline(writer)

    do_remove_baseline(baseline(draft, "1.1"), expected_version=draft.version, acting_user=writer)

    assert not Baseline.objects.exists()
    [event] = events("frameworks.remove_baseline")
    assert event.summary == "Removed baseline 1.1 from the draft of EDM 970 version 1.0"
    assert event.before["text"] == "Book sessions by wing."
    assert event.after == {}


def test_a_stale_baseline_edit_is_refused(writer, other_writer):
    draft = with_baseline(writer)
    do_update_baseline(
        baseline(draft, "1.1"),
        expected_version=draft.version,
        area=area(draft, "1"),
        changes={"text": "Olu's wording."},
        acting_user=other_writer,
    )

    with pytest.raises(StaleEditError) as raised:
        do_remove_baseline(
            baseline(draft, "1.1"), expected_version=draft.version, acting_user=writer
        )

    assert [(c.field, c.after) for c in raised.value.changes] == [("text", "Olu's wording.")]
    assert baseline(draft, "1.1").text == "Olu's wording."


@pytest.mark.parametrize(
    "attempt",
    ["update_edm_draft", "add_edm_area", "add_baseline", "update_baseline", "remove_baseline"],
)
def test_a_failed_audit_record_leaves_the_draft_as_it_was(writer, attempt):
    draft = with_baseline(writer)
    before = (document_to_data(document_of(draft)), draft.version, draft.raw_yaml)
    events_before = AuditEvent.objects.count()
    one = baseline(draft, "1.1")
    calls = {
        "update_edm_draft": lambda: do_update_edm_draft(
            draft, expected_version=draft.version, changes={"title": "X"}, acting_user=writer
        ),
        "add_edm_area": lambda: do_add_edm_area(
            draft, expected_version=draft.version, number="2", title="X", acting_user=writer
        ),
        "add_baseline": lambda: do_add_baseline(
            draft,
            expected_version=draft.version,
            area=area(draft, "1"),
            baseline={**BASELINE, "number": "1.2"},
            acting_user=writer,
        ),
        "update_baseline": lambda: do_update_baseline(
            one,
            expected_version=draft.version,
            area=area(draft, "1"),
            changes={"text": "X"},
            acting_user=writer,
        ),
        "remove_baseline": lambda: do_remove_baseline(
            one, expected_version=draft.version, acting_user=writer
        ),
    }

    with (
        mock.patch(
            "recovery.frameworks.drafts.record_event", side_effect=RuntimeError("audit failed")
        ),
        pytest.raises(RuntimeError),
    ):
        calls[attempt]()

    after = fresh(draft)
    assert (document_to_data(document_of(after)), after.version, after.raw_yaml) == before
    assert AuditEvent.objects.count() == events_before


# --- Export and publish -----------------------------------------------------------------------


def built_in_the_service(writer) -> EdmVersion:
    """A draft built part by part, with the awkward cases: a printed number with a gap, an id
    of its own, a desirable baseline with no weighting, long and multi-line text."""
    draft = with_baseline(writer, sources=["PSI 16/2011", "Gym safety note"])
    steps = [
        lambda d: do_add_baseline(
            d,
            expected_version=d.version,
            area=area(d, "1"),
            baseline={
                **BASELINE,
                "number": "1.3",
                "id": "gym-induction",
                "text": "Give every new arrival a gym induction before their first session, "
                "with a member of staff who has been trained to deliver it.",
                "weighting": None,
                "mandatory": False,
                "autonomy": "total",
                "options": [],
                "comments": "First line.\nSecond line.",
            },
            acting_user=writer,
        ),
        lambda d: do_add_edm_area(
            d, expected_version=d.version, number="2", title="The gym", acting_user=writer
        ),
        lambda d: do_add_baseline(
            d,
            expected_version=d.version,
            area=area(d, "2"),
            baseline={**BASELINE, "number": "2.1", "autonomy": "limited", "options": []},
            acting_user=writer,
        ),
    ]
    for step in steps:
        step(draft)
        draft = fresh(draft)
    return draft


def test_export_of_a_draft_built_here_loads_back_to_the_same_content(writer):
    draft = built_in_the_service(writer)

    response = client_for(writer).get("/frameworks/edms/970/versions/1.0/export/")

    text = response.content.decode()
    assert text == draft.raw_yaml
    stages, elements = reference_numbers()
    loaded = parse_edm(text, stages=stages, elements=elements)
    assert document_to_data(loaded) == document_to_data(document_of(draft))
    assert [b.identifier for b in loaded.baselines] == ["1.1", "gym-induction", "2.1"]
    assert do_load_edm(text, acting_user=writer).outcome == "unchanged"


def test_a_draft_built_here_is_published_by_the_publish_action(writer):
    draft = built_in_the_service(writer)

    do_publish_edm_version(draft, acting_user=writer)

    assert fresh(draft).status == EdmStatus.PUBLISHED
    assert len(events("frameworks.publish_edm")) == 1


def test_a_draft_with_an_empty_area_cannot_be_published(writer):
    draft = with_baseline(writer)
    do_add_edm_area(
        draft, expected_version=draft.version, number="2", title="The gym", acting_user=writer
    )

    with pytest.raises(InvalidEdmFile):
        do_publish_edm_version(fresh(draft), acting_user=writer)

    assert fresh(draft).status == EdmStatus.DRAFT


# --- Pages ------------------------------------------------------------------------------------

DRAFT_PAGES = [
    "details/",
    "areas/new/",
    "areas/change/?area={area}",
    "areas/remove/?area={area}",
    "baselines/new/",
    "baselines/change/?baseline={baseline}",
    "baselines/remove/?baseline={baseline}",
]


def page_url(version: EdmVersion, page: str) -> str:
    first_area = version.areas.order_by("position").first()
    first_baseline = version.baselines.order_by("area__position", "position").first()
    return f"/frameworks/edms/{version.edm.number}/versions/{version.version_number}/" + (
        page.format(area=first_area.pk, baseline=first_baseline.pk)
    )


@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_an_author_opens_every_page_of_a_draft(writer, page):
    draft = with_baseline(writer)

    response = client_for(writer).get(page_url(draft, page))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.VIEWER, Role.PDU_HEAD])
@pytest.mark.parametrize("page", [*DRAFT_PAGES, "new-version/"])
def test_only_framework_authors_open_the_pages_that_build_drafts(person_with_role, role, page):
    published = PublishedEdmVersionFactory(number=950)

    response = client_for(person_with_role(role)).get(page_url(published, page))

    assert response.status_code == 403
    assert client_for(person_with_role(role)).get("/frameworks/edms/new/").status_code == 403


@pytest.mark.parametrize("page", DRAFT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_published_version_is_never_offered_for_change(writer, page, method):
    published = fresh(PublishedEdmVersionFactory(number=950))
    before = document_to_data(document_of(published))
    client = client_for(writer)

    response = getattr(client, method)(
        page_url(published, page), {"version": published.version, "number": "9", "title": "X"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "You cannot change version 1.0" in html
    assert "EDM 950 version 1.0 is published and cannot be changed. Start a new version" in html
    assert 'href="/frameworks/edms/950/versions/1.0/new-version/"' in html
    assert document_to_data(document_of(fresh(published))) == before
    assert not AuditEvent.objects.exclude(
        action__in=["frameworks.load_edm", "frameworks.publish_edm"]
    ).exists()


def test_a_published_version_page_offers_a_new_version_and_no_changes(writer):
    PublishedEdmVersionFactory(number=950)

    html = client_for(writer).get("/frameworks/edms/950/versions/1.0/").content.decode()

    assert "Start a new version" in html
    assert "Change the details" not in html
    assert "/baselines/change/" not in html
    assert "Add an area" not in html


def test_a_draft_page_offers_its_changes_and_says_what_stops_publishing(writer):
    draft = with_area(writer)

    html = client_for(writer).get("/frameworks/edms/970/versions/1.0/").content.decode()

    assert "Change the details" in html
    assert "Add a baseline to area 1" in html
    assert "Before you can publish this draft" in html
    assert "Add at least one baseline to area 1. Booking" in html
    assert "Publish version 1.0" not in html
    assert draft.status == EdmStatus.DRAFT


def test_an_author_starts_a_new_edm_draft_through_the_form(writer):
    client = client_for(writer)

    response = client.post(
        "/frameworks/edms/new/",
        {
            "number": "970",
            "edm_version": "1.0",
            "title": "Invented gym sessions",
            "issued_day": "1",
            "issued_month": "8",
            "issued_year": "2020",
            "element": "visits",
            "stage": "3",
            "applies_to": ["local", "cat_c"],
            "introduction": "",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/frameworks/edms/970/versions/1.0/", 302)]
    assert "EDM 970 version 1.0 has been started as a draft." in response.content.decode()
    assert "Add at least one area" in response.content.decode()
    assert len(events("frameworks.start_edm_draft")) == 1


def test_the_new_draft_form_shows_the_files_rules_against_the_field_and_keeps_the_input(writer):
    response = client_for(writer).post(
        "/frameworks/edms/new/",
        {
            "number": "970",
            "edm_version": "1.x",
            "title": "Invented gym sessions",
            "issued_day": "31",
            "issued_month": "2",
            "issued_year": "2020",
            "element": "visits",
            "stage": "3",
            "applies_to": ["cat_c"],
        },
    )

    html = response.content.decode()
    assert "<title>Error: Start a new EDM draft" in html
    assert "The issue date must be a real date" in html
    assert 'value="Invented gym sessions"' in html
    assert 'value="cat_c" checked' in html
    assert not EdmVersion.objects.exists()

    response = client_for(writer).post(
        "/frameworks/edms/new/",
        {
            "number": "970",
            "edm_version": "1.x",
            "title": "Invented gym sessions",
            "issued_day": "1",
            "issued_month": "8",
            "issued_year": "2020",
            "element": "visits",
            "stage": "3",
            "applies_to": ["cat_c"],
        },
    )

    html = response.content.decode()
    assert '<a href="#id_edm_version">The version must be a version number such as 1.0' in html
    assert 'id="id_edm_version-error"' in html
    assert 'value="1.x"' in html


def test_the_baseline_form_shows_the_files_rules_against_the_field_and_keeps_the_input(writer):
    draft = with_area(writer)

    response = client_for(writer).post(
        "/frameworks/edms/970/versions/1.0/baselines/new/",
        {
            "version": draft.version,
            "area": area(draft, "1").pk,
            "number": "1.1",
            "identifier": "",
            "text": "Book sessions by wing.",
            "mandatory": "mandatory",
            "weighting": "3",
            "autonomy": "partial",
            "options": "By wing\n",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_options">Baseline 1.1 has partial autonomy, so it needs at least two '
        "options</a>"
    ) in html
    assert 'id="id_options-error"' in html
    assert ">By wing\n</textarea>" in html
    assert not Baseline.objects.exists()


def test_an_author_adds_changes_and_removes_a_baseline_through_the_forms(writer):
    draft = with_area(writer)
    client = client_for(writer)
    url = "/frameworks/edms/970/versions/1.0/baselines/"

    response = client.post(
        url + "new/",
        {
            "version": draft.version,
            "area": area(draft, "1").pk,
            "number": "1.1",
            "text": "Book sessions by wing.",
            "mandatory": "desirable",
            "weighting": "",
            "autonomy": "total",
            "sources": "PSI 16/2011\n\nGym note",
        },
        follow=True,
    )
    assert "Baseline 1.1 has been added." in response.content.decode()
    added = baseline(draft, "1.1")
    assert (added.mandatory, added.weighting, added.sources) == (
        False,
        None,
        ["PSI 16/2011", "Gym note"],
    )

    draft = fresh(draft)
    form = client.get(f"{url}change/?baseline={added.pk}").content.decode()
    assert 'value="desirable" checked' in form
    response = client.post(
        f"{url}change/?baseline={added.pk}",
        {
            "version": draft.version,
            "area": area(draft, "1").pk,
            "number": "1.1",
            "identifier": "1.1",
            "text": "Book sessions by landing.",
            "mandatory": "desirable",
            "weighting": "",
            "autonomy": "total",
        },
        follow=True,
    )
    assert "Baseline 1.1 has been saved." in response.content.decode()
    assert baseline(draft, "1.1").text == "Book sessions by landing."

    draft = fresh(draft)
    response = client.post(
        f"{url}remove/?baseline={added.pk}", {"version": draft.version}, follow=True
    )
    assert "Baseline 1.1 has been removed." in response.content.decode()
    assert not Baseline.objects.exists()


def test_a_stale_form_is_refused_showing_what_changed_and_keeping_the_input(writer, other_writer):
    draft = with_area(writer)
    url = f"/frameworks/edms/970/versions/1.0/areas/change/?area={area(draft, '1').pk}"
    do_update_edm_area(
        area(draft, "1"),
        expected_version=draft.version,
        number="1",
        title="Olu's booking",
        acting_user=other_writer,
    )

    response = client_for(writer).post(
        url, {"version": draft.version, "number": "1", "title": "Fay's booking"}
    )

    html = response.content.decode()
    assert "Your changes have not been saved" in html
    assert "changed by Olu Other while you were editing it" in html
    assert "Olu&#x27;s booking" in html
    assert 'value="Fay&#x27;s booking"' in html
    assert f'name="version" value="{fresh(draft).version}"' in html
    assert area(draft, "1").title == "Olu's booking"


def test_after_a_stale_refusal_the_baseline_sent_as_shown_keeps_the_other_persons_change(
    writer, other_writer
):
    draft = with_baseline(writer)
    added = baseline(draft, "1.1")
    url = f"/frameworks/edms/970/versions/1.0/baselines/change/?baseline={added.pk}"
    client = client_for(writer)
    opened = form_as_shown(client.get(url).content)
    do_update_baseline(
        added,
        expected_version=draft.version,
        area=area(draft, "1"),
        changes={**BASELINE, "number": "1.1", "comments": "Olu's note."},
        acting_user=other_writer,
    )

    refused = client.post(url, {**opened, "text": "Book sessions by landing."})

    html = refused.content.decode()
    assert "changed by Olu Other while you were editing it" in html
    shown = form_as_shown(html)
    assert shown["text"] == "Book sessions by landing."
    assert shown["comments"] == "Olu's note."
    client.post(url, shown)
    saved = baseline(draft, "1.1")
    assert (saved.text, saved.comments) == ("Book sessions by landing.", "Olu's note.")


def test_after_a_stale_refusal_the_details_sent_as_shown_keep_the_other_persons_change(
    writer, other_writer
):
    draft = started(writer)
    url = "/frameworks/edms/970/versions/1.0/details/"
    client = client_for(writer)
    opened = form_as_shown(client.get(url).content)
    do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"introduction": "Olu's introduction."},
        acting_user=other_writer,
    )

    refused = client.post(url, {**opened, "title": "Visits, restarted"})

    shown = form_as_shown(refused.content)
    assert shown["title"] == "Visits, restarted"
    assert shown["introduction"] == "Olu's introduction."
    client.post(url, shown)
    saved = fresh(draft)
    assert (saved.title, saved.introduction) == ("Visits, restarted", "Olu's introduction.")


def test_an_author_starts_a_new_version_from_a_published_one(writer):
    PublishedEdmVersionFactory(number=950)
    client = client_for(writer)
    url = "/frameworks/edms/950/versions/1.0/new-version/"

    refused = client.post(url, {"edm_version": "1.0"})
    response = client.post(url, {"edm_version": "1.1"}, follow=True)

    assert "The version must be higher than 1.0, the highest version of EDM 950" in (
        refused.content.decode()
    )
    assert response.redirect_chain == [("/frameworks/edms/950/versions/1.1/", 302)]
    html = response.content.decode()
    assert "EDM 950 version 1.1 has been started as a draft, copied from version 1.0." in html
    assert "Publish version 1.1" in html


def test_publishing_an_unfinished_draft_says_what_it_still_needs(writer):
    started(writer)

    response = client_for(writer).post("/frameworks/edms/970/versions/1.0/publish/", follow=True)

    html = response.content.decode()
    assert "EDM 970 version 1.0 cannot be published yet. See what it still needs below." in html
    assert "Add at least one area" in html
    assert EdmVersion.objects.get().status == EdmStatus.DRAFT


def test_a_draft_page_makes_a_fixed_number_of_queries(writer, django_assert_max_num_queries):
    built_in_the_service(writer)
    client = client_for(writer)
    client.get("/frameworks/edms/970/versions/1.0/")

    with django_assert_max_num_queries(10):
        response = client.get("/frameworks/edms/970/versions/1.0/")

    assert response.status_code == 200


# --- The checker on content given as data -----------------------------------------------------


def test_content_as_data_may_be_unfinished_only_while_it_is_a_draft():
    stages, elements = reference_numbers()
    data = {
        **DETAILS,
        "areas": [{"number": "1", "title": "Booking", "baselines": []}],
    }

    unfinished = check_edm_data(data, stages=stages, elements=elements, complete=False)
    with pytest.raises(InvalidEdmFile) as raised:
        check_edm_data(data, stages=stages, elements=elements)

    assert [a.number for a in unfinished.areas] == ["1"]
    [problem] = raised.value.problems
    assert (problem.where, problem.key, problem.message) == (
        ("area", 0),
        "baselines",
        "must be a list of at least one baseline.",
    )


def test_renumbering_a_baseline_onto_a_later_one_is_reported_against_the_one_changed(writer):
    draft = with_baseline(writer)
    do_add_baseline(
        draft,
        expected_version=draft.version,
        area=area(draft, "1"),
        baseline={**BASELINE, "number": "1.2"},
        acting_user=writer,
    )
    draft = fresh(draft)

    with pytest.raises(InvalidDraft) as raised:
        do_update_baseline(
            baseline(draft, "1.1"),
            expected_version=draft.version,
            area=area(draft, "1"),
            changes={"number": "1.2", "id": ""},
            acting_user=writer,
        )

    assert errors_of(raised) == [("number", "Baseline number 1.2 is used more than once")]

"""The framework library pages: who may open them, what they show, and the writes they offer."""

import re

import pytest
import yaml
from django.test import Client

from recovery.audit.models import AuditEvent
from recovery.core.constants import PRISON_ROLES, PROBATION_ROLES, Role
from recovery.core.scope import TEST_DATA
from recovery.core.testing import form_as_shown
from recovery.frameworks.actions import load_library
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.factories import (
    DraftEdmVersionFactory,
    PublishedEdmVersionFactory,
    edm_text,
)
from recovery.frameworks.models import EdmVersion, RegimeElement, Stage

pytestmark = pytest.mark.django_db

READERS = sorted(PRISON_ROLES | {Role.VIEWER, Role.ADMINISTRATOR})
NON_READERS = sorted(PROBATION_ROLES)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author(person_with_role):
    return client_for(person_with_role(Role.FRAMEWORK_AUTHOR))


@pytest.fixture
def governor(person_with_role):
    return client_for(person_with_role(Role.GOVERNOR))


def upload(client, text: str, name: str = "edm.yaml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode(), content_type="application/yaml")
    return client.post("/frameworks/upload/", {"file": file})


# --- Who may open what ------------------------------------------------------------------------

READ_PAGES = [
    "/frameworks/",
    "/frameworks/stages/",
    "/frameworks/elements/",
    "/frameworks/edms/950/",
    "/frameworks/edms/950/versions/1.0/",
    "/frameworks/edms/950/versions/1.0/changes/",
    "/frameworks/edms/950/versions/1.0/export/",
]
AUTHOR_PAGES = ["/frameworks/upload/", "/frameworks/stages/3/edit/", "/frameworks/elements/new/"]


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url", READ_PAGES)
def test_every_prison_role_reads_the_library(person_with_role, role, url):
    PublishedEdmVersionFactory(number=950)

    response = client_for(person_with_role(role)).get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("role", NON_READERS)
@pytest.mark.parametrize("url", READ_PAGES + AUTHOR_PAGES)
def test_probation_roles_may_not_open_the_library(person_with_role, role, url):
    PublishedEdmVersionFactory(number=950)

    response = client_for(person_with_role(role)).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("role", sorted(set(READERS) - {Role.FRAMEWORK_AUTHOR}))
@pytest.mark.parametrize("url", AUTHOR_PAGES)
def test_only_framework_authors_open_the_writing_pages(person_with_role, role, url):
    response = client_for(person_with_role(role)).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("url", AUTHOR_PAGES)
def test_framework_authors_open_the_writing_pages(author, url):
    assert author.get(url).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(db):
    response = Client().get("/frameworks/")

    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_the_navigation_offers_frameworks_to_readers_only(person_with_role):
    governor = client_for(person_with_role(Role.GOVERNOR))
    pdu_head = client_for(person_with_role(Role.PDU_HEAD))

    assert 'href="/frameworks/"' in governor.get("/frameworks/stages/").content.decode()
    assert 'href="/frameworks/"' not in pdu_head.get("/audit/").content.decode()


# --- Reading ----------------------------------------------------------------------------------


def test_the_library_lists_published_edms_and_hides_drafts_from_readers(governor, author):
    PublishedEdmVersionFactory(number=950, text=edm_text(950, title="Published visits"))
    DraftEdmVersionFactory(number=951, text=edm_text(951, title="Draft visits"))

    seen_by_governor = governor.get("/frameworks/").content.decode()
    seen_by_author = author.get("/frameworks/").content.decode()

    assert "EDM 950: Published visits" in seen_by_governor
    assert "Draft visits" not in seen_by_governor
    assert "EDM 951: Draft visits" in seen_by_author
    assert governor.get("/frameworks/edms/951/versions/1.0/").status_code == 404
    assert governor.get("/frameworks/edms/951/").status_code == 404
    assert author.get("/frameworks/edms/951/versions/1.0/").status_code == 200


def test_the_library_page_makes_a_fixed_number_of_queries(governor, django_assert_max_num_queries):
    load_library(acting_user=TEST_DATA)
    governor.get("/frameworks/")  # warm the session and scopes

    with django_assert_max_num_queries(8):
        response = governor.get("/frameworks/")

    assert response.status_code == 200


def test_a_version_page_shows_every_baseline_with_its_weighting_and_options(governor):
    load_library(acting_user=TEST_DATA)

    page = governor.get("/frameworks/edms/18/versions/1.0/").content.decode()

    assert "YCS resettlement" in page
    for number in ["1.1", "1.2", "2.1", "2.2", "3.1", "3.3", "3.4", "3.5", "3.6", "3.7", "4.1"]:
        assert f'<th scope="row" class="govuk-table__header">{number}</th>' in page
    assert '<th scope="row" class="govuk-table__header">3.2</th>' not in page
    assert "Video conference" in page
    assert "Publish version" not in page  # a governor cannot publish


def test_the_diff_page_shows_what_a_new_version_changed(governor):
    load_library(acting_user=TEST_DATA)

    page = governor.get("/frameworks/edms/901/versions/1.1/changes/").content.decode()

    assert "Compared with version 1.0" in page
    assert "1 added, 1 removed, 2 changed and 4 unchanged" in page
    assert "Offer visit sessions of at least 90 minutes." in page


def test_export_downloads_the_version_as_yaml(governor):
    load_library(acting_user=TEST_DATA)

    response = governor.get("/frameworks/edms/18/versions/1.0/export/")

    assert response["Content-Disposition"] == (
        'attachment; filename="edm-18-ycs-resettlement-1.0.yaml"'
    )
    data = yaml.safe_load(response.content.decode())
    assert data["number"] == 18
    assert [a["number"] for a in data["areas"]] == ["1", "2", "3", "4", "5"]


# --- Writing EDMs -----------------------------------------------------------------------------


def test_an_author_uploads_a_draft(author):
    response = upload(author, edm_text())

    assert response.status_code == 302
    assert response["Location"] == "/frameworks/edms/950/versions/1.0/"
    page = author.get(response["Location"]).content.decode()
    assert "EDM 950 version 1.0: loaded as a draft" in page
    assert "Publish version 1.0" in page
    assert EdmVersion.objects.get().status == EdmStatus.DRAFT


def test_a_bad_upload_lists_every_problem_and_loads_nothing(author):
    text = edm_text().replace("stage: 3", "stage: 7").replace("element: visits", "element: x")

    response = upload(author, text)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Upload an EDM file" in page
    assert "The file has 2 problems. Nothing has been changed." in page
    assert "Line 5, key &#x27;stage&#x27;: there is no stage 7 on the stage ladder." in page
    assert "&#x27;x&#x27; is not a regime element in the catalogue." in page
    assert not EdmVersion.objects.exists()


def test_an_upload_with_no_file_is_refused(author):
    response = author.post("/frameworks/upload/", {})

    assert "Select an EDM file to upload" in response.content.decode()


def test_changing_a_published_version_by_upload_is_refused(author):
    PublishedEdmVersionFactory(number=950)

    response = upload(author, edm_text().replace("Run a booking line.", "Changed."))

    assert (
        "EDM 950 version 1.0 is published and cannot be changed. Give the changed file a new "
        "version number." in response.content.decode()
    )


def test_an_author_publishes_then_withdraws(author):
    DraftEdmVersionFactory(number=950)

    published = author.post("/frameworks/edms/950/versions/1.0/publish/", follow=True)
    assert "EDM 950 version 1.0 published. First published version: 3 baselines" in (
        published.content.decode()
    )
    assert EdmVersion.objects.get().status == EdmStatus.PUBLISHED

    withdrawn = author.post("/frameworks/edms/950/versions/1.0/withdraw/", follow=True)
    assert "EDM 950 version 1.0 withdrawn" in withdrawn.content.decode()
    assert EdmVersion.objects.get().status == EdmStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="frameworks.withdraw_edm").count() == 1


def test_withdrawing_goes_through_a_confirmation_page(author):
    PublishedEdmVersionFactory(number=950)

    version_page = author.get("/frameworks/edms/950/versions/1.0/").content.decode()
    confirm = author.get("/frameworks/edms/950/versions/1.0/withdraw/")

    # The version page offers a link to the confirmation page, not a button that withdraws.
    assert 'href="/frameworks/edms/950/versions/1.0/withdraw/"' in version_page
    assert confirm.status_code == 200
    assert "You cannot undo a withdrawal." in confirm.content.decode()
    assert EdmVersion.objects.get().status == EdmStatus.PUBLISHED


def _status_cells(html: str) -> list[str]:
    return re.findall(r'<strong class="govuk-tag [^"]*">([^<]+)</strong>', html)


def test_a_version_a_newer_published_one_replaced_reads_superseded(governor):
    PublishedEdmVersionFactory(number=950, version="1.0")
    PublishedEdmVersionFactory(number=950, version="1.1")

    edm_page = governor.get("/frameworks/edms/950/").content.decode()
    old_page = governor.get("/frameworks/edms/950/versions/1.0/").content.decode()
    new_page = governor.get("/frameworks/edms/950/versions/1.1/").content.decode()

    versions_table = edm_page.split("Versions, newest first", 1)[1]
    assert _status_cells(versions_table) == ["Published", "Superseded"]
    assert "Superseded" in _status_cells(old_page)
    assert 'by <a class="govuk-link" href="/frameworks/edms/950/versions/1.1/">version 1.1</a>' in (
        old_page
    )
    assert "Published" in _status_cells(new_page)


def test_withdrawing_the_newer_version_makes_the_older_one_current_again(author):
    PublishedEdmVersionFactory(number=950, version="1.0")
    PublishedEdmVersionFactory(number=950, version="1.1")

    author.post("/frameworks/edms/950/versions/1.1/withdraw/")

    versions_table = author.get("/frameworks/edms/950/").content.decode()
    assert _status_cells(versions_table.split("Versions, newest first", 1)[1]) == [
        "Withdrawn",
        "Published",
    ]


def test_publishing_twice_says_why_it_is_refused(author):
    PublishedEdmVersionFactory(number=950)

    response = author.post("/frameworks/edms/950/versions/1.0/publish/", follow=True)

    assert (
        "EDM 950 version 1.0 is published: it can be published only when it is a draft."
        in response.content.decode()
    )


@pytest.mark.parametrize("verb", ["publish", "withdraw"])
def test_a_governor_cannot_publish_or_withdraw(governor, verb):
    DraftEdmVersionFactory(number=950)

    response = governor.post(f"/frameworks/edms/950/versions/1.0/{verb}/")

    assert response.status_code == 403
    assert EdmVersion.objects.get().status == EdmStatus.DRAFT


def test_publishing_needs_a_post(author):
    DraftEdmVersionFactory(number=950)

    assert author.get("/frameworks/edms/950/versions/1.0/publish/").status_code == 405


# --- Stages and elements ----------------------------------------------------------------------


def test_an_author_renames_a_stage(author):
    response = author.post(
        "/frameworks/stages/3/edit/",
        {"version": 1, "name": "Recover", "colour": "teal", "meaning": "Regime restarts."},
        follow=True,
    )

    page = response.content.decode()
    assert "Stage 3 has been saved." in page
    assert '<strong class="govuk-tag govuk-tag--teal">Recover</strong>' in page


def test_a_stale_stage_edit_shows_what_changed_and_keeps_the_input(author):
    author.post(
        "/frameworks/stages/3/edit/",
        {"version": 1, "name": "Recover", "colour": "yellow", "meaning": "Regime restarts."},
    )

    response = author.post(
        "/frameworks/stages/3/edit/",
        {"version": 1, "name": "Reopen", "colour": "yellow", "meaning": "Regime restarts."},
    )

    page = response.content.decode()
    assert "Your changes have not been saved" in page
    assert 'value="Reopen"' in page
    assert Stage.objects.get(number=3).name == "Recover"


def test_after_a_stale_refusal_sending_the_stage_again_keeps_the_other_persons_meaning(
    author, person_with_role
):
    opened = form_as_shown(author.get("/frameworks/stages/3/edit/").content)
    other = client_for(person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Olu"))
    other.post("/frameworks/stages/3/edit/", {**opened, "meaning": "Regime restarts in full."})

    refused = author.post("/frameworks/stages/3/edit/", {**opened, "name": "Reopen"})

    html = refused.content.decode()
    assert "Your changes have not been saved" in html
    assert "Regime restarts in full." in html
    shown = form_as_shown(html)
    assert shown["name"] == "Reopen" and shown["meaning"] == "Regime restarts in full."
    author.post("/frameworks/stages/3/edit/", shown)
    stage = Stage.objects.get(number=3)
    assert (stage.name, stage.meaning) == ("Reopen", "Regime restarts in full.")


def test_an_author_rewords_what_a_stage_means_for_families(author):
    opened = form_as_shown(author.get("/frameworks/stages/3/edit/").content)
    # The default ladder's words (migration 0005), shown to be changed.
    assert opened["visits"].startswith("Social visits take place in smaller numbers")
    assert opened["rotl"].startswith("Release on temporary licence restarts")

    author.post(
        "/frameworks/stages/3/edit/",
        {**opened, "visits": "Two visits a month, booked online.", "work": "Workshops reopen."},
    )

    stage = Stage.objects.get(number=3)
    assert (stage.visits, stage.work) == ("Two visits a month, booked online.", "Workshops reopen.")
    assert stage.education == opened["education"]
    event = AuditEvent.objects.filter(action="frameworks.update_stage").latest("id")
    assert event.after == {
        "visits": "Two visits a month, booked online.",
        "work": "Workshops reopen.",
    }


def test_words_for_families_too_long_are_refused(author):
    opened = form_as_shown(author.get("/frameworks/stages/3/edit/").content)

    response = author.post("/frameworks/stages/3/edit/", {**opened, "education": "x" * 501})

    assert "Say it in 500 characters or fewer" in response.content.decode()
    assert Stage.objects.get(number=3).education == opened["education"]


def test_a_blank_stage_name_is_refused(author):
    response = author.post(
        "/frameworks/stages/3/edit/", {"version": 1, "name": "", "colour": "red", "meaning": "x"}
    )

    assert "Enter a name for the stage" in response.content.decode()


def test_an_author_adds_a_regime_element(author):
    response = author.post(
        "/frameworks/elements/new/", {"name": "Library", "description": "Books."}, follow=True
    )

    assert "Library has been added to the regime elements." in response.content.decode()
    assert RegimeElement.objects.filter(code="library").exists()


@pytest.mark.parametrize(
    "url",
    ["/frameworks/edms/18/versions/1.0/", "/frameworks/edms/901/versions/1.1/changes/"],
)
def test_version_pages_make_a_fixed_number_of_queries(governor, django_assert_max_num_queries, url):
    load_library(acting_user=TEST_DATA)
    governor.get("/frameworks/")  # warm the session and scopes

    with django_assert_max_num_queries(12):
        response = governor.get(url)

    assert response.status_code == 200

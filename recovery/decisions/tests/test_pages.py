"""The decision log's pages as people use them: write, record, supersede; who reads what; the
filter and search; the exports for inspectors with the verification result printed on them."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from recovery.core.append_only import guard_lifted_for_tests
from recovery.core.constants import Role
from recovery.decisions.constants import ConcernKind, Priority
from recovery.decisions.factories import draft, recorded, superseding
from recovery.decisions.models import DecisionDraft, DecisionEntry

pytestmark = pytest.mark.django_db


def form_data(person, **overrides) -> dict:
    return {
        "title": "Keep visits to two sessions a day",
        "decision": "Two visits sessions a day, booked by telephone.",
        "rationale": "The hall holds 12 at 2 m.",
        "options_considered": "Three sessions; video only.",
        "risks_accepted": "Longer waits for a visit.",
        "concerns_kind": ConcernKind.PRIORITY,
        "priority": Priority.PRISONERS,
        "decided_by_id": person.pk,
        "decided_day": "3",
        "decided_month": "3",
        "decided_year": "2021",
        **overrides,
    }


def test_a_governor_writes_records_and_supersedes_a_decision(client, small_estate, governor):
    client.force_login(governor)

    response = client.post("/decisions/EST1/new/", form_data(governor))
    made = DecisionDraft.objects.get()
    assert response["Location"] == f"/decisions/EST1/drafts/{made.pk}/"

    response = client.post(
        f"/decisions/EST1/drafts/{made.pk}/record/", {"version": made.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/decisions/EST1/1/"
    body = response.content.decode()
    assert "Decision #1 “Keep visits to two sessions a day” has been recorded in the log." in body
    assert not DecisionDraft.objects.exists()

    response = client.post(
        "/decisions/EST1/1/supersede/",
        form_data(governor, title="Keep visits to three sessions a day"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/decisions/EST1/2/"
    assert "This decision supersedes" in response.content.decode()

    old = client.get("/decisions/EST1/1/").content.decode()
    assert "Superseded by" in old and 'href="/decisions/EST1/2/"' in old
    log = client.get("/decisions/EST1/").content.decode()
    assert "Superseded by #2" in log
    assert "Chain verified: all 2 recorded entries intact." in log


def test_a_draft_with_problems_is_refused_with_the_words_a_person_reads(
    client, small_estate, governor
):
    client.force_login(governor)
    response = client.post(
        "/decisions/EST1/new/",
        form_data(governor, rationale="", decided_day="1", decided_month="1", decided_year="2999"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the rationale" in body
    assert not DecisionDraft.objects.exists()

    response = client.post(
        "/decisions/EST1/new/",
        form_data(governor, decided_day="1", decided_month="1", decided_year="2999"),
    )
    assert "The date the decision was made must be today or in the past" in (
        response.content.decode()
    )
    response = client.post(
        "/decisions/EST1/new/", form_data(governor, concerns_kind=ConcernKind.OTHER)
    )
    assert "Say what the decision concerns" in response.content.decode()
    assert not DecisionDraft.objects.exists()


def test_a_stale_draft_edit_is_refused(client, small_estate, governor, person_with_role):
    editor = person_with_role(
        Role.ESTABLISHMENT_EDITOR, small_estate.establishment_1, first_name="Eda", last_name="Ed"
    )
    made = draft(small_estate.establishment_1, governor)
    client.force_login(governor)
    opened = client.get(f"/decisions/EST1/drafts/{made.pk}/").context["form"].initial
    # The editor saves first.
    other = client.__class__()
    other.force_login(editor)
    other.post(
        f"/decisions/EST1/drafts/{made.pk}/",
        {
            **form_data(governor, title="The editor's title"),
            "version": opened["version"],
            "opened": opened["opened"],
        },
    )

    response = client.post(
        f"/decisions/EST1/drafts/{made.pk}/",
        {
            **form_data(governor, title="The governor's title"),
            "version": opened["version"],
            "opened": opened["opened"],
        },
    )

    body = response.content.decode()
    assert "Your changes have not been saved" in body
    assert "was changed by Eda Ed while you were editing it" in body
    assert DecisionDraft.objects.get().title == "The editor's title"


def test_a_draft_is_deleted_but_nothing_recorded_can_be(client, small_estate, governor):
    made = draft(small_estate.establishment_1, governor)
    entry = recorded(small_estate.establishment_1, governor)
    client.force_login(governor)

    client.post(f"/decisions/EST1/drafts/{made.pk}/delete/", {"version": made.version})

    assert not DecisionDraft.objects.exists()
    # A recorded entry has no draft to delete: its number names no draft.
    assert client.get(f"/decisions/EST1/drafts/{entry.pk}/delete/").status_code == 404
    assert DecisionEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "where", "status"),
    [
        (Role.PGD, "group_1", 200),
        (Role.PGD, "group_2", 404),
        (Role.CENTRAL_PANEL, "nation", 200),
        (Role.VIEWER, "nation", 200),
        (Role.TRADE_UNION_REP, "establishment_1", 200),
        (Role.GOVERNOR, "establishment_2", 404),
    ],
)
def test_who_reads_a_log(client, small_estate, governor, person_with_role, role, where, status):
    recorded(small_estate.establishment_1, governor, title="Visible to readers")
    client.force_login(person_with_role(role, getattr(small_estate, where)))

    response = client.get("/decisions/EST1/")

    assert response.status_code == status
    assert ("Visible to readers" in response.content.decode()) == (status == 200)
    assert client.get("/decisions/EST1/1/").status_code == status
    assert client.get("/decisions/EST1/log.xlsx").status_code == status


def test_readers_do_not_see_drafts_or_write(client, small_estate, governor, person_with_role):
    draft(small_estate.establishment_1, governor, title="Still being written")
    pgd = person_with_role(Role.PGD, small_estate.group_1)
    client.force_login(pgd)

    assert "Still being written" not in client.get("/decisions/EST1/").content.decode()
    assert client.get("/decisions/EST1/new/").status_code == 404
    assert client.post("/decisions/EST1/1/supersede/", form_data(governor)).status_code == 404


def test_the_list_of_logs_shows_only_the_logs_in_scope(client, small_estate, person_with_role):
    client.force_login(person_with_role(Role.PGD, small_estate.group_1))
    body = client.get("/decisions/").content.decode()
    assert "HMP Ashgrove" in body and "HMP Birchwood" not in body

    client.force_login(person_with_role(Role.CENTRAL_PANEL, small_estate.nation))
    body = client.get("/decisions/").content.decode()
    assert "HMP Ashgrove" in body and "HMP Birchwood" in body
    body = client.get("/decisions/?group=GRP2").content.decode()
    assert "HMP Ashgrove" not in body and "HMP Birchwood" in body

    client.force_login(person_with_role(Role.FRAMEWORK_AUTHOR, small_estate.nation))
    assert client.get("/decisions/").status_code == 403


def test_filter_and_search(client, small_estate, governor):
    first = recorded(
        small_estate.establishment_1,
        governor,
        title="Pause C&R refreshers",
        decided_on=datetime.date(2021, 2, 1),
    )
    recorded(
        small_estate.establishment_1,
        governor,
        title="Open the library",
        rationale="Books help",
        priority=Priority.PRISONERS,
        decided_on=datetime.date(2021, 4, 1),
    )
    superseding(
        first, governor, title="Resume C&R refreshers", decided_on=datetime.date(2021, 5, 1)
    )
    client.force_login(governor)

    def titles(query: str) -> list[str]:
        rows = client.get(f"/decisions/EST1/?{query}").context["entries"]
        return [r.entry.title for r in rows]

    assert titles("q=books") == ["Open the library"]
    assert titles("status=superseded") == ["Pause C&R refreshers"]
    assert titles("status=recorded") == ["Resume C&R refreshers", "Open the library"]
    assert titles("concerns=priority:prisoners") == ["Open the library"]
    assert titles("from_day=1&from_month=3&from_year=2021&to_day=30&to_month=4&to_year=2021") == [
        "Open the library"
    ]


@pytest.fixture
def three_entries(small_estate, governor):
    first = recorded(small_estate.establishment_1, governor, title="Pause C&R refreshers")
    recorded(small_estate.establishment_1, governor, title="Open the library")
    superseding(first, governor, title="Resume C&R refreshers")


def _pdf_text(client) -> str:
    response = client.get("/decisions/EST1/log.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _xlsx(client):
    response = client.get("/decisions/EST1/log.xlsx")
    return load_workbook(io.BytesIO(response.content))


def test_the_exports_print_the_verification_and_every_entry(
    client, small_estate, three_entries, person_with_role
):
    client.force_login(person_with_role(Role.VIEWER, small_estate.nation))

    text = _pdf_text(client)
    assert "Chain verified: all 3 entries intact" in text
    assert "#1 Pause C&R refreshers" in text
    assert "Status: Superseded by #3" in text
    assert "#3 Resume C&R refreshers" in text and "supersedes #1" in text

    workbook = _xlsx(client)
    assert workbook.sheetnames == ["Verification", "Entries"]
    verification = workbook["Verification"]
    assert verification["D2"].value.startswith("Chain verified: all 3 entries intact")
    entries = list(workbook["Entries"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2], r[10]) for r in entries] == [
        (1, "Superseded by #3", "Pause C&R refreshers", None),
        (2, "Recorded", "Open the library", None),
        (3, "Recorded", "Resume C&R refreshers", "#1"),
    ]
    stored = DecisionEntry.objects.order_by("sequence").values_list("hash", flat=True)
    assert [r[14] for r in entries] == list(stored)


def test_the_exports_say_when_the_chain_is_broken(
    client, small_estate, three_entries, person_with_role
):
    with guard_lifted_for_tests(DecisionEntry) as cursor:
        cursor.execute(
            f"UPDATE {DecisionEntry._meta.db_table} SET rationale = 'Rewritten' WHERE sequence = 2"
        )
    client.force_login(person_with_role(Role.VIEWER, small_estate.nation))

    assert "CHAIN BROKEN: Entry #2 has been changed since it was recorded" in _pdf_text(client)
    assert _xlsx(client)["Verification"]["D2"].value.startswith(
        "CHAIN BROKEN: Entry #2 has been changed since it was recorded"
    )
    assert "This log's chain is broken" in client.get("/decisions/EST1/").content.decode()

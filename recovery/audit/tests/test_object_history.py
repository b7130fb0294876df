"""Each object's history on its own page: who did what, when, each field before and after; shown
only to people who may see the object, in a fixed number of queries however long it is."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.accounts.actions import (
    do_assign_role,
    do_create_api_token,
    do_remove_role,
    do_revoke_api_token,
    do_set_user_active,
)
from recovery.accounts.factories import UserFactory
from recovery.accounts.models import RoleAssignment
from recovery.audit.queries import (
    BLANK,
    object_history,
    person_history,
    shown_value,
    token_history,
)
from recovery.core.constants import Role
from recovery.frameworks.actions import do_publish_edm_version, do_withdraw_edm_version
from recovery.frameworks.drafts import do_update_edm_draft
from recovery.frameworks.models import EdmVersion
from recovery.plans.actions import do_add_evidence, do_remove_evidence, do_update_response
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, make_edm_version, response_for, start_plan
from recovery.plans.models import Evidence, Response


def _page(client, person, url: str):
    client.force_login(person)
    return client.get(url)


def _text(response) -> str:
    return response.content.decode()


def _arrow(label: str, before: str, after: str) -> str:
    """How one field's change reads in the page's HTML."""
    return (
        f'{label}: <span class="app-diff-old">{before}</span> '
        f'<span class="govuk-visually-hidden">changed to</span><span aria-hidden="true">→</span> '
        f"{after}"
    )


# --- How values read --------------------------------------------------------------------------


def test_recorded_values_read_as_words():
    assert shown_value(Response, "status", "in_progress") == "In progress"
    assert shown_value(Response, "target_date", "2021-03-31") == "31 March 2021"
    assert shown_value(Response, "owner", "") == BLANK
    assert shown_value(None, "is_active", False) == "No"
    assert shown_value(None, "edms", ["EDM 1 version 1.0", "EDM 2 version 1.1"]) == (
        "EDM 1 version 1.0, EDM 2 version 1.1"
    )
    assert shown_value(None, "unknown", 7) == "7"


def test_an_object_with_no_events_has_an_empty_history(small_estate):
    assert not object_history(small_estate.establishment_1)
    assert list(object_history(small_estate.establishment_1)) == []


def test_history_keeps_the_newest_and_says_more_were_left_out(person_with_role):
    admin = person_with_role(Role.ADMINISTRATOR)
    user = UserFactory(email="pat.person@example.gov.uk")
    for _ in range(3):
        do_set_user_active(user, active=False, acting_user=admin)
        do_set_user_active(user, active=True, acting_user=admin)
    shown = person_history(user.pk, user.email, limit=4)
    assert len(shown) == 4 and shown.more
    assert [e.summary.split()[0] for e in shown] == [
        "Reactivated",
        "Deactivated",
        "Reactivated",
        "Deactivated",
    ]


# --- The answer to a baseline -----------------------------------------------------------------


@pytest.fixture
def answer_plan(small_estate):
    make_edm_version(
        951, [B("1.1", 3), B("1.2", 2), B("2.1", None, mandatory=False)], title="Visits"
    )
    return start_plan(small_estate.establishment_1)


def _answer_url(response) -> str:
    return f"/plans/EST1/answer/?response={response.pk}"


def test_the_answer_page_shows_the_history_of_the_answer_and_its_evidence(
    client, answer_plan, person_with_role
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Esme", last_name="Editor")
    response = response_for(answer_plan, "1.1")
    do_update_response(
        response,
        expected_version=response.version,
        changes={
            "status": ResponseStatus.IN_PROGRESS,
            "owner": "Head of Residence",
            "target_date": datetime.date(2021, 3, 31),
        },
        acting_user=editor,
    )
    response.refresh_from_db()
    note = do_add_evidence(
        response, kind="note", upload=None, url="", note="Visits hall rota", acting_user=editor
    )
    do_remove_evidence(note, acting_user=editor)
    other = response_for(answer_plan, "1.2")
    do_update_response(
        other,
        expected_version=other.version,
        changes={"owner": "Deputy Governor"},
        acting_user=editor,
    )

    page = _text(_page(client, editor, _answer_url(response)))

    assert "History of this answer" in page
    assert "Esme Editor" in page
    assert "Changed status, owner, target date of baseline 1.1" in page
    assert _arrow("Status", "Not started", "In progress") in page
    assert _arrow("Owner", BLANK, "Head of Residence") in page
    assert _arrow("Target date", BLANK, "31 March 2021") in page
    assert "Added a note as evidence for baseline 1.1" in page
    assert "from the evidence for baseline 1.1" in page
    # Another answer's history stays with that answer.
    assert "Deputy Governor" not in page


def test_the_answer_page_says_when_nothing_has_changed(client, answer_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    page = _text(_page(client, editor, _answer_url(response_for(answer_plan, "1.1"))))
    assert "No changes recorded to this answer yet." in page


def test_evidence_recorded_against_itself_is_in_the_answers_history(answer_plan):
    """Events about the evidence itself (not only those about the answer) are found too."""
    from recovery.audit.actions import record_event

    editor = UserFactory(first_name="Esme", last_name="Editor")
    response = response_for(answer_plan, "1.1")
    evidence = Evidence.objects.create(response=response, kind="note", note="Rota", added_by=editor)
    record_event(
        acting_user=editor,
        action="plans.check_evidence",
        obj=evidence,
        summary="Checked the rota",
        after={"note": "Rota"},
    )
    shown = object_history(response, also=_evidence_of(response))
    assert [e.summary for e in shown] == ["Checked the rota"]


def _evidence_of(response):
    from recovery.audit.queries import about_any_of

    return about_any_of(Evidence, Evidence.objects.filter(response=response))


def test_another_establishment_cannot_see_the_answer_or_its_history(
    client, small_estate, answer_plan, person_with_role
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(answer_plan, "1.1")
    do_update_response(
        response,
        expected_version=response.version,
        changes={"owner": "Head of Residence"},
        acting_user=editor,
    )
    outsider = person_with_role(Role.ESTABLISHMENT_EDITOR, small_estate.establishment_2)
    page = _page(client, outsider, _answer_url(response))
    assert page.status_code == 404
    assert "Head of Residence" not in _text(page)
    # A reader of another establishment's plan sees neither; a reader of this plan reads both.
    outside_reader = person_with_role(Role.TRADE_UNION_REP, small_estate.establishment_2)
    page = _page(client, outside_reader, _answer_url(response))
    assert page.status_code == 404 and "Head of Residence" not in _text(page)
    reader = person_with_role(Role.TRADE_UNION_REP)
    page = _page(client, reader, _answer_url(response))
    assert page.status_code == 200 and "Head of Residence" in _text(page)
    assert "History of this answer" in _text(page)


@pytest.mark.parametrize("changes", [1, 30])
def test_the_answer_page_makes_a_fixed_number_of_queries(
    client, answer_plan, person_with_role, django_assert_max_num_queries, changes
):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = response_for(answer_plan, "2.1")
    for n in range(changes):
        do_update_response(
            response,
            expected_version=response.version,
            changes={"owner": f"Owner {n}"},
            acting_user=editor,
        )
        response.refresh_from_db()
        do_add_evidence(
            response,
            kind="link",
            upload=None,
            url=f"https://intranet.example/{n}",
            note="",
            acting_user=editor,
        )
    client.force_login(editor)
    client.get(_answer_url(response))
    # 10: one more than before for the people a baseline may be assigned to (fixed).
    with django_assert_max_num_queries(10):
        page = client.get(_answer_url(response))
    assert page.status_code == 200
    assert f"Owner {changes - 1}" in _text(page)


# --- A person, for administrators -------------------------------------------------------------


def test_the_person_page_shows_their_account_and_roles_history(
    client, small_estate, person_with_role
):
    admin = person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    pat = UserFactory(first_name="Pat", last_name="Person", email="pat.person@example.gov.uk")
    other = UserFactory(first_name="Olu", last_name="Other", email="olu.other@example.gov.uk")
    do_assign_role(pat, role=Role.GOVERNOR, unit=small_estate.establishment_1, acting_user=admin)
    removed = do_assign_role(
        pat, role=Role.TRADE_UNION_REP, unit=small_estate.establishment_2, acting_user=admin
    )
    do_remove_role(removed, acting_user=admin)
    do_set_user_active(pat, active=False, acting_user=admin)
    do_assign_role(other, role=Role.PGD, unit=small_estate.group_2, acting_user=admin)

    page = _text(_page(client, admin, f"/manage/users/{pat.pk}/"))

    assert "Ada Admin" in page
    assert "Gave Pat Person the role Governor or Director at HMP Ashgrove" in page
    assert "Gave Pat Person the role Trade union representative at HMP Birchwood" in page
    assert "Took away Trade union representative at HMP Birchwood from Pat Person" in page
    assert _arrow("Role", BLANK, "Governor or Director") in page
    assert _arrow("Role", "Trade union representative", BLANK) in page
    assert "Deactivated Pat Person" in page
    assert _arrow("Active", "Yes", "No") in page
    # Someone else's roles are theirs.
    assert "Olu Other" not in page and "Southern Downs" not in page
    assert not RoleAssignment.objects.filter(pk=removed.pk).exists()


def test_only_administrators_see_a_persons_history(client, small_estate, person_with_role):
    admin = person_with_role(Role.ADMINISTRATOR)
    pat = UserFactory(first_name="Pat", last_name="Person")
    do_assign_role(pat, role=Role.GOVERNOR, unit=small_estate.establishment_1, acting_user=admin)
    for role in (Role.GOVERNOR, Role.CENTRAL_PANEL, Role.VIEWER):
        page = _page(client, person_with_role(role), f"/manage/users/{pat.pk}/")
        assert page.status_code == 403
        assert "Gave Pat Person the role" not in _text(page)


@pytest.mark.parametrize("changes", [1, 20])
def test_the_person_page_makes_a_fixed_number_of_queries(
    client, small_estate, person_with_role, django_assert_max_num_queries, changes
):
    admin = person_with_role(Role.ADMINISTRATOR)
    pat = UserFactory(first_name="Pat", last_name="Person")
    units = [small_estate.establishment_1, small_estate.establishment_2]
    for n in range(changes):
        assignment = do_assign_role(pat, role=Role.GOVERNOR, unit=units[n % 2], acting_user=admin)
        if n < changes - 1:
            do_remove_role(assignment, acting_user=admin)
    client.force_login(admin)
    client.get(f"/manage/users/{pat.pk}/")
    with django_assert_max_num_queries(6):
        page = client.get(f"/manage/users/{pat.pk}/")
    assert page.status_code == 200
    assert _text(page).count("Gave Pat Person the role") == changes


# --- An EDM version ---------------------------------------------------------------------------


@pytest.fixture
def author(person_with_role):
    return person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Fran", last_name="Author")


def test_the_version_page_shows_draft_edits_publishing_and_withdrawing(
    client, small_estate, author, person_with_role
):
    draft = make_edm_version(952, [B("1.1")], title="Visits", publish=False)
    do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"title": "Visits in person"},
        acting_user=author,
    )
    do_publish_edm_version(EdmVersion.objects.get(pk=draft.pk), acting_user=author)

    governor = person_with_role(Role.GOVERNOR)
    page = _text(_page(client, governor, "/frameworks/edms/952/versions/1.0/"))
    assert "History of this version" in page
    assert "Fran Author" in page
    assert _arrow("Title", "Visits", "Visits in person") in page
    assert "Published EDM 952 version 1.0" in page
    assert _arrow("Status", "Draft", "Published") in page

    do_withdraw_edm_version(EdmVersion.objects.get(pk=draft.pk), acting_user=author)
    page = _text(_page(client, governor, "/frameworks/edms/952/versions/1.0/"))
    assert _arrow("Status", "Published", "Withdrawn") in page


def test_a_drafts_history_is_hidden_with_the_draft(client, small_estate, author, person_with_role):
    draft = make_edm_version(953, [B("1.1")], title="Visits", publish=False)
    do_update_edm_draft(
        draft,
        expected_version=draft.version,
        changes={"title": "Secret working title"},
        acting_user=author,
    )
    assert "Secret working title" in _text(
        _page(client, author, "/frameworks/edms/953/versions/1.0/")
    )
    page = _page(client, person_with_role(Role.GOVERNOR), "/frameworks/edms/953/versions/1.0/")
    assert page.status_code == 404 and "Secret working title" not in _text(page)
    page = _page(client, person_with_role(Role.PDU_HEAD), "/frameworks/edms/953/versions/1.0/")
    assert page.status_code == 403 and "Secret working title" not in _text(page)


@pytest.mark.parametrize("changes", [1, 20])
def test_the_version_page_makes_a_fixed_number_of_queries(
    client, small_estate, author, django_assert_max_num_queries, changes
):
    draft = make_edm_version(954, [B("1.1"), B("1.2")], title="Visits", publish=False)
    for n in range(changes):
        draft.refresh_from_db()
        do_update_edm_draft(
            draft,
            expected_version=draft.version,
            changes={"title": f"Visits, take {n}"},
            acting_user=author,
        )
    client.force_login(author)
    client.get("/frameworks/edms/954/versions/1.0/")
    with django_assert_max_num_queries(10):
        page = client.get("/frameworks/edms/954/versions/1.0/")
    assert page.status_code == 200
    assert f"Visits, take {changes - 1}" in _text(page)


# --- Your API tokens --------------------------------------------------------------------------


def test_the_tokens_page_shows_your_own_tokens_history_only(client, person_with_role):
    mine = person_with_role(Role.GOVERNOR, first_name="Gina", last_name="Governor")
    theirs = person_with_role(Role.GOVERNOR, first_name="Olu", last_name="Other")
    token, _ = do_create_api_token(name="Reporting script", days=30, acting_user=mine)
    do_revoke_api_token(token, acting_user=mine)
    do_create_api_token(name="Someone else's script", days=30, acting_user=theirs)

    page = _text(_page(client, mine, "/account/tokens/"))
    assert "History of your tokens" in page
    assert "Made API token &#x27;Reporting script&#x27; lasting 30 days" in page
    assert "Revoked API token &#x27;Reporting script&#x27;" in page
    assert "Someone else" not in page
    assert token_history(theirs.pk).entries[0].actor_name == "Olu Other"


def test_the_answer_page_evidence_upload_is_in_the_history(client, answer_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Esme", last_name="Editor")
    response = response_for(answer_plan, "1.1")
    client.force_login(editor)
    client.post(
        "/plans/EST1/evidence/add/",
        {
            "response": response.pk,
            "kind": "file",
            "file": SimpleUploadedFile("rota.txt", b"Visits rota", content_type="text/plain"),
        },
    )
    page = _text(client.get(_answer_url(response)))
    assert "Added" in page and "rota.txt" in page
    assert _arrow("File name", BLANK, "rota.txt") in page

"""The audit trail page: administrators read every change, newest first, filter it and export
it; nobody else may open it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recovery.audit.actions import record_event
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.estate.actions import do_update_establishment
from recovery.plans.actions import do_update_response
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, make_edm_version, response_for, start_plan

TRAIL = "/audit/"


def _arrow(label: str, before: str, after: str) -> str:
    """How one field's change reads in the page's HTML."""
    return (
        f'{label}: <span class="app-diff-old">{before}</span> '
        f'<span class="govuk-visually-hidden">changed to</span><span aria-hidden="true">→</span> '
        f"{after}"
    )


@pytest.fixture
def admin(person_with_role):
    return person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson")


@pytest.fixture
def governor(person_with_role):
    return person_with_role(Role.GOVERNOR, first_name="Gwen", last_name="Governing")


def test_the_url_is_the_named_page():
    assert reverse("audit:trail") == TRAIL


def test_administrator_sees_a_change_with_who_what_and_before_and_after(
    client, small_estate, admin, governor
):
    establishment = small_estate.establishment_1
    do_update_establishment(
        establishment,
        expected_version=establishment.version,
        changes={"population": 575},
        acting_user=governor,
    )
    client.force_login(admin)

    response = client.get(TRAIL)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Audit trail</h1>' in body
    assert "Gwen Governing" in body
    assert "Changed population of HMP Ashgrove" in body
    assert "<strong>Establishment details changed</strong>" in body
    assert ">estate.update_establishment<" not in body
    assert _arrow("Population", "550", "575") in body


def test_newest_change_comes_first(client, small_estate, admin):
    for population in (551, 552):
        establishment = type(small_estate.establishment_1).objects.get(
            pk=small_estate.establishment_1.pk
        )
        do_update_establishment(
            establishment,
            expected_version=establishment.version,
            changes={"population": population},
            acting_user=admin,
        )
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert body.index(_arrow("Population", "551", "552")) < body.index(
        _arrow("Population", "550", "551")
    )


def _many_events(count: int, acting_user, unit) -> None:
    for n in range(count):
        record_event(
            acting_user=acting_user,
            action="test.numbered",
            obj=unit,
            summary=f"Numbered change {n:03d}",
            after={"n": n},
        )


def test_the_trail_is_paginated_fifty_to_a_page(client, small_estate, admin):
    _many_events(120, admin, small_estate.nation)
    client.force_login(admin)

    first = client.get(TRAIL).content.decode()
    third = client.get(TRAIL, {"page": 3}).content.decode()

    assert "Showing 1 to 50 of 120" in first
    assert "Numbered change 119" in first
    assert "Numbered change 069" not in first
    assert 'class="govuk-pagination"' in first
    assert 'aria-label="Page 3"' in first
    assert 'rel="next"' in first
    assert "Showing 101 to 120 of 120" in third
    assert "Numbered change 000" in third
    assert 'rel="next"' not in third


def test_a_page_past_the_end_shows_the_last_page(client, small_estate, admin):
    _many_events(3, admin, small_estate.nation)
    client.force_login(admin)

    body = client.get(TRAIL, {"page": 99}).content.decode()

    assert "Showing 1 to 3 of 3" in body


def test_filters_by_action_person_and_object(client, small_estate, admin, governor):
    record_event(
        acting_user=governor,
        action="estate.update_establishment",
        obj=small_estate.establishment_1,
        summary="Governor's change to Ashgrove",
    )
    record_event(
        acting_user=admin,
        action="estate.update_establishment",
        obj=small_estate.establishment_2,
        summary="Admin's change to Birchwood",
    )
    record_event(
        acting_user=admin,
        action="accounts.create_user",
        obj=governor,
        summary="Admin added a person",
    )
    client.force_login(admin)

    by_action = client.get(TRAIL, {"action": "accounts.create_user"}).content.decode()
    by_person = client.get(TRAIL, {"person": "gwen"}).content.decode()
    by_object = client.get(TRAIL, {"object": "birch"}).content.decode()
    nothing = client.get(TRAIL, {"object": "no such thing"}).content.decode()

    assert "Admin added a person" in by_action
    assert "Ashgrove" not in by_action and "Birchwood" not in by_action
    assert "Governor&#x27;s change to Ashgrove" in by_person
    assert "Admin&#x27;s change" not in by_person
    assert "Admin&#x27;s change to Birchwood" in by_object
    assert "Governor&#x27;s change" not in by_object
    assert "No changes match these filters." in nothing
    # The filters the person chose stay in the form.
    assert 'value="gwen"' in by_person
    assert '<option value="accounts.create_user" selected>' in by_action


def test_pagination_links_keep_the_filters(client, small_estate, admin):
    _many_events(60, admin, small_estate.nation)
    client.force_login(admin)

    body = client.get(TRAIL, {"person": "Ada"}).content.decode()

    assert "?person=Ada&amp;page=2" in body


def test_export_is_a_spreadsheet_of_every_matching_change(client, small_estate, admin, governor):
    _many_events(55, admin, small_estate.nation)
    establishment = small_estate.establishment_1
    do_update_establishment(
        establishment,
        expected_version=establishment.version,
        changes={"population": 580},
        acting_user=governor,
    )
    client.force_login(admin)

    everything = client.get(TRAIL, {"format": "xlsx"})
    filtered = client.get(TRAIL, {"format": "xlsx", "person": "Gwen"})

    assert everything.status_code == 200
    assert everything["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in everything["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(everything.content))["Audit trail"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "When",
        "Who",
        "What happened",
        "Summary",
        "Kind of object",
        "Object",
        "Changes",
    )
    assert len(rows) == 1 + 56  # not only the first page
    assert rows[1][1:6] == (
        "Gwen Governing",
        "Establishment details changed",
        "Changed population of HMP Ashgrove",
        "Establishment",
        "HMP Ashgrove",
    )
    assert rows[1][6] == "Population: 550 → 580"
    event = AuditEvent.objects.get(action="estate.update_establishment")
    assert rows[1][0] == timezone.localtime(event.occurred_at).strftime("%-d %B %Y %H:%M")
    only_gwen = list(load_workbook(io.BytesIO(filtered.content))["Audit trail"].values)
    assert len(only_gwen) == 2


def test_an_old_event_holding_a_vertical_tab_does_not_break_the_export(client, small_estate, admin):
    # The trail is append-only: an event recorded before names were checked stays for ever, so
    # the export must cope with what it holds (Word's manual line break is a vertical tab).
    record_event(
        acting_user=admin,
        action="estate.update_establishment",
        obj=small_estate.establishment_1,
        summary="Renamed HMP Ash\x0bgrove",
        before={"name": "HMP Ashgrove"},
        after={"name": "HMP Ash\x0bgrove"},
    )
    client.force_login(admin)

    export = client.get(TRAIL, {"format": "xlsx"})

    assert export.status_code == 200
    row = list(load_workbook(io.BytesIO(export.content))["Audit trail"].values)[1]
    assert row[3] == "Renamed HMP Ash\N{REPLACEMENT CHARACTER}grove"
    assert "HMP Ash\N{REPLACEMENT CHARACTER}grove" in row[6]


def test_page_links_to_the_export_with_the_same_filters(client, small_estate, admin):
    _many_events(1, admin, small_estate.nation)
    client.force_login(admin)

    body = client.get(TRAIL, {"person": "Ada"}).content.decode()

    assert 'href="?person=Ada&amp;format=xlsx"' in body


def test_empty_trail_says_so(client, small_estate, admin):
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert "Nothing has been changed yet." in body


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.ADMINISTRATOR}))
def test_nobody_but_an_administrator_may_open_it(client, small_estate, person_with_role, role):
    record_event(
        acting_user=TEST_DATA,
        action="test.secret",
        obj=small_estate.nation,
        summary="A change only administrators may read about",
    )
    client.force_login(person_with_role(role))

    response = client.get(TRAIL)
    export = client.get(TRAIL, {"format": "xlsx"})

    assert response.status_code == 403
    assert export.status_code == 403
    assert b"only administrators may read" not in response.content


def test_signed_out_person_is_sent_to_sign_in(client, small_estate):
    response = client.get(TRAIL)

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/audit/"


def test_query_count_does_not_grow_with_the_trail(
    client, small_estate, admin, django_assert_max_num_queries
):
    _many_events(5, admin, small_estate.nation)
    client.force_login(admin)
    with django_assert_max_num_queries(12) as few:
        client.get(TRAIL)
    _many_events(80, admin, small_estate.establishment_1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TRAIL)


def test_system_changes_show_as_system(client, small_estate, admin):
    record_event(
        acting_user=TEST_DATA,
        action="estate.create_unit",
        obj=small_estate.nation,
        summary="Loaded by the seed command",
    )
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert "System" in body
    assert AuditEvent.objects.get().actor is None


def test_occurred_at_is_shown_in_local_time(client, small_estate, admin):
    event = record_event(
        acting_user=admin, action="test.time", obj=small_estate.nation, summary="Timed"
    )
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert timezone.localtime(event.occurred_at).strftime("%-d %B %Y %H:%M") in body


# --- In plain words -------------------------------------------------------------------------


@pytest.fixture
def answered(small_estate, person_with_role):
    """An answer moved from not started to in progress, with a target date, by an editor."""
    make_edm_version(961, [B("1.1", 3)], title="Visits")
    response = response_for(start_plan(small_estate.establishment_1), "1.1")
    do_update_response(
        response,
        expected_version=response.version,
        changes={"status": ResponseStatus.IN_PROGRESS, "target_date": datetime.date(2027, 3, 31)},
        acting_user=person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Esme"),
    )
    return response


def test_the_trail_names_actions_kinds_and_values_in_words(client, answered, admin):
    client.force_login(admin)

    body = client.get(TRAIL, {"action": "plans.update_response"}).content.decode()

    assert "<strong>Answer changed</strong>" in body
    assert _arrow("Status", "Not started", "In progress") in body
    assert _arrow("Target date", "(blank)", "31 March 2027") in body
    assert "not_started" not in body and "in_progress" not in body
    assert "2027-03-31" not in body
    assert '<span class="govuk-body-s govuk-!-margin-bottom-0">Answer</span>' in body
    assert ">plans.response<" not in body


def test_the_action_filter_lists_actions_by_their_labels(client, answered, admin):
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert '<option value="plans.update_response">Answer changed</option>' in body
    assert '<option value="plans.start_plan">Plan started</option>' in body


def test_the_export_names_actions_and_values_in_words(client, answered, admin):
    client.force_login(admin)

    export = client.get(TRAIL, {"format": "xlsx", "action": "plans.update_response"})

    rows = list(load_workbook(io.BytesIO(export.content))["Audit trail"].values)
    assert rows[1][2] == "Answer changed"
    assert rows[1][4] == "Answer"
    assert rows[1][6] == "Status: Not started → In progress\nTarget date: (blank) → 31 March 2027"


def test_an_action_without_a_label_is_still_readable(client, small_estate, admin):
    record_event(
        acting_user=admin, action="signoff.approve_step", obj=small_estate.nation, summary="X"
    )
    client.force_login(admin)

    body = client.get(TRAIL).content.decode()

    assert "<strong>Signoff: approve step</strong>" in body

"""The establishment's progression page as each person sees it: the current stage in its
ladder colour, the forms each role may use and no others, bad input answered in words, and
nothing shown out of scope."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.covid.models import Outbreak
from recovery.frameworks.models import Stage
from recovery.progression import queries
from recovery.progression.actions import do_record_stage, do_report_progress
from recovery.progression.constants import ChangeStatus, ReviewStatus
from recovery.progression.models import ProgressReview, StageChange
from recovery.progression.stages import propose_emergency_move_in_transaction

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at_stage(establishment, number=3, days_ago=60):
    return do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Commencement approved by the panel",
        effective_from=TODAY - datetime.timedelta(days=days_ago),
        acting_user=TEST_DATA,
    )


def propose(establishment):
    outbreak = Outbreak.objects.create(
        establishment=establishment, declared_on=TODAY, declared_by_name="Test"
    )
    with transaction.atomic():
        return propose_emergency_move_in_transaction(
            establishment, outbreak=outbreak, acting_user=TEST_DATA
        )


def page(client, person, establishment):
    client.force_login(person)
    return client.get(f"/progression/{establishment.code}/")


def test_the_page_shows_the_current_stage_in_its_colour(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    at_stage(site, 4, days_ago=300)
    at_stage(site, 3, days_ago=30)
    Stage.objects.filter(number=3).update(name="Recover", colour="yellow")

    body = page(client, person_with_role(Role.GOVERNOR), site).content.decode()

    since = (TODAY - datetime.timedelta(days=30)).strftime("%-d %B %Y")
    assert 'govuk-tag--yellow">Stage 3: Recover</strong>' in body
    assert f"since {since}" in body
    assert "Send the report to your PGD" in body
    assert "Confirm the move back" not in body


def test_out_of_scope_is_404(client, small_estate, person_with_role):
    at_stage(small_estate.establishment_2)
    response = page(client, person_with_role(Role.GOVERNOR), small_estate.establishment_2)
    assert response.status_code == 404
    assert "HMP Birchwood" not in response.content.decode()


def test_the_pgd_sees_and_uses_the_confirm_form(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    at_stage(site)
    proposal = propose(site)
    pgd = person_with_role(Role.PGD)

    body = page(client, pgd, site).content.decode()
    assert "Confirm the move back" in body and "Dismiss the proposal" in body
    assert "Ratify the move" not in body

    response = client.post(
        f"/progression/{site.code}/confirm-move/", {"change": proposal.pk, "note": "Two wings"}
    )
    assert response.status_code == 302
    assert queries.current_stage(site).number == 4
    body = client.get(response["Location"]).content.decode()
    assert "To be ratified" in body


def test_the_governor_sees_no_confirm_form_and_is_refused(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    at_stage(site)
    proposal = propose(site)
    governor = person_with_role(Role.GOVERNOR)

    assert "Confirm the move back" not in page(client, governor, site).content.decode()
    response = client.post(f"/progression/{site.code}/confirm-move/", {"change": proposal.pk})

    assert response.status_code == 404
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_the_panel_ratifies_from_the_page(client, small_estate, person_with_role):
    from recovery.progression.actions import do_confirm_stage_move

    site = small_estate.establishment_1
    at_stage(site)
    change = do_confirm_stage_move(propose(site), note="", acting_user=TEST_DATA)
    panel = person_with_role(Role.CENTRAL_PANEL)

    assert "Ratify the move to stage 4" in page(client, panel, site).content.decode()
    client.post(f"/progression/{site.code}/ratify/", {"change": change.pk, "note": "Agreed"})

    assert StageChange.objects.get(pk=change.pk).status == ChangeStatus.IN_EFFECT


def test_dismissing_without_a_reason_is_answered_in_words(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    at_stage(site)
    proposal = propose(site)
    client.force_login(person_with_role(Role.PGD))

    response = client.post(f"/progression/{site.code}/dismiss-move/", {"change": proposal.pk})

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Say why the move is not needed" in body
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_a_decision_from_the_wrong_state_is_refused_with_a_message(
    client, small_estate, person_with_role
):
    site = small_estate.establishment_1
    at_stage(site)
    review = do_report_progress(site, report="Visits running", acting_user=TEST_DATA)
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    response = client.post(
        f"/progression/{site.code}/progress/decide/",
        {"review": review.pk, "version": review.version, "outcome": "remain", "reasons": "Fine"},
        follow=True,
    )

    assert "can be decided only when it is forwarded" in response.content.decode()
    assert ProgressReview.objects.get(pk=review.pk).status == ReviewStatus.REPORTED


def test_the_panel_records_the_first_stage(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    panel = person_with_role(Role.CENTRAL_PANEL)
    assert "Record the stage" in page(client, panel, site).content.decode()

    client.post(
        f"/progression/{site.code}/record-stage/",
        {"stage": 4, "effective_from": "1/6/2026", "reason": "From the weekly record"},
    )

    assert queries.current_stage(site, on=datetime.date(2026, 6, 1)).number == 4
    assert "Record the stage" not in page(client, panel, site).content.decode()


def test_an_impossible_date_is_a_field_error(client, small_estate, person_with_role):
    site = small_estate.establishment_1
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    response = client.post(
        f"/progression/{site.code}/record-stage/",
        {"stage": 4, "effective_from": "31/2/2026", "reason": "From the record"},
    )

    assert "Enter a real date" in response.content.decode()
    assert not StageChange.objects.exists()


def test_the_history_links_an_outbreak_move_to_the_covid_controls(
    client, small_estate, person_with_role
):
    site = small_estate.establishment_1
    at_stage(site, 3)
    propose(site)

    body = page(client, person_with_role(Role.GOVERNOR), site).content.decode()

    declared = TODAY.strftime("%-d %B %Y")
    assert f'<a class="govuk-link" href="/covid/EST1/">Outbreak declared {declared}</a>' in body

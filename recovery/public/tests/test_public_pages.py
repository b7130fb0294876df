"""The public status pages, as a family member sees them: no sign-in, the prison's stage and
what it means, its note, the date it last changed, and nothing internal."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from recovery.core.constants import Role
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.factories import EstablishmentFactory
from recovery.frameworks.models import Stage
from recovery.plans.actions import do_update_response
from recovery.plans.factories import B, make_edm_version, response_for, start_plan
from recovery.progression.models import ReadinessAssessment
from recovery.public.actions import do_publish_note, note_of

pytestmark = pytest.mark.django_db


def _publish(establishment, governor, text):
    note = note_of(establishment)
    do_publish_note(
        note, expected_version=note.version, changes={"text": text}, acting_user=governor
    )


def test_a_prison_page_says_its_stage_what_it_means_and_when_it_changed(
    client, small_estate, set_stage, person_with_role
):
    prison = small_estate.establishment_1
    set_stage(prison, 4, on=datetime.date(2026, 1, 5))
    set_stage(prison, 3, on=datetime.date(2026, 3, 2))
    # The panel records the same stage again (a correction): the stage did not change then.
    set_stage(prison, 3, on=datetime.date(2026, 4, 1), reason="Correction")
    _publish(prison, person_with_role(Role.GOVERNOR), "Book visits on 0300 000 0000.")

    page = client.get(f"/status/{prison.code}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert f'<h1 class="govuk-heading-l">{prison.name}</h1>' in html
    assert "Stage 3: Reduce" in html
    # The default ladder's words for families (migration frameworks 0005).
    assert "Social visits take place in smaller numbers" in html
    assert "Education restarts in smaller classes" in html
    assert "More workshops and jobs reopen" in html
    assert "Release on temporary licence restarts for more reasons" in html
    assert 'Its stage last changed on <time datetime="2026-03-02">2 March 2026</time>' in html
    assert "Book visits on 0300 000 0000." in html
    # The public layout: no sign-in asked, no navigation of signed-in work, cacheable.
    assert "Sign out" not in html
    assert "public" in page["Cache-Control"] and "max-age=60" in page["Cache-Control"]


def test_the_page_shows_nothing_internal(client, small_estate, set_stage, person_with_role):
    """Outbreak details, assessments, plans, decisions and the names of staff are all kept
    about this prison; none of them may appear on its public page."""
    prison = small_estate.establishment_1
    governor = person_with_role(Role.GOVERNOR, first_name="Gwendolyn", last_name="Gatekeeper")
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Edwin", last_name="Entwistle")
    set_stage(prison, 4, on=datetime.date(2026, 1, 5), reason="Tension on the wings after fights")
    set_stage(prison, 3, on=datetime.date(2026, 3, 2), reason="Panel minute 17: staffing thin")
    Outbreak.objects.create(
        establishment=prison,
        declared_on=datetime.date(2026, 3, 20),
        declared_by=governor,
        declared_by_name="Gwendolyn Gatekeeper",
        cases_staff=13,
        cases_prisoners=47,
        notes="Cluster traced to the servery on Juniper wing",
    )
    CovidControls.objects.create(establishment=prison, contact_tracing_lead="Tobias Tracewell")
    PpeStock.objects.create(establishment=prison, item="masks", in_stock=17, needed=9999)
    make_edm_version(960, [B("1.1")])
    plan = start_plan(prison)
    answer = response_for(plan, "1.1")
    do_update_response(
        answer,
        expected_version=answer.version,
        changes={"approach": "Visits hall split by perspex screens from the Quartermaster"},
        acting_user=editor,
    )
    ReadinessAssessment.objects.create(
        establishment=prison,
        plan=plan,
        from_stage=Stage.objects.get(number=3),
        to_stage=Stage.objects.get(number=2),
        staffing="Officer shortfall of 23 on nights",
        justification="Risk accepted by the deputy",
    )
    _publish(prison, governor, "Visits are on Saturdays.")

    html = client.get(f"/status/{prison.code}/").content.decode()

    assert "Visits are on Saturdays." in html  # the page did render the prison
    for internal in [
        "Tension on the wings",
        "Panel minute 17",
        "Rhiannon",
        "Ratifier",
        "Gwendolyn",
        "Gatekeeper",
        "Edwin",
        "Entwistle",
        "Juniper wing",
        "outbreak",
        "Outbreak",
        "9999",
        "Tobias",
        "Tracewell",
        "perspex",
        "Quartermaster",
        "Officer shortfall",
        "Risk accepted",
        "Readiness",
        "assessment",
        "EDM",
    ]:
        assert internal not in html, f"{internal!r} appears on the public page"


def test_the_list_finds_prisons_by_name_and_stage_without_javascript(
    client, small_estate, set_stage
):
    ashgrove = EstablishmentFactory(parent=small_estate.group_1, name="HMP Ashgrove Test")
    birchmoor = EstablishmentFactory(parent=small_estate.group_1, name="HMP Birchmoor Test")
    set_stage(ashgrove, 3)
    set_stage(birchmoor, 4)

    everyone = client.get("/status/").content.decode()
    by_name = client.get("/status/", {"name": "birch"}).content.decode()
    by_stage = client.get("/status/", {"stage": "3"}).content.decode()

    assert "HMP Ashgrove Test" in everyone and "HMP Birchmoor Test" in everyone
    assert "HMP Birchmoor Test" in by_name and "HMP Ashgrove Test" not in by_name
    assert "HMP Ashgrove Test" in by_stage and "HMP Birchmoor Test" not in by_stage
    assert "1 prison matches your search." in by_stage


def test_a_stage_not_on_the_ladder_is_a_field_error(client, small_estate):
    page = client.get("/status/", {"stage": "99"})

    assert page.status_code == 200
    assert "Choose a stage from the list" in page.content.decode()


def test_a_name_too_long_is_a_field_error(client, small_estate):
    page = client.get("/status/", {"name": "x" * 101})

    assert "Enter 100 characters or fewer" in page.content.decode()


def test_a_closed_prison_is_not_listed_and_its_page_is_not_found(client, small_estate, set_stage):
    closed = EstablishmentFactory(
        parent=small_estate.group_1, name="HMP Shutdown Test", status=EstablishmentStatus.CLOSED
    )
    set_stage(closed, 3)

    assert "HMP Shutdown Test" not in client.get("/status/").content.decode()
    assert client.get(f"/status/{closed.code}/").status_code == 404
    assert client.get("/status/NOSUCH/").status_code == 404


def test_a_prison_without_a_stage_says_so(client, small_estate):
    page = client.get(f"/status/{small_estate.establishment_1.code}/")

    assert "stage has not been published yet" in page.content.decode()


def test_a_signed_in_person_sees_the_same_public_page(client, small_estate, person_with_role):
    client.force_login(person_with_role(Role.GOVERNOR))

    page = client.get(f"/status/{small_estate.establishment_1.code}/")

    assert page.status_code == 200
    assert "Sign out" not in page.content.decode()
    assert "public" in page["Cache-Control"]
    assert not page.cookies  # nothing of the person's in an answer a proxy may keep


def test_nothing_about_the_person_reaches_the_public_layout(rf):
    """The page is rendered as to a signed-out person whoever asks, so a cached copy can be
    handed to anyone."""
    from recovery.public.views import _public_page

    request = rf.get("/status/")
    request.user = object()  # anything: the layout must not look at it
    response = _public_page(request, title="T", body="<p>B</p>")

    assert isinstance(request.user, AnonymousUser)
    assert response.status_code == 200


def test_the_stage_dates_from_the_start_of_its_latest_run():
    from recovery.public.queries import stage_since

    d = datetime.date
    history = [  # newest first, as the query gives it
        (1, 3, d(2026, 4, 1)),
        (1, 3, d(2026, 3, 2)),
        (1, 4, d(2026, 1, 5)),
        (1, 3, d(2025, 6, 1)),
        (2, 5, d(2025, 7, 1)),
    ]

    assert stage_since(history) == {1: d(2026, 3, 2), 2: d(2025, 7, 1)}

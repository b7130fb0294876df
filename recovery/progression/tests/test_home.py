"""Home pages that say what to do: each prison role sees where it stands and what waits for it,
only within its scope, each item linking to where it is done, in a number of queries that does
not grow with the number of establishments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recovery.core.constants import Role
from recovery.estate.factories import EstablishmentFactory
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.constants import ChangeStatus, ReviewStatus, Step
from recovery.progression.models import SignOff
from recovery.progression.tests.builders import (
    assessment,
    at_stage,
    days_ago,
    moment,
    outbreak,
    review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edm(small_estate):
    return make_edm_version(901, [B("1.1", 3), B("1.2", 3), B("2.1", 2), B("2.2", 1)])


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def page_for(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- An establishment ------------------------------------------------------------------------


def test_governor_sees_stage_plan_assessment_and_outbreak_with_links(
    small_estate, edm, person_with_role, signed_in
):
    site = small_estate.establishment_1
    at_stage(site, 4, since=60)
    at_stage(site, 5, since=2, status=ChangeStatus.TO_BE_RATIFIED, previous=4)
    plan = start_plan(site)
    answer(response_for(plan, "1.1"), status=ResponseStatus.MET)
    late = answer(response_for(plan, "1.2"), target_date=days_ago(10))
    returned = assessment(site, A.RETURNED, plan=plan)
    SignOff.objects.create(
        assessment=returned,
        step=Step.RETURNED,
        comments="Staffing figures are from October",
        by_name="Pat PGD",
    )
    outbreak(site, since=2)
    # Elsewhere: nothing of another establishment shows.
    other = small_estate.establishment_2
    at_stage(other, 3)
    assessment(other, A.AWAITING_PANEL)

    page = page_for(signed_in(person_with_role(Role.GOVERNOR)))

    assert "Stage 5: Lockdown" in page and "To be ratified" in page
    assert f"since {days_ago(2):%-d %B %Y}" in page
    assert "/progression/EST1/" in page
    # Plan: weights 3+3+2+1 = 9, one weighting-3 baseline met: 3 of 9 is 33%.
    assert "33% of its weight met" in page
    assert "/plans/EST1/?stage=3" in page
    assert f"/plans/EST1/answer/?response={late.pk}" in page
    assert f"due {days_ago(10):%-d %B %Y}" in page
    # The assessment, where it waits and the comment it came back with.
    assert "Returned to the establishment" in page
    assert "Staffing figures are from October" in page and "Pat PGD" in page
    assert f"/progression/assessments/{returned.pk}/" in page
    assert f"In outbreak since {days_ago(2):%-d %B %Y}" in page
    assert "/covid/EST1/" in page
    assert "HMP Birchwood" not in page
    assert "Awaiting national decision" not in page


def test_governor_sees_a_proposed_emergency_move(small_estate, edm, person_with_role, signed_in):
    site = small_estate.establishment_1
    at_stage(site, 3, since=90)
    at_stage(site, 4, since=1, status=ChangeStatus.PROPOSED, previous=3)
    page = page_for(signed_in(person_with_role(Role.ESTABLISHMENT_EDITOR)))
    assert "Stage 3: Reduce" in page  # a proposal is not in effect
    assert "Proposed emergency move" in page and "Back to stage 4" in page
    assert "Not started yet" in page and "/plans/EST1/" in page  # no plan yet


def test_an_establishment_with_no_assessment_on_its_way_is_told_what_to_ask_for(
    small_estate, edm, person_with_role, signed_in
):
    site = small_estate.establishment_1
    at_stage(site, 4)
    assessment(site, A.REJECTED)
    page = page_for(signed_in(person_with_role(Role.GOVERNOR)))
    assert "Rejected" in page
    assert "When HMP Ashgrove is ready for stage 3" in page


def test_an_assessment_on_its_way_needs_no_prompt(small_estate, edm, person_with_role, signed_in):
    site = small_estate.establishment_1
    at_stage(site, 4)
    assessment(site, A.AWAITING_PGD)
    page = page_for(signed_in(person_with_role(Role.GOVERNOR)))
    assert "Awaiting PGD endorsement" in page
    assert "start a readiness assessment" not in page


def test_establishment_with_nothing_recorded_says_so(small_estate, person_with_role, signed_in):
    page = page_for(signed_in(person_with_role(Role.GOVERNOR)))
    assert "No stage recorded yet" in page
    assert "None started" in page
    assert "In outbreak" not in page


# --- A trade union representative ------------------------------------------------------------


def test_union_rep_sees_only_their_establishments_consultations(
    small_estate, edm, person_with_role, signed_in
):
    waiting = assessment(small_estate.establishment_1, A.AWAITING_UNION, waiting_days=4)
    elsewhere = assessment(small_estate.establishment_2, A.AWAITING_UNION)
    page = page_for(signed_in(person_with_role(Role.TRADE_UNION_REP)))
    assert "Consultations waiting for you" in page
    assert f"/progression/assessments/{waiting.pk}/" in page
    assert f"waiting since {moment(4):%-d %B %Y}" in page
    assert f"/progression/assessments/{elsewhere.pk}/" not in page


def test_union_rep_is_told_when_nothing_waits(small_estate, edm, person_with_role, signed_in):
    assessment(small_estate.establishment_1, A.AWAITING_PGD)
    page = page_for(signed_in(person_with_role(Role.TRADE_UNION_REP)))
    assert "No readiness assessment is waiting for the union" in page
    assert "/progression/assessments/" not in page


# --- A PGD -----------------------------------------------------------------------------------


@pytest.fixture
def group_picture(small_estate, edm):
    """Group 1: Ashgrove at stage 4 in outbreak, awaiting its PGD, a move proposed and a report
    to forward; Cedarfield at stage 3 with no plan. Group 2's Birchwood has the same waiting."""
    ashgrove = small_estate.establishment_1
    cedarfield = EstablishmentFactory(
        parent=small_estate.group_1, code="EST3", name="HMP Cedarfield"
    )
    birchwood = small_estate.establishment_2
    at_stage(ashgrove, 4)
    at_stage(cedarfield, 3)
    plan = start_plan(ashgrove)
    answer(response_for(plan, "1.1"), status=ResponseStatus.MET)
    answer(response_for(plan, "1.2"), status=ResponseStatus.MET)  # 6 of 9: 67%
    outbreak(ashgrove)
    mine = assessment(ashgrove, A.AWAITING_PGD, plan=plan)
    proposed = at_stage(ashgrove, 5, since=1, status=ChangeStatus.PROPOSED, previous=4)
    reported = review(ashgrove, ReviewStatus.REPORTED)
    review(cedarfield, ReviewStatus.FORWARDED)
    at_stage(birchwood, 4)
    theirs = assessment(birchwood, A.AWAITING_PGD)
    at_stage(birchwood, 5, since=1, status=ChangeStatus.PROPOSED, previous=4)
    review(birchwood, ReviewStatus.REPORTED)
    return {"mine": mine, "theirs": theirs, "proposed": proposed, "reported": reported}


def test_pgd_sees_their_prisons_and_what_waits_for_them(group_picture, person_with_role, signed_in):
    page = page_for(signed_in(person_with_role(Role.PGD)))
    assert "Waiting for you" in page
    assert f"/progression/assessments/{group_picture['mine'].pk}/" in page
    assert "HMP Ashgrove: back to stage 5" in page
    assert "HMP Ashgrove: progress at stage 3" in page
    assert "HMP Cedarfield: progress at stage 3" not in page  # already forwarded
    # The table: both prisons of the group, with stage, progress, outbreak and assessment.
    assert "HMP Ashgrove" in page and "HMP Cedarfield" in page
    assert "67%" in page and "No plan" in page
    assert "2 establishments, 1 in outbreak" in page
    assert "Awaiting PGD endorsement" in page
    assert "/progression/EST1/" in page and "/progression/EST3/" in page
    assert "/progression/group/GRP1/" in page
    # Never another group's.
    assert "HMP Birchwood" not in page
    assert f"/progression/assessments/{group_picture['theirs'].pk}/" not in page


def test_a_pgd_of_two_groups_sees_the_one_they_are_working_in(
    group_picture, small_estate, person_with_role, signed_in
):
    from recovery.accounts.factories import RoleAssignmentFactory
    from recovery.core.context_processors import CURRENT_SCOPE_SESSION_KEY

    person = person_with_role(Role.PGD)
    second = RoleAssignmentFactory(user=person, role=Role.PGD, unit=small_estate.group_2)
    client = signed_in(person)
    session = client.session
    session[CURRENT_SCOPE_SESSION_KEY] = second.pk
    session.save()
    page = page_for(client)
    assert f"/progression/assessments/{group_picture['theirs'].pk}/" in page
    assert f"/progression/assessments/{group_picture['mine'].pk}/" not in page
    assert "HMP Ashgrove" not in page


def test_a_viewer_of_a_group_sees_the_table_but_no_to_do_list(
    group_picture, small_estate, person_with_role, signed_in
):
    page = page_for(signed_in(person_with_role(Role.VIEWER, small_estate.group_1)))
    assert "HMP Ashgrove" in page and "67%" in page
    assert "Waiting for you" not in page
    assert "HMP Birchwood" not in page


# --- The centre ------------------------------------------------------------------------------


def test_central_panel_sees_the_national_picture_and_its_queue(
    small_estate, edm, person_with_role, signed_in
):
    ashgrove, birchwood = small_estate.establishment_1, small_estate.establishment_2
    cedarfield = EstablishmentFactory(
        parent=small_estate.group_1, code="EST3", name="HMP Cedarfield"
    )
    at_stage(ashgrove, 4)
    at_stage(birchwood, 4)
    at_stage(cedarfield, 3, since=100)
    at_stage(cedarfield, 4, since=3, status=ChangeStatus.TO_BE_RATIFIED, previous=3)
    outbreak(cedarfield)
    newer = assessment(ashgrove, A.AWAITING_PANEL, waiting_days=2)
    older = assessment(birchwood, A.DEFERRED, waiting_days=20)
    review(ashgrove, ReviewStatus.FORWARDED)

    page = page_for(signed_in(person_with_role(Role.CENTRAL_PANEL)))

    assert "3 open establishments; <strong>1 in outbreak</strong>" in page
    # Stage 4: all three (Cedarfield's move to 4 is in effect, to be ratified).
    stage_rows = page.split("Establishments at each stage")[1].split("</table>")[0]
    assert 'Restrict</th><td class="govuk-table__cell govuk-table__cell--numeric">3<' in (
        stage_rows
    )
    assert 'Reduce</th><td class="govuk-table__cell govuk-table__cell--numeric">0<' in (stage_rows)
    assert "Waiting for your decision" in page
    queue = page.split("The panel queue, oldest first")[1]
    assert queue.index(f"/progression/assessments/{older.pk}/") < queue.index(
        f"/progression/assessments/{newer.pk}/"
    )
    assert "Deferred" in queue
    assert "Moves to be ratified" in page and "HMP Cedarfield: stage 4" in page
    assert "Progress reviews forwarded to the centre" in page
    assert "/progression/panel/" in page and "/progression/national/" in page


def test_a_national_viewer_sees_the_picture_as_the_panels_queue(
    small_estate, edm, person_with_role, signed_in
):
    assessment(small_estate.establishment_1, A.AWAITING_PANEL)
    page = page_for(signed_in(person_with_role(Role.VIEWER)))
    assert "Waiting for the national panel" in page
    assert "Waiting for your decision" not in page
    assert "HMP Ashgrove" in page


# --- Queries that do not grow with the estate ------------------------------------------------


def _populate(group, count: int, start: int) -> None:
    """`count` establishments in `group`, each with a stage, a plan, an outbreak, an assessment
    waiting for its PGD, a proposed move and a progress report."""
    for n in range(start, start + count):
        site = EstablishmentFactory(parent=group, code=f"Q{n:03d}", name=f"HMP Quarry {n}")
        at_stage(site, 4)
        plan = start_plan(site)
        answer(response_for(plan, "1.1"), status=ResponseStatus.MET)
        outbreak(site)
        assessment(site, [A.AWAITING_PGD, A.AWAITING_PANEL, A.DEFERRED][n % 3], plan=plan)
        at_stage(site, 5, since=1, status=ChangeStatus.PROPOSED, previous=4)
        review(site, [ReviewStatus.REPORTED, ReviewStatus.FORWARDED][n % 2])


def _queries_of_home(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", [Role.PGD, Role.CENTRAL_PANEL, Role.GOVERNOR, Role.VIEWER])
def test_home_queries_do_not_grow_with_the_establishments(
    small_estate, edm, person_with_role, signed_in, role
):
    client = signed_in(person_with_role(role))
    _populate(small_estate.group_1, 3, start=0)
    page_for(client)  # warm the session and caches the same way for both counts
    few = _queries_of_home(client)
    _populate(small_estate.group_1, 27, start=3)
    many = _queries_of_home(client)
    assert many == few
    assert few <= 16

"""The estate pages as a person uses them: what each role sees, what stays hidden, sorting,
filtering, spreadsheet exports, editing and history."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.testing import form_as_shown
from recovery.core.xlsx import XLSX_CONTENT_TYPE
from recovery.estate.actions import do_update_establishment, do_update_office
from recovery.estate.constants import EstablishmentType, Operator
from recovery.estate.factories import EstablishmentFactory, OfficeFactory
from recovery.estate.models import Establishment, ProbationOffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def text_of(response) -> str:
    return response.content.decode()


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


# --- Home -----------------------------------------------------------------------------------


def test_governor_home_shows_their_establishment_key_facts(
    small_estate, person_with_role, signed_in
):
    client = signed_in(person_with_role(Role.GOVERNOR))
    page = text_of(client.get("/"))
    assert "HMP Ashgrove" in page
    assert "Category C training" in page
    assert "92% of operational capacity" in page  # 550 of 600
    assert "/estate/establishments/EST1/edit/" in page
    assert "HMP Birchwood" not in page


def test_trade_union_rep_home_has_no_edit_link(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.TRADE_UNION_REP))
    page = text_of(client.get("/"))
    assert "HMP Ashgrove" in page
    assert "/edit/" not in page


def test_pgd_home_shows_their_group_and_links_to_its_estate(
    small_estate, person_with_role, signed_in
):
    """The PGD's home lists the group's prisons by stage (recovery/progression/tests/
    test_home.py); capacity and population are one link away, on the group's estate page."""
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="EST3",
        name="HMP Cedarfield",
        operational_capacity=400,
        population=380,
    )
    client = signed_in(person_with_role(Role.PGD))
    page = text_of(client.get("/"))
    assert "Northern Fells group" in page
    assert "HMP Ashgrove" in page and "HMP Cedarfield" in page
    assert "HMP Birchwood" not in page
    assert "/estate/groups/GRP1/" in page


def test_central_panel_home_shows_the_nation(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))
    page = text_of(client.get("/"))
    assert "Northern Fells group" in page and "Southern Downs group" in page
    assert "Establishments by type" in page
    assert "1,200" in page  # two establishments of 600
    assert "/estate/" in page
    assert "Manage users" not in page


def test_administrator_home_adds_administration_links(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.ADMINISTRATOR))
    page = text_of(client.get("/"))
    assert "Manage users" in page and "/manage/users/" in page
    assert "Load the estate" in page and "/estate/import/" in page
    assert "Audit trail" in page and "/audit/" in page


def test_pdu_head_home_shows_offices_rooms_and_hours(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    page = text_of(client.get("/"))
    assert "Eastmoor Road office" in page
    assert "09:00 to 17:00" in page
    assert "Westvale Street office" not in page


def test_probation_region_home_shows_its_pdus(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PROBATION_REGION))
    page = text_of(client.get("/"))
    assert "Eastmoor PDU" in page
    assert "Westvale PDU" not in page


def test_probation_centre_home_shows_the_regions(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PROBATION_CENTRE))
    page = text_of(client.get("/"))
    assert "Wolds region" in page and "Marches region" in page
    assert "HMP Ashgrove" not in page


def test_person_with_no_role_is_told_whom_to_ask(small_estate, person_with_role, signed_in):
    person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    from recovery.accounts.factories import UserFactory

    client = signed_in(UserFactory())
    page = text_of(client.get("/"))
    assert "You do not have access yet" in page
    assert "Ada Admin" in page
    assert "HMP Ashgrove" not in page


def test_home_page_uses_the_organisation_the_person_chose(
    small_estate, person_with_role, signed_in
):
    from recovery.accounts.factories import RoleAssignmentFactory
    from recovery.core.context_processors import CURRENT_SCOPE_SESSION_KEY

    person = person_with_role(Role.GOVERNOR)
    second = RoleAssignmentFactory(
        user=person, role=Role.GOVERNOR, unit=small_estate.establishment_2
    )
    client = signed_in(person)
    session = client.session
    session[CURRENT_SCOPE_SESSION_KEY] = second.pk
    session.save()
    page = text_of(client.get("/"))
    assert '<h1 class="govuk-heading-l">HMP Birchwood</h1>' in page


# --- National and group pages ----------------------------------------------------------------


def test_nation_page_lists_groups_with_counts(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.VIEWER))
    response = client.get("/estate/")
    page = text_of(response)
    assert response.status_code == 200
    assert "National prison estate" in page
    assert "Northern Fells group" in page and "Southern Downs group" in page
    assert "Category C training" in page


@pytest.mark.parametrize("role", [Role.PGD, Role.GOVERNOR])
def test_nation_page_is_hidden_below_the_nation(small_estate, person_with_role, signed_in, role):
    response = signed_in(person_with_role(role)).get("/estate/")
    assert response.status_code == 404
    assert "Southern Downs group" not in text_of(response)


def test_nation_groups_table_sorts_and_exports(small_estate, person_with_role, signed_in):
    EstablishmentFactory(parent=small_estate.group_2, code="EST3", name="HMP Cedarfield")
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))
    page = text_of(client.get("/estate/?sort=establishments&dir=desc"))
    assert page.index("Southern Downs group") < page.index("Northern Fells group")
    rows = sheet_rows(client.get("/estate/?sort=establishments&dir=desc&format=xlsx"))
    assert rows[0][:3] == ("Code", "Prison group", "Establishments")
    assert [r[1] for r in rows[1:]] == ["Southern Downs group", "Northern Fells group"]
    assert rows[1][2] == 2


def test_group_page_for_pgd_in_scope(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    response = client.get("/estate/groups/GRP1/")
    page = text_of(response)
    assert response.status_code == 200
    assert "HMP Ashgrove" in page
    # A PGD may not open the national page, so the breadcrumbs do not offer it.
    assert 'href="/estate/"' not in page


def test_group_page_out_of_scope_is_404(small_estate, person_with_role, signed_in):
    response = signed_in(person_with_role(Role.PGD)).get("/estate/groups/GRP2/")
    assert response.status_code == 404
    assert "HMP Birchwood" not in text_of(response)


def test_group_page_exports_its_establishments(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    rows = sheet_rows(client.get("/estate/groups/GRP1/?format=xlsx"))
    assert rows[0][0] == "Code"
    assert rows[1][:3] == ("EST1", "HMP Ashgrove", "Northern Fells group")
    assert len(rows) == 2


def test_establishment_page_for_governor(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    response = client.get("/estate/establishments/EST1/")
    page = text_of(response)
    assert response.status_code == 200
    assert "govuk-summary-list" in page and "Category C training" in page
    assert "/estate/establishments/EST1/edit/" in page
    assert "/estate/units/EST1/history/" in page
    assert "/estate/groups/GRP1/" not in page  # the governor cannot open the group


def test_establishment_page_breadcrumbs_for_central_panel(
    small_estate, person_with_role, signed_in
):
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))
    page = text_of(client.get("/estate/establishments/EST2/"))
    assert 'href="/estate/"' in page and 'href="/estate/groups/GRP2/"' in page
    # The central panel reads the estate but does not correct it.
    assert "/estate/establishments/EST2/edit/" not in page


def test_establishment_out_of_scope_is_404(small_estate, person_with_role, signed_in):
    response = signed_in(person_with_role(Role.GOVERNOR)).get("/estate/establishments/EST2/")
    assert response.status_code == 404
    assert "HMP Birchwood" not in text_of(response)


def test_unknown_establishment_is_404(small_estate, person_with_role, signed_in):
    response = signed_in(person_with_role(Role.ADMINISTRATOR)).get("/estate/establishments/NOPE/")
    assert response.status_code == 404


def test_probation_person_cannot_see_prison_pages(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PROBATION_CENTRE))
    assert client.get("/estate/establishments/").status_code == 403
    assert client.get("/estate/establishments/EST1/").status_code == 404
    assert client.get("/estate/").status_code == 404


# --- Establishments list: sorting, filtering, export -----------------------------------------


@pytest.fixture
def varied_estate(small_estate):
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="EST3",
        name="HMP Cedarfield",
        establishment_type=EstablishmentType.LOCAL,
        operator=Operator.PRIVATE,
        operational_capacity=1000,
        population=990,
    )
    EstablishmentFactory(
        parent=small_estate.group_2,
        code="EST4",
        name="HMYOI Dunmoor",
        establishment_type=EstablishmentType.YOI,
        operational_capacity=300,
        population=120,
    )
    return small_estate


def names_in_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


ALL_NAMES = ["HMP Ashgrove", "HMP Birchwood", "HMP Cedarfield", "HMYOI Dunmoor"]


def test_list_shows_only_establishments_in_scope(varied_estate, person_with_role, signed_in):
    page = text_of(signed_in(person_with_role(Role.PGD)).get("/estate/establishments/"))
    assert "HMP Ashgrove" in page and "HMP Cedarfield" in page
    assert "HMP Birchwood" not in page and "HMYOI Dunmoor" not in page


def test_list_sorts_by_the_chosen_column(varied_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.VIEWER))
    by_name = text_of(client.get("/estate/establishments/"))
    assert names_in_order(by_name, ALL_NAMES) == ALL_NAMES
    by_capacity = text_of(client.get("/estate/establishments/?sort=capacity&dir=desc"))
    assert names_in_order(by_capacity, ALL_NAMES) == [
        "HMP Cedarfield",
        "HMP Ashgrove",
        "HMP Birchwood",
        "HMYOI Dunmoor",
    ]
    assert 'aria-sort="descending"' in by_capacity
    assert "sort=capacity&amp;dir=asc" in by_capacity  # the header link flips the direction


def test_list_filters_by_type_operator_group_and_text(varied_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.VIEWER))
    page = text_of(client.get("/estate/establishments/?operator=private"))
    assert "HMP Cedarfield" in page
    assert "HMP Ashgrove" not in page and "HMYOI Dunmoor" not in page
    assert "Selected filters" in page and "Remove this filter" in page

    page = text_of(client.get("/estate/establishments/?type=yoi&type=local"))
    assert "HMP Cedarfield" in page and "HMYOI Dunmoor" in page
    assert "HMP Ashgrove" not in page

    page = text_of(client.get("/estate/establishments/?group=GRP2"))
    assert "HMP Birchwood" in page and "HMYOI Dunmoor" in page
    assert "HMP Cedarfield" not in page

    page = text_of(client.get("/estate/establishments/?q=dunm"))
    assert "HMYOI Dunmoor" in page and "HMP Birchwood" not in page
    page = text_of(client.get("/estate/establishments/?q=EST2"))
    assert "HMP Birchwood" in page and "HMYOI Dunmoor" not in page


def test_list_ignores_filter_values_it_does_not_offer(varied_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    # GRP2 is outside the PGD's scope: choosing it shows nothing of GRP2 and filters nothing.
    page = text_of(client.get("/estate/establishments/?group=GRP2"))
    assert "HMP Birchwood" not in page
    assert "HMP Ashgrove" in page


def test_list_export_has_exactly_the_filtered_sorted_rows(
    varied_estate, person_with_role, signed_in
):
    client = signed_in(person_with_role(Role.VIEWER))
    rows = sheet_rows(
        client.get(
            "/estate/establishments/?type=cat_c&type=yoi&sort=population&dir=asc&format=xlsx"
        )
    )
    assert rows[0] == (
        "Code",
        "Name",
        "Prison group",
        "Status",
        "Type",
        "Categories",
        "Public or private",
        "Operational capacity",
        "Population",
        "Occupancy (%)",
    )
    assert [r[1] for r in rows[1:]] == ["HMYOI Dunmoor", "HMP Ashgrove", "HMP Birchwood"]
    assert rows[1][3] == "Open"
    assert rows[1][8] == 120 and rows[1][9] == 40


def test_list_export_keeps_to_scope(varied_estate, person_with_role, signed_in):
    rows = sheet_rows(
        signed_in(person_with_role(Role.GOVERNOR)).get("/estate/establishments/?format=xlsx")
    )
    assert [r[0] for r in rows[1:]] == ["EST1"]


# --- Editing ---------------------------------------------------------------------------------


def establishment_form(est: Establishment, **changes) -> dict:
    data = {
        "version": est.version,
        "name": est.name,
        "status": est.status,
        "establishment_type": est.establishment_type,
        "categories": est.categories,
        "operator": est.operator,
        "operational_capacity": est.operational_capacity,
        "population": est.population,
    }
    data.update(changes)
    return data


def test_governor_edits_population_and_it_is_audited(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = small_estate.establishment_1
    form_page = text_of(client.get("/estate/establishments/EST1/edit/"))
    assert 'name="version" value="1"' in form_page
    response = client.post(
        "/estate/establishments/EST1/edit/", establishment_form(est, population=575), follow=True
    )
    assert response.redirect_chain[-1][0] == "/estate/establishments/EST1/"
    assert "The details of HMP Ashgrove have been saved." in text_of(response)
    est.refresh_from_db()
    assert est.population == 575 and est.version == 2
    event = AuditEvent.objects.get(action="estate.update_establishment")
    assert event.before == {"population": 550} and event.after == {"population": 575}
    history = text_of(client.get("/estate/units/EST1/history/"))
    assert "Changed population of HMP Ashgrove" in history
    assert "550" in history and "575" in history


def test_stale_edit_is_refused_with_what_changed(small_estate, person_with_role, signed_in):
    governor = person_with_role(Role.GOVERNOR)
    other = person_with_role(Role.GOVERNOR, first_name="Olu", last_name="Other")
    est = small_estate.establishment_1
    opened = establishment_form(est)
    do_update_establishment(
        Establishment.objects.get(pk=est.pk),
        expected_version=1,
        changes={"population": 560},
        acting_user=other,
    )
    client = signed_in(governor)
    response = client.post(
        "/estate/establishments/EST1/edit/", {**opened, "operational_capacity": "650"}
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "HMP Ashgrove was changed by Olu Other while you were editing it." in page
    assert "Population" in page and "560" in page
    assert 'name="operational_capacity" type="text" inputmode="numeric" value="650"' in page
    # The field they did not touch shows the other person's value, so sending the form again
    # keeps both changes.
    assert 'name="population" type="text" inputmode="numeric" value="560"' in page
    assert 'name="version" value="2"' in page
    est.refresh_from_db()
    assert est.operational_capacity == 600 and est.population == 560

    client.post(
        "/estate/establishments/EST1/edit/",
        establishment_form(est, **{"operational_capacity": "650", "version": "2"}),
    )
    est.refresh_from_db()
    assert est.operational_capacity == 650 and est.population == 560


def test_stale_edit_of_the_same_field_keeps_the_persons_value(
    small_estate, person_with_role, signed_in
):
    est = small_estate.establishment_1
    opened = establishment_form(est)
    do_update_establishment(
        Establishment.objects.get(pk=est.pk),
        expected_version=1,
        changes={"population": 560},
        acting_user=person_with_role(Role.ADMINISTRATOR),
    )
    page = text_of(
        signed_in(person_with_role(Role.GOVERNOR)).post(
            "/estate/establishments/EST1/edit/", {**opened, "population": "590"}
        )
    )
    assert 'name="population" type="text" inputmode="numeric" value="590"' in page
    assert "Your changes have not been saved" in page
    est.refresh_from_db()
    assert est.population == 560


def test_after_a_stale_refusal_the_form_sent_as_shown_writes_only_the_persons_change(
    small_estate, person_with_role, signed_in
):
    client = signed_in(person_with_role(Role.GOVERNOR))
    opened = form_as_shown(client.get("/estate/establishments/EST1/edit/").content)
    do_update_establishment(
        Establishment.objects.get(pk=small_estate.establishment_1.pk),
        expected_version=1,
        changes={"population": 560, "categories": ["A"]},
        acting_user=person_with_role(Role.ADMINISTRATOR),
    )

    refused = client.post("/estate/establishments/EST1/edit/", {**opened, "name": "HMP Ash"})

    shown = form_as_shown(refused.content)
    assert shown["name"] == "HMP Ash"
    assert (shown["population"], shown["categories"]) == ("560", "A")
    client.post("/estate/establishments/EST1/edit/", shown)
    est = Establishment.objects.get(pk=small_estate.establishment_1.pk)
    assert (est.name, est.population, est.categories) == ("HMP Ash", 560, ["A"])


def test_edit_shows_bad_input_against_its_field(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = small_estate.establishment_1
    response = client.post(
        "/estate/establishments/EST1/edit/",
        establishment_form(est, operational_capacity="0", population="lots"),
    )
    page = text_of(response)
    assert "Operational capacity must be 1 or more" in page
    assert "Population must be a whole number, like 550" in page
    assert 'href="#id_operational_capacity"' in page
    assert "<title>Error:" in page
    est.refresh_from_db()
    assert est.operational_capacity == 600 and est.population == 550


def test_edit_shows_domain_error_against_its_field(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = small_estate.establishment_1
    response = client.post(
        "/estate/establishments/EST1/edit/", establishment_form(est, categories=["B", "X"])
    )
    assert "Select categories from the list" in text_of(response)


@pytest.mark.parametrize(
    "role, code",
    [
        (Role.GOVERNOR, "EST2"),  # out of scope
        (Role.TRADE_UNION_REP, "EST1"),  # in scope, may not change it
        (Role.PGD, "EST1"),
        (Role.CENTRAL_PANEL, "EST1"),
    ],
)
def test_edit_is_404_without_the_change_permission(
    small_estate, person_with_role, signed_in, role, code
):
    client = signed_in(person_with_role(role))
    assert client.get(f"/estate/establishments/{code}/edit/").status_code == 404
    est = Establishment.objects.get(code=code)
    response = client.post(
        f"/estate/establishments/{code}/edit/", establishment_form(est, population=1)
    )
    assert response.status_code == 404
    est.refresh_from_db()
    assert est.population == 550


def office_form(office: ProbationOffice, **changes) -> dict:
    data = {
        "version": office.version,
        "name": office.name,
        "interview_rooms": office.interview_rooms,
        "opens_at": f"{office.opens_at:%H:%M}",
        "closes_at": f"{office.closes_at:%H:%M}",
        "days_open": office.days_open,
    }
    data.update(changes)
    return data


def test_pdu_head_edits_office_hours(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    office = small_estate.office_1
    assert 'value="09:00"' in text_of(client.get("/estate/probation/offices/OFF1/edit/"))
    response = client.post(
        "/estate/probation/offices/OFF1/edit/",
        office_form(office, closes_at="19:30", interview_rooms="8"),
        follow=True,
    )
    assert "The details of Eastmoor Road office have been saved." in text_of(response)
    office.refresh_from_db()
    assert office.closes_at == datetime.time(19, 30) and office.interview_rooms == 8
    assert AuditEvent.objects.filter(action="estate.update_office").count() == 1


def test_office_edit_refuses_closing_before_opening(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    office = small_estate.office_1
    response = client.post(
        "/estate/probation/offices/OFF1/edit/", office_form(office, closes_at="08:00")
    )
    assert "The closing time must be after the opening time" in text_of(response)
    office.refresh_from_db()
    assert office.closes_at == datetime.time(17, 0)


def test_office_stale_edit_is_refused(small_estate, person_with_role, signed_in):
    head = person_with_role(Role.PDU_HEAD)
    office = small_estate.office_1
    opened = office_form(office)
    do_update_office(
        ProbationOffice.objects.get(pk=office.pk),
        expected_version=1,
        changes={"interview_rooms": 2},
        acting_user=person_with_role(Role.ADMINISTRATOR),
    )
    response = signed_in(head).post(
        "/estate/probation/offices/OFF1/edit/", {**opened, "days_open": "6"}
    )
    page = text_of(response)
    assert "Your changes have not been saved" in page
    assert "Interview rooms" in page
    assert 'name="interview_rooms" type="text" inputmode="numeric" value="2"' in page
    assert 'name="days_open" type="text" inputmode="numeric" value="6"' in page
    assert 'name="opens_at" type="text" value="09:00"' in page
    office.refresh_from_db()
    assert office.days_open == 5 and office.interview_rooms == 2


def test_office_edit_out_of_scope_is_404(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    assert client.get("/estate/probation/offices/OFF2/edit/").status_code == 404


# --- Probation pages -------------------------------------------------------------------------


def test_probation_nation_counts_pdus_and_offices(small_estate, person_with_role, signed_in):
    OfficeFactory(parent=small_estate.pdu_1, code="OFF3", name="Eastmoor Market office")
    client = signed_in(person_with_role(Role.PROBATION_CENTRE))
    page = text_of(client.get("/estate/probation/"))
    assert "Wolds region" in page and "Marches region" in page
    rows = sheet_rows(client.get("/estate/probation/?format=xlsx"))
    assert rows[0] == ("Code", "Region", "PDUs", "Offices", "Interview rooms")
    assert ("REG1", "Wolds region", 1, 2, 12) in rows


@pytest.mark.parametrize("role", [Role.PROBATION_REGION, Role.PDU_HEAD])
def test_probation_nation_is_404_below_the_nation(small_estate, person_with_role, signed_in, role):
    response = signed_in(person_with_role(role)).get("/estate/probation/")
    assert response.status_code == 404
    assert "Marches region" not in text_of(response)


def test_region_page_in_and_out_of_scope(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PROBATION_REGION))
    page = text_of(client.get("/estate/probation/regions/REG1/"))
    assert "Eastmoor PDU" in page
    rows = sheet_rows(client.get("/estate/probation/regions/REG1/?format=xlsx"))
    assert rows[1] == ("PDU1", "Eastmoor PDU", 1, 6)
    response = client.get("/estate/probation/regions/REG2/")
    assert response.status_code == 404 and "Westvale PDU" not in text_of(response)


def test_pdu_page_lists_offices_and_exports(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    page = text_of(client.get("/estate/probation/pdus/PDU1/"))
    assert "Eastmoor Road office" in page and "09:00 to 17:00" in page
    rows = sheet_rows(client.get("/estate/probation/pdus/PDU1/?format=xlsx"))
    assert rows[1] == ("OFF1", "Eastmoor Road office", 6, "09:00 to 17:00", 5, 40)
    assert client.get("/estate/probation/pdus/PDU2/").status_code == 404


def test_office_page_in_and_out_of_scope(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PDU_HEAD))
    page = text_of(client.get("/estate/probation/offices/OFF1/"))
    assert "09:00 to 17:00, 5 days a week" in page
    assert "/estate/probation/offices/OFF1/edit/" in page
    assert 'href="/estate/probation/pdus/PDU1/"' in page
    assert 'href="/estate/probation/regions/REG1/"' not in page
    response = client.get("/estate/probation/offices/OFF2/")
    assert response.status_code == 404 and "Westvale" not in text_of(response)


def test_prison_person_cannot_see_probation_pages(small_estate, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))
    assert client.get("/estate/probation/").status_code == 404
    assert client.get("/estate/probation/offices/OFF1/").status_code == 404


# --- History ---------------------------------------------------------------------------------


def test_history_is_visible_where_the_unit_is(small_estate, person_with_role, signed_in):
    admin = person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    do_update_establishment(
        Establishment.objects.get(code="EST2"),
        expected_version=1,
        changes={"name": "HMP Birchwood Park"},
        acting_user=admin,
    )
    do_update_office(
        ProbationOffice.objects.get(code="OFF1"),
        expected_version=1,
        changes={"days_open": 6},
        acting_user=admin,
    )
    page = text_of(signed_in(admin).get("/estate/units/EST2/history/"))
    assert "Ada Admin" in page and "HMP Birchwood Park" in page and "Name" in page

    governor_client = signed_in(person_with_role(Role.GOVERNOR))
    response = governor_client.get("/estate/units/EST2/history/")
    assert response.status_code == 404 and "Birchwood" not in text_of(response)

    head_client = signed_in(person_with_role(Role.PDU_HEAD))
    page = text_of(head_client.get("/estate/units/OFF1/history/"))
    assert "Days open a week" in page and "Ada Admin" in page
    assert head_client.get("/estate/units/EST1/history/").status_code == 404


# --- Query counts ----------------------------------------------------------------------------


@pytest.fixture
def large_estate(small_estate):
    for n in range(30):
        EstablishmentFactory(
            parent=[small_estate.group_1, small_estate.group_2][n % 2],
            # Closed ones, several categories and unknown figures cost no extra query.
            status="closed" if n % 7 == 0 else "open",
            categories=["B", "C"] if n % 3 == 0 else ["C"],
            population=None if n % 5 == 0 else 500,
        )
    for _ in range(10):
        OfficeFactory(parent=small_estate.pdu_1)
    return small_estate


@pytest.mark.parametrize(
    "role, url",
    [
        # The prison roles' home pages: recovery/progression/tests/test_home.py counts them;
        # the probation roles': recovery/probation/tests/test_queries.py.
        (Role.ADMINISTRATOR, "/estate/"),
        (Role.ADMINISTRATOR, "/estate/?format=xlsx"),
        (Role.PGD, "/estate/groups/GRP1/"),
        (Role.VIEWER, "/estate/establishments/"),
        (Role.VIEWER, "/estate/establishments/?type=cat_c&sort=occupancy&format=xlsx"),
        (Role.VIEWER, "/estate/establishments/?include_closed=yes&category=B&sort=population"),
        (Role.GOVERNOR, "/estate/establishments/EST1/"),
        (Role.PROBATION_CENTRE, "/estate/probation/"),
        (Role.PDU_HEAD, "/estate/probation/pdus/PDU1/"),
        (Role.PROBATION_REGION, "/estate/probation/regions/REG1/"),
    ],
)
def test_pages_read_a_fixed_number_of_queries(
    large_estate, person_with_role, signed_in, django_assert_max_num_queries, role, url
):
    client = signed_in(person_with_role(role))
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "unit_name, sees, hidden",
    [
        ("group_1", "HMP Ashgrove", "HMP Birchwood"),
        ("region_1", "Eastmoor PDU", "Westvale PDU"),
    ],
)
def test_viewer_home_follows_where_the_role_is_held(
    small_estate, person_with_role, signed_in, unit_name, sees, hidden
):
    client = signed_in(person_with_role(Role.VIEWER, getattr(small_estate, unit_name)))
    page = text_of(client.get("/"))
    assert sees in page and hidden not in page

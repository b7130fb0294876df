"""The Covid controls pages as a person uses them: what they show, the forms, the refusals a
person reads with nothing saved, the stale edit refused and out-of-scope pages that say
nothing."""

import datetime

import pytest
from django.urls import reverse

from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.covid.actions import PpeCount, do_set_ppe_stock
from recovery.covid.factories import declare, ended, workbook
from recovery.covid.models import CovidControls, Outbreak, PpeStock

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def editor_client(client, person_with_role):
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Eda"))
    return client


def _url(name: str, code: str = "EST1") -> str:
    return reverse(f"covid:{name}", args=[code])


def test_the_controls_page_shows_the_outbreak_register_and_shortfalls(small_estate, editor_client):
    ashgrove = small_estate.establishment_1
    ended(ashgrove, D(2021, 1, 4), D(2021, 1, 25))
    declare(ashgrove, D(2021, 3, 1))
    do_set_ppe_stock(ashgrove, [PpeCount("gloves", 300, 500)], acting_user=TEST_DATA)

    page = editor_client.get(_url("controls")).content.decode()

    assert "HMP Ashgrove is in outbreak since 1 March 2021" in page
    assert "25 January 2021" in page
    assert "Short by 200" in page
    assert 'href="/covid/EST1/end/"' in page
    assert 'href="/covid/EST1/declare/"' not in page


def test_the_controls_page_says_who_changed_what(small_estate, editor_client, person_with_role):
    from recovery.covid.actions import do_declare_outbreak

    governor = person_with_role(Role.GOVERNOR, first_name="Gil", last_name="Governs")
    do_declare_outbreak(
        small_estate.establishment_1, declared_on=D(2021, 3, 1), acting_user=governor
    )

    page = editor_client.get(_url("controls")).content.decode()

    assert "Outbreak declared at HMP Ashgrove on 1 March 2021" in page
    assert "Gil Governs" in page


def test_a_reader_sees_the_controls_without_the_forms(small_estate, client, person_with_role):
    client.force_login(person_with_role(Role.TRADE_UNION_REP))

    page = client.get(_url("controls")).content.decode()

    assert "HMP Ashgrove is not in outbreak" in page
    assert "/covid/EST1/declare/" not in page
    assert "/covid/EST1/ppe/" not in page


def test_declaring_through_the_form(small_estate, editor_client):
    response = editor_client.post(
        _url("declare"),
        {"declared_day": "1", "declared_month": "3", "declared_year": "2021", "cases_staff": "2"},
        follow=True,
    )

    assert "An outbreak at HMP Ashgrove has been declared from 1 March 2021." in (
        response.content.decode()
    )
    assert Outbreak.objects.get().cases_staff == 2


def test_a_second_declaration_is_refused_with_a_message(small_estate, editor_client):
    declare(small_estate.establishment_1, D(2021, 3, 1))

    response = editor_client.post(
        _url("declare"), {"declared_day": "2", "declared_month": "3", "declared_year": "2021"}
    )

    assert response.status_code == 200
    assert "already in outbreak (declared on 1 March 2021)" in response.content.decode()
    assert Outbreak.objects.count() == 1


def test_an_end_before_the_declaration_is_a_field_error(small_estate, editor_client):
    outbreak = declare(small_estate.establishment_1, D(2021, 3, 1))

    response = editor_client.post(
        _url("end"), {"ended_day": "28", "ended_month": "2", "ended_year": "2021"}
    )

    body = response.content.decode()
    assert "The outbreak cannot end before it was declared (declared on 1 March 2021)" in body
    assert 'href="#id_ended_day"' in body
    assert Outbreak.objects.get(pk=outbreak.pk).ended_on is None


def test_coverage_over_100_is_a_field_error_and_nothing_is_saved(small_estate, editor_client):
    response = editor_client.post(
        _url("edit"),
        {"version": 1, "staff_tested_percent": "120", "contact_tracing_lead": "Kit"},
    )

    body = response.content.decode()
    assert "Staff tested must be a whole number from 0 to 100" in body
    assert 'href="#id_staff_tested_percent"' in body
    assert not CovidControls.objects.exists()


def test_a_stale_edit_of_the_controls_is_refused_and_shown(
    small_estate, editor_client, person_with_role
):
    from recovery.covid.actions import controls_of_establishment, do_update_controls

    opened = editor_client.get(_url("edit")).context["form"].initial
    do_update_controls(
        controls_of_establishment(small_estate.establishment_1),
        expected_version=1,
        changes={"staff_tested_percent": 70},
        acting_user=person_with_role(Role.GOVERNOR, first_name="Gil", last_name="Governs"),
    )

    response = editor_client.post(
        _url("edit"),
        {"version": opened["version"], "opened": opened["opened"], "staff_tested_percent": "90"},
    )

    body = response.content.decode()
    assert "Your changes have not been saved" in body
    assert "changed by Gil Governs" in body
    assert CovidControls.objects.get().staff_tested_percent == 70


def test_negative_stock_on_the_form_is_a_field_error(small_estate, editor_client):
    response = editor_client.post(
        _url("ppe"),
        {
            "gloves_in_stock": "-3",
            "gloves_needed": "10",
            "gloves_version": "0",
            "aprons_in_stock": "5",
            "aprons_needed": "5",
            "aprons_version": "0",
        },
    )

    assert "Disposable gloves (pairs) in stock cannot be negative" in response.content.decode()
    assert not PpeStock.objects.exists()


def test_stock_saved_through_the_form(small_estate, editor_client):
    editor_client.post(
        _url("ppe"),
        {"gloves_in_stock": "30", "gloves_needed": "50", "gloves_version": "0"},
    )

    assert PpeStock.objects.get().short_by == 20


def test_the_import_page_lists_problems_by_row_and_column(small_estate, editor_client):
    upload = workbook(
        {
            "PPE stock": [
                ["Establishment code", "Item", "In stock", "Needed"],
                ["EST1", "aprons", -1, 2],
            ]
        }
    )

    response = editor_client.post(_url("import"), {"file": upload})

    body = response.content.decode()
    assert "The file has 1 problem. Nothing has been changed." in body
    assert "The number cannot be negative" in body
    assert response.context["upload_problems"][0].row == 2
    assert response.context["upload_problems"][0].column == "In stock"


def test_the_import_template_downloads(small_estate, editor_client):
    response = editor_client.get(_url("import") + "?download=template")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('covid-controls-EST1.xlsx"')


@pytest.mark.parametrize("name", ["controls", "declare", "end", "edit", "ppe", "import"])
def test_an_establishment_out_of_scope_is_not_found(small_estate, editor_client, name):
    response = editor_client.get(_url(name, "EST2"))

    assert response.status_code == 404
    assert "HMP Birchwood" not in response.content.decode()


def test_the_establishment_and_plan_pages_link_to_the_controls(small_estate, editor_client):
    establishment = editor_client.get(reverse("estate:establishment", args=["EST1"]))
    plan = editor_client.get(reverse("plans:plan", args=["EST1"]))

    assert 'href="/covid/EST1/"' in establishment.content.decode()
    assert 'href="/covid/EST1/"' in plan.content.decode()


def test_a_national_viewer_gets_the_link_too(small_estate, client, person_with_role):
    client.force_login(person_with_role(Role.VIEWER))
    assert (
        'href="/covid/EST1/"'
        in client.get(reverse("estate:establishment", args=["EST1"])).content.decode()
    )


def test_a_stale_stock_form_keeps_the_persons_figures_where_nobody_else_changed(
    small_estate, editor_client
):
    ashgrove = small_estate.establishment_1
    do_set_ppe_stock(ashgrove, [PpeCount("gloves", 300, 500, 0)], acting_user=TEST_DATA)

    response = editor_client.post(
        _url("ppe"),
        {
            "gloves_in_stock": "10",
            "gloves_needed": "500",
            "gloves_version": "0",  # opened before the gloves were counted
            "aprons_in_stock": "40",
            "aprons_needed": "60",
            "aprons_version": "0",
        },
    )

    form = response.context["form"]
    assert "Your changes have not been saved" in response.content.decode()
    assert (form["gloves_in_stock"].value(), form["gloves_version"].value()) == (300, 1)
    assert (form["aprons_in_stock"].value(), form["aprons_needed"].value()) == (40, 60)
    assert PpeStock.objects.get().in_stock == 300
    assert not PpeStock.objects.filter(item="aprons").exists()


def test_the_move_back_an_outbreak_proposes_links_to_the_stage_progression(
    small_estate, editor_client
):
    from recovery.covid.factories import at_stage

    at_stage(small_estate.establishment_1, 3)
    declare(small_estate.establishment_1, D(2021, 3, 1))

    page = editor_client.get(_url("controls")).content.decode()

    assert "A move back to stage 4 (Restrict) was proposed" in page
    assert 'href="/progression/EST1/#proposed"' in page

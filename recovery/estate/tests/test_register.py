"""The estate holds the real register: closed establishments, several categories, immigration
removal centres, and capacity or population that is not known."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from recovery.accounts.actions import do_create_api_token
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.estate.actions import do_update_establishment
from recovery.estate.constants import EstablishmentStatus, EstablishmentType
from recovery.estate.factories import EstablishmentFactory
from recovery.estate.models import Establishment
from recovery.estate.queries import establishment_rows, prison_summary, totals_of
from recovery.plans.factories import B, make_edm_version, start_plan


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def api_for(user):
    _, secret = do_create_api_token(name="Register check", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def register(small_estate):
    """Group 1 holds HMP Ashgrove (600/550), a closed prison (500/0), a "B, C" prison
    (1000/900) and an IRC whose population is not known (capacity 400); group 2 holds
    HMP Birchwood (600/550)."""
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="CLS",
        name="HMP Closedhurst",
        status=EstablishmentStatus.CLOSED,
        operational_capacity=500,
        population=0,
    )
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="TWO",
        name="HMP Twocats",
        categories=["B", "C"],
        operational_capacity=1000,
        population=900,
    )
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="IRC",
        name="Fenmarsh Immigration Removal Centre",
        establishment_type=EstablishmentType.IRC,
        categories=[],
        operational_capacity=400,
        population=None,
    )
    return small_estate


# --- Closed establishments ----------------------------------------------------------------------


def test_closed_establishment_leaves_national_counts_and_totals(register, person_with_role):
    centre = person_with_role(Role.CENTRAL_PANEL)
    summary = prison_summary(centre, register.nation)

    assert summary.totals.establishments == 4  # Ashgrove, Twocats, the IRC, Birchwood
    assert summary.totals.operational_capacity == 600 + 1000 + 400 + 600
    group_1 = next(g for g in summary.groups if g.code == "GRP1")
    assert group_1.establishments == 3
    assert dict(summary.by_type)["Category C training"] == 3  # not the closed one


def test_closed_establishment_is_not_on_default_pages(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))
    for url in ("/", "/estate/", "/estate/groups/GRP1/", "/estate/establishments/"):
        assert "HMP Closedhurst" not in page_of(client, url), url
    nation = page_of(client, "/estate/")
    assert "4 open" in nation


def test_closed_establishments_are_listed_on_request(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.VIEWER))

    page = page_of(client, "/estate/establishments/?include_closed=yes")

    assert "HMP Closedhurst" in page and "HMP Ashgrove" in page
    assert "Closed</strong>" in page
    assert "Closed establishments" in page  # the selected filter, which can be removed
    rows = {r.code: r.status for r in establishment_rows(person_with_role(Role.VIEWER))}
    assert "CLS" not in rows


def test_group_page_links_to_its_closed_establishments(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    page = page_of(client, "/estate/groups/GRP1/")
    assert "/estate/establishments/?group=GRP1&amp;include_closed=yes" in page


def test_closed_establishment_page_is_reachable_and_says_closed(
    register, person_with_role, signed_in
):
    client = signed_in(person_with_role(Role.PGD))
    page = page_of(client, "/estate/establishments/CLS/")
    assert '<h1 class="govuk-heading-l">HMP Closedhurst <strong class="govuk-tag' in page
    assert "This establishment is closed." in page


def test_closing_is_an_audited_edit(register, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    ashgrove = register.establishment_1

    changed = do_update_establishment(
        ashgrove,
        expected_version=ashgrove.version,
        changes={"status": EstablishmentStatus.CLOSED},
        acting_user=governor,
    )

    assert changed == {"status": "closed"}
    event = AuditEvent.objects.filter(action="estate.update_establishment").latest("pk")
    assert (event.before, event.after) == ({"status": "open"}, {"status": "closed"})
    assert event.summary == "Changed status of HMP Ashgrove"


def test_closing_through_the_edit_form(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = register.establishment_1
    form = {
        "version": est.version,
        "name": est.name,
        "status": "closed",
        "establishment_type": est.establishment_type,
        "categories": ["C"],
        "operator": est.operator,
        "operational_capacity": "600",
        "population": "550",
    }
    response = client.post("/estate/establishments/EST1/edit/", form)
    assert response.status_code == 302
    est.refresh_from_db()
    assert est.status == "closed"
    assert "Changed status of HMP Ashgrove" in AuditEvent.objects.latest("pk").summary
    pgd = Client()
    pgd.force_login(person_with_role(Role.PGD))
    assert "HMP Ashgrove" not in page_of(pgd, "/")


def test_api_lists_closed_establishments_only_when_asked(register, person_with_role):
    api = api_for(person_with_role(Role.CENTRAL_PANEL))

    default = api.get("/api/v1/establishments").json()
    asked = api.get("/api/v1/establishments?include_closed=true").json()
    closed = api.get("/api/v1/establishments/CLS").json()
    groups = {g["code"]: g["establishment_count"] for g in api.get("/api/v1/prison-groups").json()}
    group = api.get("/api/v1/prison-groups/GRP1").json()

    assert "CLS" not in [i["code"] for i in default["items"]] and default["count"] == 4
    assert "CLS" in [i["code"] for i in asked["items"]] and asked["count"] == 5
    assert closed["status"] == "closed"
    assert groups == {"GRP1": 3, "GRP2": 1}
    assert [e["code"] for e in group["establishments"]] == ["IRC", "EST1", "TWO"]


def test_closed_establishments_leave_plan_views_but_keep_their_plans(
    register, person_with_role, signed_in
):
    make_edm_version(901, [B("1.1")])
    closed = Establishment.objects.get(code="CLS")
    Establishment.objects.filter(code="CLS").update(status="open")
    closed.status = "open"
    plan = start_plan(closed)
    Establishment.objects.filter(code="CLS").update(status="closed")
    client = signed_in(person_with_role(Role.CENTRAL_PANEL))

    for url in ("/plans/", "/plans/national/", "/plans/groups/GRP1/"):
        assert "HMP Closedhurst" not in page_of(client, url), url
    assert "HMP Closedhurst" in page_of(client, "/plans/CLS/")
    assert plan.responses.count() == 1


def test_no_new_plan_for_a_closed_establishment(register):
    make_edm_version(901, [B("1.1")])
    with pytest.raises(DomainError) as refused:
        start_plan(Establishment.objects.get(code="CLS"))
    assert refused.value.message == (
        "HMP Closedhurst is closed, so no new plan can be started for it."
    )


# --- Several categories -------------------------------------------------------------------------


def test_categories_round_trip_through_the_edit_form(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = register.establishment_1
    form = {
        "version": est.version,
        "name": est.name,
        "status": "open",
        "establishment_type": est.establishment_type,
        "categories": ["C", "A", "B"],  # any order: stored in category order
        "operator": est.operator,
        "operational_capacity": "600",
        "population": "550",
    }

    assert client.post("/estate/establishments/EST1/edit/", form).status_code == 302

    est.refresh_from_db()
    assert est.categories == ["A", "B", "C"]
    assert '<dd class="govuk-summary-list__value">A, B, C</dd>' in page_of(
        client, "/estate/establishments/EST1/"
    )
    edit = page_of(client, "/estate/establishments/EST1/edit/")
    assert edit.count('name="categories" type="checkbox"') == 7
    assert edit.count(" checked>") >= 3  # A, B and C ticked (and the status radio)
    # The same set again changes nothing.
    form["version"] = est.version
    form["categories"] = ["B", "C", "A"]
    client.post("/estate/establishments/EST1/edit/", form)
    est.refresh_from_db()
    assert est.version == 2


def test_an_unknown_category_is_refused(register, person_with_role):
    est = register.establishment_1
    with pytest.raises(DomainError) as refused:
        do_update_establishment(
            est,
            expected_version=est.version,
            changes={"categories": ["B", "E"]},
            acting_user=person_with_role(Role.GOVERNOR),
        )
    assert refused.value.message == "'E' is not a category"


def test_establishments_filter_by_category(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.VIEWER))

    holding_b = page_of(client, "/estate/establishments/?category=B")
    holding_c = page_of(client, "/estate/establishments/?category=C")
    holding_a_or_b = page_of(client, "/estate/establishments/?category=A&category=B")

    assert "HMP Twocats" in holding_b and "HMP Ashgrove" not in holding_b
    assert "HMP Twocats" in holding_c and "HMP Ashgrove" in holding_c
    assert "Fenmarsh" not in holding_c
    assert "HMP Twocats" in holding_a_or_b and "HMP Birchwood" not in holding_a_or_b


def test_categories_in_the_list_export_and_the_api(register, person_with_role, signed_in):
    import io

    from openpyxl import load_workbook

    client = signed_in(person_with_role(Role.VIEWER))
    response = client.get("/estate/establishments/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["TWO"][3:6] == ("Open", "Category C training", "B, C")
    assert by_code["IRC"][4:6] == ("Immigration removal centre", None)

    api = api_for(person_with_role(Role.VIEWER))
    two = api.get("/api/v1/establishments/TWO").json()
    assert (two["categories"], two["categories_label"], two["category"]) == (
        ["B", "C"],
        "B, C",
        "B",
    )
    filtered = api.get("/api/v1/establishments?category=B").json()
    assert [i["code"] for i in filtered["items"]] == ["TWO"]


# --- Unknown capacity and population ------------------------------------------------------------


def test_unknown_population_shows_not_known(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    page = page_of(client, "/estate/establishments/IRC/")
    assert 'Population</dt>\n    <dd class="govuk-summary-list__value">Not known</dd>' in page
    assert 'Occupancy</dt>\n    <dd class="govuk-summary-list__value">Not known</dd>' in page
    assert "Immigration removal centre" in page


def test_totals_count_only_known_figures_and_say_how_many_are_not(register, person_with_role):
    rows = establishment_rows(person_with_role(Role.PGD))  # group 1, open ones
    totals = totals_of(rows)

    assert totals.establishments == 3
    assert totals.operational_capacity == 600 + 1000 + 400
    assert totals.population == 550 + 900
    assert (totals.capacity_unknown, totals.population_unknown) == (0, 1)
    # Occupancy over the two establishments whose figures are both known: 1450 of 1600.
    assert totals.occupancy_percent == 91


def test_group_page_says_how_many_figures_are_not_known(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.PGD))
    page = page_of(client, "/estate/groups/GRP1/")
    assert "1,450" in page and "1 not known" in page
    assert "population is not known for 1 establishment." in page
    nation = page_of(signed_in(person_with_role(Role.CENTRAL_PANEL)), "/estate/")
    assert "2,000 (91% of capacity) (not known for 1 establishment)" in nation


def test_capacity_can_be_cleared_to_not_known(register, person_with_role, signed_in):
    client = signed_in(person_with_role(Role.GOVERNOR))
    est = register.establishment_1
    form = {
        "version": est.version,
        "name": est.name,
        "status": "open",
        "establishment_type": est.establishment_type,
        "categories": ["C"],
        "operator": est.operator,
        "operational_capacity": "",
        "population": "550",
    }
    assert client.post("/estate/establishments/EST1/edit/", form).status_code == 302
    est.refresh_from_db()
    assert est.operational_capacity is None  # not 0
    page = page_of(client, "/estate/establishments/EST1/")
    assert 'Operational capacity</dt>\n    <dd class="govuk-summary-list__value">Not known' in page


def test_api_gives_null_for_unknown_figures(register, person_with_role):
    api = api_for(person_with_role(Role.PGD))
    irc = api.get("/api/v1/establishments/IRC").json()
    assert (irc["population"], irc["occupancy_percent"], irc["operational_capacity"]) == (
        None,
        None,
        400,
    )
    assert irc["type"] == "irc"


def test_edms_apply_to_immigration_removal_centres_only_when_they_say_so(register):
    irc = Establishment.objects.get(code="IRC")
    make_edm_version(901, [B("1.1")])  # adult prison types only
    make_edm_version(905, [B("1.1"), B("1.2")], applies_to=["irc"])

    plan = start_plan(irc)

    assert [e.edm.number for e in plan.plan_edms.all()] == [905]
    assert plan.responses.count() == 2


# --- Migration ----------------------------------------------------------------------------------


@pytest.fixture
def _audit_truncate_allowed():
    """A transactional test ends by emptying every table; PostgreSQL refuses to TRUNCATE the
    audit trail unless this session says so (audit migration 0003). No audit row is made."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET recovery.allow_audit_truncate = 'on'")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_turns_each_category_into_a_list_and_back(_audit_truncate_allowed):
    before = [("estate", "0001_initial")]
    after = [("estate", "0002_establishment_status_categories_unknown_figures")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Unit, Old = (
        old.get_model("estate", "OrganisationUnit"),
        old.get_model("estate", "Establishment"),
    )
    nation = Unit.objects.create(kind="nation", code="N", name="N", path="/N/")
    group = Unit.objects.create(
        kind="prison_group", code="G", name="G", parent=nation, path="/N/G/"
    )
    for code, category in (("E1", "C"), ("E2", ""), ("E3", "youth")):
        Old.objects.create(
            kind="establishment",
            code=code,
            name=f"HMP {code}",
            parent=group,
            path=f"/N/G/{code}/",
            establishment_type="cat_c",
            category=category,
            operator="public",
            operational_capacity=600,
            population=550,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    New = executor.loader.project_state(after).apps.get_model("estate", "Establishment")
    assert dict(New.objects.values_list("code", "categories")) == {
        "E1": ["C"],
        "E2": [],
        "E3": ["youth"],
    }
    assert set(New.objects.values_list("status", flat=True)) == {"open"}
    New.objects.filter(code="E1").update(categories=["B", "C"], status="closed")

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    Old = executor.loader.project_state(before).apps.get_model("estate", "Establishment")
    assert dict(Old.objects.values_list("code", "category")) == {"E1": "B", "E2": "", "E3": "youth"}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_stale_edit_shows_the_categories_saved_since(register, person_with_role, signed_in):
    est = register.establishment_1
    opened_at = est.version
    do_update_establishment(
        est,
        expected_version=opened_at,
        changes={"categories": ["B", "C"]},
        acting_user=person_with_role(Role.GOVERNOR),  # someone else, meanwhile
    )
    client = signed_in(person_with_role(Role.GOVERNOR))
    form = {
        "version": opened_at,
        "name": est.name,
        "status": "open",
        "establishment_type": est.establishment_type,
        "categories": ["C"],  # as the form showed it when opened
        "operator": est.operator,
        "operational_capacity": "600",
        "population": "575",  # what this person changed
    }

    page = client.post("/estate/establishments/EST1/edit/", form).content.decode()

    assert "was changed" in page
    assert 'name="categories" type="checkbox" value="B" checked' in page
    assert 'name="categories" type="checkbox" value="C" checked' in page
    assert 'name="population" type="text" inputmode="numeric" value="575"' in page
    est.refresh_from_db()
    assert (est.categories, est.population) == (["B", "C"], 550)


def test_national_export_says_how_many_figures_are_not_known(register, person_with_role):
    import io

    from openpyxl import load_workbook

    client = Client()
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    response = client.get("/estate/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)

    assert rows[0][3:] == (
        "Operational capacity",
        "Population",
        "Occupancy (%)",
        "Capacity not known (establishments)",
        "Population not known (establishments)",
    )
    by_code = {r[0]: r for r in rows[1:]}
    # Group 1's open establishments: 600/550, 1000/900, and the IRC (400, population unknown).
    assert by_code["GRP1"][2:] == (3, 2000, 1450, 91, 0, 1)

"""The people directory: each person sees only the people who hold roles within their scope."""

import pytest

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory
from recovery.core.constants import Role

PEOPLE = "/people/"


@pytest.fixture
def ashgrove_governor(person_with_role):
    return person_with_role(
        Role.GOVERNOR,
        first_name="Gwen",
        last_name="Governing",
        email="gwen@example.org",
        job_title="Governing Governor",
    )


@pytest.fixture
def ashgrove_editor(person_with_role):
    return person_with_role(
        Role.ESTABLISHMENT_EDITOR, first_name="Eddie", last_name="Editwell", job_title="Planner"
    )


@pytest.fixture
def birchwood_governor(person_with_role, small_estate):
    return person_with_role(
        Role.GOVERNOR, small_estate.establishment_2, first_name="Bram", last_name="Birch"
    )


@pytest.fixture
def northern_pgd(person_with_role):
    return person_with_role(Role.PGD, first_name="Petra", last_name="Groupley")


def names_on(client, url=PEOPLE) -> str:
    """The page below the account bar (which names the person signed in)."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index('<main class="govuk-main-wrapper"') :]


def test_an_establishment_user_sees_only_their_own_establishment(
    client, ashgrove_governor, ashgrove_editor, birchwood_governor, northern_pgd
):
    client.force_login(ashgrove_editor)

    body = names_on(client)

    assert "Gwen Governing" in body
    assert "Eddie Editwell" in body
    assert "Bram Birch" not in body
    # Their group's director holds the role above them, outside an establishment's scope.
    assert "Petra Groupley" not in body
    assert "2 people" in body


def test_a_group_director_sees_their_group_and_its_establishments(
    client, ashgrove_governor, birchwood_governor, northern_pgd
):
    client.force_login(northern_pgd)
    body = names_on(client)
    assert "Gwen Governing" in body
    assert "Petra Groupley" in body
    assert "Bram Birch" not in body


def test_an_administrator_sees_everyone_who_holds_a_role(
    client, person_with_role, ashgrove_governor, birchwood_governor
):
    UserFactory(first_name="Norah", last_name="Noroles")
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    body = names_on(client)
    assert "Gwen Governing" in body
    assert "Bram Birch" in body
    assert "Norah Noroles" not in body


def test_shows_name_email_job_title_and_roles(client, ashgrove_governor):
    client.force_login(ashgrove_governor)
    body = names_on(client)
    assert f'href="/people/{ashgrove_governor.pk}/">Gwen Governing</a>' in body
    assert "gwen@example.org" in body
    assert "Governing Governor" in body
    assert "Governor or Director at HMP Ashgrove" in body


def test_only_roles_within_the_viewers_scope_are_shown(
    client, small_estate, ashgrove_governor, ashgrove_editor
):
    RoleAssignmentFactory(
        user=ashgrove_editor, role=Role.TRADE_UNION_REP, unit=small_estate.establishment_2
    )
    client.force_login(ashgrove_governor)

    body = names_on(client)

    assert "Establishment editor at HMP Ashgrove" in body
    assert "HMP Birchwood" not in body


def test_search_by_name(client, ashgrove_governor, ashgrove_editor):
    client.force_login(ashgrove_governor)
    body = names_on(client, PEOPLE + "?q=eddie+editw")
    assert "Eddie Editwell" in body
    assert "Gwen Governing" not in body
    assert "1 person matching ‘eddie editw’" in body


def test_search_that_matches_no_one_says_so(client, ashgrove_governor):
    client.force_login(ashgrove_governor)
    body = names_on(client, PEOPLE + "?q=zebedee")
    assert "No one matches ‘zebedee’." in body


def test_search_never_reaches_outside_the_scope(client, ashgrove_governor, birchwood_governor):
    client.force_login(ashgrove_governor)
    body = names_on(client, PEOPLE + "?q=Bram")
    assert "Bram Birch" not in body


def test_sorts_by_name_and_reverses(client, ashgrove_governor, ashgrove_editor):
    client.force_login(ashgrove_governor)

    ascending = names_on(client)
    assert ascending.index("Eddie Editwell") < ascending.index("Gwen Governing")
    assert '<th scope="col" class="govuk-table__header" aria-sort="ascending">' in ascending
    assert 'href="?sort=name&amp;dir=desc">Name</a>' in ascending

    descending = names_on(client, PEOPLE + "?sort=name&dir=desc")
    assert descending.index("Gwen Governing") < descending.index("Eddie Editwell")
    assert 'aria-sort="descending"' in descending


def test_sorts_by_job_title(client, ashgrove_governor, ashgrove_editor):
    client.force_login(ashgrove_governor)
    body = names_on(client, PEOPLE + "?sort=job_title")
    # "Governing Governor" sorts before "Planner".
    assert body.index("Gwen Governing") < body.index("Eddie Editwell")


def test_an_unknown_sort_falls_back_to_name(client, ashgrove_governor, ashgrove_editor):
    client.force_login(ashgrove_governor)
    body = names_on(client, PEOPLE + "?sort=password&dir=sideways")
    assert body.index("Eddie Editwell") < body.index("Gwen Governing")


def test_the_query_count_does_not_grow_with_the_number_of_people(
    client, small_estate, ashgrove_governor, django_assert_max_num_queries
):
    for n in range(30):
        person = UserFactory(first_name=f"Extra{n}")
        RoleAssignmentFactory(
            user=person, role=Role.TRADE_UNION_REP, unit=small_estate.establishment_1
        )
        RoleAssignmentFactory(
            user=person, role=Role.ESTABLISHMENT_EDITOR, unit=small_estate.establishment_1
        )
    client.force_login(ashgrove_governor)
    with django_assert_max_num_queries(8):
        body = names_on(client)
    assert "31 people" in body


def test_a_long_list_is_paged(client, small_estate, ashgrove_governor):
    for n in range(55):
        RoleAssignmentFactory(
            user=UserFactory(last_name=f"Zz{n:02d}"),
            role=Role.TRADE_UNION_REP,
            unit=small_estate.establishment_1,
        )
    client.force_login(ashgrove_governor)
    first = names_on(client)
    assert "56 people (page 1 of 2)" in first
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in first
    second = names_on(client, PEOPLE + "?page=2")
    assert "Zz54" in second
    assert "Zz00" not in second


def test_a_person_with_no_role_cannot_open_the_directory(client, db):
    client.force_login(UserFactory())
    assert client.get(PEOPLE).status_code == 403


# One person's page.


def test_a_person_in_scope_can_be_looked_up(client, ashgrove_governor, ashgrove_editor):
    client.force_login(ashgrove_governor)

    response = client.get(f"/people/{ashgrove_editor.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Eddie Editwell</h1>' in body
    assert "Establishment editor" in body
    assert "Planner" in body


def test_another_establishments_person_is_not_found(client, ashgrove_governor, birchwood_governor):
    client.force_login(ashgrove_governor)
    assert client.get(f"/people/{birchwood_governor.pk}/").status_code == 404


def test_a_person_who_does_not_exist_is_not_found_the_same_way(client, ashgrove_governor):
    client.force_login(ashgrove_governor)
    assert client.get("/people/999999/").status_code == 404


def test_a_person_with_roles_in_and_out_of_scope_shows_only_those_in_scope(
    client, small_estate, ashgrove_governor, birchwood_governor
):
    RoleAssignmentFactory(
        user=birchwood_governor, role=Role.TRADE_UNION_REP, unit=small_estate.establishment_1
    )
    client.force_login(ashgrove_governor)

    body = client.get(f"/people/{birchwood_governor.pk}/").content.decode()

    assert "Trade union representative" in body
    assert "HMP Birchwood" not in body


# Each side sees its own people (docs/access-policy.yaml): the prison side never sees probation
# staff, nor the probation side prison staff; viewers see both; administrators everyone.


@pytest.fixture
def both_sides(person_with_role, small_estate):
    """One person of each side, and the national roles of each side."""
    return {
        "prison": person_with_role(Role.GOVERNOR, first_name="Gwen", last_name="Governing"),
        "probation": person_with_role(Role.PDU_HEAD, first_name="Pia", last_name="Dunmore"),
        "panel": person_with_role(Role.CENTRAL_PANEL, first_name="Pam", last_name="Panelli"),
        "centre": person_with_role(Role.PROBATION_CENTRE, first_name="Cy", last_name="Centreman"),
        "viewer": person_with_role(Role.VIEWER, first_name="Vic", last_name="Viewmore"),
        "admin": person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson"),
    }


SIDE_CASES = {
    # who is looking: (names they see, names they must not see)
    "panel": (["Gwen Governing", "Pam Panelli"], ["Pia Dunmore", "Cy Centreman"]),
    "centre": (["Pia Dunmore", "Cy Centreman"], ["Gwen Governing", "Pam Panelli"]),
    "probation": (["Pia Dunmore"], ["Gwen Governing", "Pam Panelli", "Cy Centreman"]),
    "prison": (["Gwen Governing"], ["Pia Dunmore", "Pam Panelli", "Cy Centreman"]),
    "viewer": (
        ["Gwen Governing", "Pia Dunmore", "Pam Panelli", "Cy Centreman"],
        ["Ada Adminson"],
    ),
    "admin": (
        ["Gwen Governing", "Pia Dunmore", "Pam Panelli", "Cy Centreman", "Vic Viewmore"],
        [],
    ),
}


@pytest.mark.parametrize("who", sorted(SIDE_CASES))
def test_each_side_sees_its_own_people(client, both_sides, who):
    seen, unseen = SIDE_CASES[who]
    client.force_login(both_sides[who])

    body = names_on(client)

    assert [n for n in seen if n not in body] == []
    assert [n for n in unseen if n in body] == []


@pytest.mark.parametrize(
    ("who", "whom"),
    [("centre", "prison"), ("centre", "panel"), ("panel", "probation"), ("panel", "centre")],
)
def test_a_person_of_the_other_side_is_not_found(client, both_sides, who, whom):
    client.force_login(both_sides[who])

    response = client.get(f"{PEOPLE}{both_sides[whom].pk}/")

    assert response.status_code == 404
    assert both_sides[whom].last_name not in response.content.decode()


def test_a_person_of_both_sides_shows_only_the_roles_of_the_viewers_side(
    client, both_sides, small_estate
):
    """Someone who is a governor and also heads a PDU: the probation centre sees the PDU role
    and not the prison one."""
    gwen = both_sides["prison"]
    RoleAssignmentFactory(user=gwen, role=Role.PDU_HEAD, unit=small_estate.pdu_2)
    client.force_login(both_sides["centre"])

    body = names_on(client, f"{PEOPLE}{gwen.pk}/")

    assert small_estate.pdu_2.name in body
    assert small_estate.establishment_1.name not in body

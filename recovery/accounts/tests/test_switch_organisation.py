"""The organisation switcher: a person with several roles chooses which one they work in."""

import pytest

from recovery.accounts.factories import RoleAssignmentFactory
from recovery.core.constants import Role
from recovery.core.context_processors import CURRENT_SCOPE_SESSION_KEY

SWITCH = "/switch-organisation/"


@pytest.fixture
def two_hats(person_with_role, small_estate):
    """A Governor of HMP Ashgrove who is also a trade union representative at HMP Birchwood."""
    person = person_with_role(Role.GOVERNOR, first_name="Hana", last_name="Hatton")
    RoleAssignmentFactory(user=person, role=Role.TRADE_UNION_REP, unit=small_estate.establishment_2)
    return person


def test_lists_each_role_at_its_organisation_as_radios(client, two_hats):
    client.force_login(two_hats)

    body = client.get(SWITCH).content.decode()

    assert (
        '<h1 class="govuk-fieldset__heading">Which organisation do you want to work in?</h1>'
        in (body)
    )
    assert body.count('type="radio"') == 2
    assert "Governor or Director at HMP Ashgrove" in body
    assert "Trade union representative at HMP Birchwood" in body


def test_choosing_one_remembers_it_and_goes_home(client, two_hats):
    union = two_hats.role_assignments.get(role=Role.TRADE_UNION_REP)
    client.force_login(two_hats)

    response = client.post(SWITCH, {"assignment": union.pk})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[CURRENT_SCOPE_SESSION_KEY] == union.pk
    page = client.get("/people/").content.decode()
    assert "Trade union representative, HMP Birchwood" in page
    assert "You are now working as Trade union representative at HMP Birchwood" in page


def test_someone_elses_assignment_is_refused_and_nothing_stored(client, two_hats, person_with_role):
    stranger = person_with_role(Role.PGD)
    client.force_login(two_hats)

    response = client.post(SWITCH, {"assignment": stranger.role_assignments.get().pk})

    assert response.status_code == 200
    assert "Select one of your own organisations" in response.content.decode()
    assert CURRENT_SCOPE_SESSION_KEY not in client.session


@pytest.mark.parametrize("value", ["", "nonsense"])
def test_no_choice_or_nonsense_is_refused(client, two_hats, value):
    client.force_login(two_hats)
    body = client.post(SWITCH, {"assignment": value}).content.decode()
    expected = (
        "Select the organisation you want to work in"
        if not value
        else ("Select one of your own organisations")
    )
    assert expected in body
    assert 'class="govuk-error-summary"' in body
    assert CURRENT_SCOPE_SESSION_KEY not in client.session


def test_someone_with_one_role_is_told_there_is_nothing_to_change(client, person_with_role):
    client.force_login(person_with_role(Role.GOVERNOR))
    body = client.get(SWITCH).content.decode()
    assert "You hold one role: Governor or Director at HMP Ashgrove." in body
    assert 'type="radio"' not in body

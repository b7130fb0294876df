import pytest

from recovery.core.constants import Role
from recovery.core.scope import allows, unit_filter
from recovery.estate.models import OrganisationUnit


@pytest.mark.django_db
def test_governor_sees_own_establishment_not_another(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    assert allows(governor, "estate.view_prison_estate", small_estate.establishment_1)
    assert not allows(governor, "estate.view_prison_estate", small_estate.establishment_2)
    assert not allows(governor, "estate.view_prison_estate", small_estate.group_1)


@pytest.mark.django_db
def test_pgd_sees_every_establishment_of_their_group_only(small_estate, person_with_role):
    pgd = person_with_role(Role.PGD)
    visible = set(
        OrganisationUnit.objects.filter(unit_filter(pgd, "estate.view_prison_estate")).values_list(
            "code", flat=True
        )
    )
    assert visible == {"GRP1", "EST1"}


@pytest.mark.django_db
def test_probation_role_never_sees_prison_estate(small_estate, person_with_role):
    centre = person_with_role(Role.PROBATION_CENTRE)
    assert not allows(centre, "estate.view_prison_estate", small_estate.establishment_1)
    assert allows(centre, "estate.view_probation_estate", small_estate.office_2)


@pytest.mark.django_db
def test_django_has_perm_answers_through_the_same_engine(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    assert governor.has_perm("estate.change_establishment", small_estate.establishment_1)
    assert not governor.has_perm("estate.change_establishment", small_estate.establishment_2)


@pytest.mark.django_db
def test_a_request_for_another_organisations_object_is_refused_and_logged(
    client, small_estate, person_with_role, caplog
):
    client.force_login(person_with_role(Role.GOVERNOR))
    with caplog.at_level("WARNING", logger="recovery.security"):
        response = client.get(f"/estate/establishments/{small_estate.establishment_2.code}/")
    assert response.status_code == 404
    assert small_estate.establishment_2.name not in response.content.decode()
    assert any(
        "out-of-scope" in r.getMessage() and "EST2" in r.getMessage() for r in caplog.records
    )


@pytest.mark.django_db
def test_a_page_the_role_may_never_use_is_refused_and_logged(client, person_with_role, caplog):
    client.force_login(person_with_role(Role.GOVERNOR))
    with caplog.at_level("WARNING", logger="recovery.security"):
        response = client.get("/audit/")
    assert response.status_code == 403
    assert any("lacks audit.view_trail" in r.getMessage() for r in caplog.records)

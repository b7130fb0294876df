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

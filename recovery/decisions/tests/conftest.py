import pytest

from recovery.core.constants import Role


@pytest.fixture
def governor(person_with_role, small_estate):
    return person_with_role(
        Role.GOVERNOR, small_estate.establishment_1, first_name="Gwen", last_name="Governor"
    )


@pytest.fixture
def other_governor(person_with_role, small_estate):
    return person_with_role(
        Role.GOVERNOR, small_estate.establishment_2, first_name="Omar", last_name="Other"
    )

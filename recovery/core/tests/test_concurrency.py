import pytest

from recovery.core.constants import Role
from recovery.core.errors import StaleEditError
from recovery.estate.actions import do_update_establishment
from recovery.estate.models import Establishment


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_shows_what_the_other_person_changed(
    small_estate, person_with_role
):
    first = person_with_role(Role.GOVERNOR, first_name="Rowan", last_name="Hale")
    second = person_with_role(Role.GOVERNOR)
    establishment = small_estate.establishment_1
    opened_at = establishment.version

    do_update_establishment(
        establishment, expected_version=opened_at, changes={"population": 560}, acting_user=first
    )
    stale_copy = Establishment.objects.get(pk=establishment.pk)
    with pytest.raises(StaleEditError) as refused:
        do_update_establishment(
            stale_copy,
            expected_version=opened_at,
            changes={"population": 530},
            acting_user=second,
        )

    assert refused.value.changed_by == "Rowan Hale"
    assert [(c.label, c.before, c.after) for c in refused.value.changes] == [
        ("Population", 550, 560)
    ]
    assert Establishment.objects.get(pk=establishment.pk).population == 560


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_keeps_the_version(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    establishment = small_estate.establishment_1
    changed = do_update_establishment(
        establishment, expected_version=1, changes={"population": 550}, acting_user=governor
    )
    assert changed == {}
    assert Establishment.objects.get(pk=establishment.pk).version == 1

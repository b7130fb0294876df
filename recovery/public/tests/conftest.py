import datetime

import pytest

from recovery.core.constants import Role
from recovery.frameworks.models import Stage
from recovery.progression.actions import do_record_stage


@pytest.fixture
def panel(person_with_role):
    return person_with_role(Role.CENTRAL_PANEL, first_name="Rhiannon", last_name="Ratifier")


@pytest.fixture
def set_stage(panel):
    """set_stage(establishment, number, on=date, reason=...): record the stage it is at."""

    def record(establishment, number, *, on=datetime.date(2026, 3, 2), reason="Initial stage"):
        return do_record_stage(
            establishment,
            Stage.objects.get(number=number),
            reason=reason,
            effective_from=on,
            acting_user=panel,
        )

    return record

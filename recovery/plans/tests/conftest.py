import pytest

from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import Autonomy
from recovery.plans.factories import B, make_edm_version, start_plan


@pytest.fixture
def visits_edm(db):
    """EDM 901 for adult sites, stage 3: two precursors, a partial, a limited, a desirable."""
    return make_edm_version(
        901,
        [
            B("1.1", 3, autonomy=Autonomy.LIMITED),
            B(
                "1.2",
                3,
                autonomy=Autonomy.PARTIAL,
                options=["Video calls", "Socially distanced visits"],
            ),
            B("2.1", 2),
            B("2.2", 1),
            B("3.1", None, mandatory=False),
        ],
        title="Visits",
    )


@pytest.fixture
def adult_plan(small_estate, visits_edm):
    small_estate.establishment_1.establishment_type = EstablishmentType.CAT_C
    return start_plan(small_estate.establishment_1)

import pytest

from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import Autonomy
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan


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


@pytest.fixture
def small_plan(small_estate):
    """EDM 903: area 1 has 1.1 (w3) and 1.2 (w2); area 2 has 2.1 (w1) mandatory and 2.2 (no
    weighting, counts 1) and 2.3 (w2) desirable."""
    make_edm_version(
        903,
        [
            B("1.1", 3, area="1"),
            B("1.2", 2, area="1"),
            B("2.1", 1, area="2"),
            B("2.2", None, mandatory=False, area="2"),
            B("2.3", 2, mandatory=False, area="2"),
        ],
        title="Gym",
    )
    plan = start_plan(small_estate.establishment_1)
    met = {"status": ResponseStatus.MET}
    answer(response_for(plan, "1.1"), **met)
    answer(response_for(plan, "1.2"), status=ResponseStatus.IN_PROGRESS)
    answer(response_for(plan, "2.1"), **met)
    answer(response_for(plan, "2.2"), **met)
    answer(
        response_for(plan, "2.3"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="No sports hall on this site",
    )
    return plan

"""The reads cost a fixed number of queries whatever the size of the probation estate."""

import datetime

import pytest

from recovery.core.constants import Role
from recovery.estate.factories import OfficeFactory, PduFactory, ProbationRegionFactory
from recovery.probation.factories import (
    AgreedRequestFactory,
    OfficeCapacityFactory,
    WaitingRequestFactory,
    gateway,
    risk_assessment,
)
from recovery.probation.queries import pdu_rows, pdu_weekly_capacity, steps_table

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def grow(nation, regions: int) -> None:
    for _ in range(regions):
        region = ProbationRegionFactory(parent=nation)
        WaitingRequestFactory(unit=region)
        for _ in range(2):
            pdu = PduFactory(parent=region)
            AgreedRequestFactory(unit=pdu)
            office = OfficeFactory(parent=pdu)
            OfficeCapacityFactory(office=office)
            risk_assessment(office, DAY)


@pytest.mark.parametrize("regions", [1, 8])
def test_the_steps_table_costs_the_same_whatever_the_estate(
    small_estate, person_with_role, django_assert_max_num_queries, regions
):
    gateway(2, datetime.date(2020, 6, 29))
    grow(small_estate.nation, regions)
    centre = person_with_role(Role.PROBATION_CENTRE)
    with django_assert_max_num_queries(9):
        picture = steps_table(centre, DAY)
    assert len(picture.regions) == regions + 2
    assert len(picture.waiting) == regions


@pytest.mark.parametrize("regions", [1, 8])
def test_pdu_rows_cost_the_same_whatever_the_estate(
    small_estate, django_assert_max_num_queries, regions
):
    from recovery.core.constants import UnitKind
    from recovery.estate.models import OrganisationUnit

    grow(small_estate.nation, regions)
    pdus = list(OrganisationUnit.objects.filter(kind=UnitKind.PDU))
    with django_assert_max_num_queries(8):
        rows = pdu_rows(pdus, DAY)
    # Each grown PDU: 3 rooms x 8 x 5 days = 120, counted (assessed on the day).
    assert sorted(r.weekly for r in rows) == [0, 0] + [120] * (2 * regions)
    assert pdu_weekly_capacity(pdus[-1], DAY) in (0, 120)


@pytest.mark.parametrize("role", [Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE])
@pytest.mark.parametrize("regions", [1, 6])
def test_probation_home_pages_cost_the_same_whatever_the_estate(
    small_estate, client, person_with_role, django_assert_max_num_queries, role, regions
):
    """The home page with its probation block: the estate's own queries and the block's
    (unit, offices, capacities, risk assessments, individual assessments, settings, gateways,
    agreed requests, waiting requests; for the centre and regions this fortnight's report to
    ministers; for the centre, the workstreams at red and the milestones overdue), the same
    number for 1 or 6 more regions."""
    grow(small_estate.nation, regions)
    client.force_login(person_with_role(role))
    with django_assert_max_num_queries(19):
        response = client.get("/")
    assert response.status_code == 200
    assert "Probation recovery" in response.content.decode()

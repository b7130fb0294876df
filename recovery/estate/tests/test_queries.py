"""The estate's reads: scoped to the person, filtered, sorted, counted, in a fixed number of
queries."""

import pytest

from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType, Operator
from recovery.estate.factories import EstablishmentFactory, OfficeFactory, PduFactory
from recovery.estate.queries import (
    ESTABLISHMENT_SORTS,
    EstablishmentFilters,
    ancestor_paths,
    establishment_rows,
    group_options,
    may_view_path,
    office_rows,
    pdu_rows,
    prison_summary,
    region_rows,
    sort_rows,
    totals_of,
    visible_unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(small_estate):
    EstablishmentFactory(
        parent=small_estate.group_1,
        code="EST3",
        name="HMP Cedarfield",
        establishment_type=EstablishmentType.LOCAL,
        operator=Operator.PRIVATE,
        operational_capacity=1000,
        population=990,
    )
    EstablishmentFactory(
        parent=small_estate.group_2,
        code="EST4",
        name="HMYOI Dunmoor",
        establishment_type=EstablishmentType.YOI,
        operational_capacity=300,
        population=120,
    )
    return small_estate


def codes(rows) -> list[str]:
    return [r.code for r in rows]


def test_rows_are_scoped_to_the_person(estate, person_with_role):
    assert codes(establishment_rows(person_with_role(Role.GOVERNOR))) == ["EST1"]
    assert codes(establishment_rows(person_with_role(Role.PGD))) == ["EST1", "EST3"]
    assert len(establishment_rows(person_with_role(Role.CENTRAL_PANEL))) == 4
    assert establishment_rows(person_with_role(Role.PROBATION_CENTRE)) == []


def test_rows_within_a_unit(estate, person_with_role):
    viewer = person_with_role(Role.VIEWER)
    assert codes(establishment_rows(viewer, within=estate.group_2)) == ["EST2", "EST4"]


def test_filters_combine(estate, person_with_role):
    viewer = person_with_role(Role.VIEWER)
    both = EstablishmentFilters(groups=("GRP1",), operators=("public",))
    assert codes(establishment_rows(viewer, filters=both)) == ["EST1"]
    assert codes(establishment_rows(viewer, filters=EstablishmentFilters(text="cedar"))) == ["EST3"]
    assert codes(
        establishment_rows(viewer, filters=EstablishmentFilters(types=("yoi", "local")))
    ) == ["EST3", "EST4"]


def test_sorting_by_each_column_and_direction(estate, person_with_role):
    viewer = person_with_role(Role.VIEWER)
    assert codes(establishment_rows(viewer, sort="occupancy")) == ["EST4", "EST1", "EST2", "EST3"]
    assert codes(establishment_rows(viewer, sort="occupancy", descending=True)) == [
        "EST3",
        "EST1",
        "EST2",
        "EST4",
    ]
    # Equal capacities keep name order whichever the direction.
    assert codes(establishment_rows(viewer, sort="capacity", descending=True)) == [
        "EST3",
        "EST1",
        "EST2",
        "EST4",
    ]
    for key in ESTABLISHMENT_SORTS:
        assert len(establishment_rows(viewer, sort=key)) == 4


def test_unknown_sort_falls_back_to_name(estate, person_with_role):
    rows = establishment_rows(person_with_role(Role.VIEWER))
    assert codes(sort_rows(rows, ESTABLISHMENT_SORTS, "nonsense", False)) == codes(rows)


def test_totals_and_occupancy(estate, person_with_role):
    totals = totals_of(establishment_rows(person_with_role(Role.PGD)))
    assert (totals.establishments, totals.operational_capacity, totals.population) == (
        2,
        1600,
        1540,
    )
    assert totals.occupancy_percent == 96
    assert totals_of([]).occupancy_percent is None


def test_group_options_are_the_groups_in_scope(estate, person_with_role):
    assert group_options(person_with_role(Role.GOVERNOR)) == [("GRP1", "Northern Fells group")]
    assert group_options(person_with_role(Role.VIEWER)) == [
        ("GRP1", "Northern Fells group"),
        ("GRP2", "Southern Downs group"),
    ]


def test_prison_summary_counts_by_group_type_and_operator(estate, person_with_role):
    summary = prison_summary(person_with_role(Role.CENTRAL_PANEL), estate.nation)
    assert [(g.code, g.establishments, g.operational_capacity) for g in summary.groups] == [
        ("GRP1", 2, 1600),
        ("GRP2", 2, 900),
    ]
    assert dict(summary.by_type) == {
        "Local (reception)": 1,
        "Category C training": 2,
        "Young offender institution": 1,
    }
    assert dict(summary.by_operator) == {"Public": 3, "Private": 1}
    assert summary.totals.population == 550 + 550 + 990 + 120


def test_probation_rows_count_pdus_offices_and_rooms(small_estate, person_with_role):
    OfficeFactory(parent=small_estate.pdu_1, interview_rooms=3)
    PduFactory(parent=small_estate.region_1, code="PDU3", name="Empty PDU")
    centre = person_with_role(Role.PROBATION_CENTRE)
    regions = {r.code: r for r in region_rows(centre, small_estate.nation)}
    assert (regions["REG1"].pdus, regions["REG1"].offices, regions["REG1"].interview_rooms) == (
        2,
        2,
        9,
    )
    pdus = {p.code: (p.offices, p.interview_rooms) for p in pdu_rows(centre, small_estate.region_1)}
    assert pdus == {"PDU1": (2, 9), "PDU3": (0, 0)}
    offices = office_rows(centre, small_estate.pdu_1)
    assert offices[0].opening_hours == "09:00 to 17:00" and offices[0].hours_open_a_week == 40


def test_probation_rows_are_scoped(small_estate, person_with_role):
    head = person_with_role(Role.PDU_HEAD)
    assert [r.code for r in region_rows(head, small_estate.nation)] == []
    assert [o.code for o in office_rows(head, small_estate.nation)] == ["OFF1"]
    assert region_rows(person_with_role(Role.GOVERNOR), small_estate.nation) == []


def test_visible_unit_uses_the_permission_of_the_unit_kind(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    assert visible_unit(governor, "EST1").code == "EST1"
    assert visible_unit(governor, "EST2") is None
    assert visible_unit(governor, "OFF1") is None
    head = person_with_role(Role.PDU_HEAD)
    assert visible_unit(head, "OFF1").code == "OFF1"
    assert visible_unit(head, "EST1") is None
    assert visible_unit(person_with_role(Role.VIEWER), "HMPPS").code == "HMPPS"


def test_ancestors_and_path_checks(small_estate, person_with_role):
    assert ancestor_paths("/HMPPS/GRP1/EST1/") == ["/HMPPS/", "/HMPPS/GRP1/"]
    pgd = person_with_role(Role.PGD)
    assert may_view_path(pgd, "estate.view_prison_estate", "prison_group", "/HMPPS/GRP1/")
    assert not may_view_path(pgd, "estate.view_prison_estate", "nation", "/HMPPS/")


def test_reads_take_a_fixed_number_of_queries(
    small_estate, person_with_role, django_assert_num_queries
):
    for n in range(30):
        EstablishmentFactory(parent=[small_estate.group_1, small_estate.group_2][n % 2])
        OfficeFactory(parent=small_estate.pdu_1)
    viewer = person_with_role(Role.VIEWER)
    establishment_rows(viewer)  # reads the viewer's roles once; later calls reuse them
    with django_assert_num_queries(1):
        assert len(establishment_rows(viewer)) == 32
    with django_assert_num_queries(2):
        assert prison_summary(viewer, small_estate.nation).totals.establishments == 32
    with django_assert_num_queries(3):
        region_rows(viewer, small_estate.nation)
    with django_assert_num_queries(2):
        pdu_rows(viewer, small_estate.region_1)
    with django_assert_num_queries(1):
        assert len(office_rows(viewer, small_estate.pdu_1)) == 31


def test_occupancy_rounds_half_up(small_estate):
    from recovery.estate.queries import GroupRow, Totals

    # 125 of 1,000 is 12.5%: 13% (Python's round() would say 12).
    assert Totals(1, 1000, 125).occupancy_percent == 13
    assert GroupRow("G", "Group", 1, 1000, 125).occupancy_percent == 13
    establishment = small_estate.establishment_1
    establishment.operational_capacity, establishment.population = 12, 2
    assert establishment.occupancy_percent == 17  # 16.67%

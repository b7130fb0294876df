"""Bulk updates write exactly what is on the objects, in the parent's and the child's table,
on PostgreSQL (one UPDATE ... FROM VALUES per table) and SQLite (Django's bulk_update)."""

import datetime

import pytest
from django.db import DataError, connection, transaction

from recovery.core.bulk import update_rows
from recovery.estate.models import Establishment, ProbationOffice


def test_fields_of_both_tables_are_written_and_others_left_alone(small_estate):
    first, second = small_estate.establishment_1, small_estate.establishment_2
    untouched_type = second.establishment_type
    first.name, first.categories, first.population = "HMP Ashgrove (renamed)", ["B", "C"], None
    second.name, second.categories, second.population = "HMP Birchwood (renamed)", [], 431
    second.establishment_type = "open"  # changed on the object, not in the fields written
    first.version, second.version = first.version + 1, second.version + 1

    update_rows(Establishment, [first, second], ["categories", "name", "population", "version"])

    stored = {e.code: e for e in Establishment.objects.all()}
    assert stored["EST1"].name == "HMP Ashgrove (renamed)"
    assert stored["EST1"].categories == ["B", "C"]
    assert stored["EST1"].population is None
    assert stored["EST2"].name == "HMP Birchwood (renamed)"
    assert stored["EST2"].categories == []
    assert stored["EST2"].population == 431
    assert stored["EST2"].establishment_type == untouched_type
    assert [stored["EST1"].version, stored["EST2"].version] == [first.version, second.version]


def test_times_are_written_as_times(small_estate):
    office = small_estate.office_1
    office.opens_at, office.closes_at = datetime.time(7, 45), datetime.time(19, 15)
    update_rows(ProbationOffice, [office], ["opens_at", "closes_at"])
    office.refresh_from_db()
    assert (office.opens_at, office.closes_at) == (datetime.time(7, 45), datetime.time(19, 15))


def test_text_too_long_for_its_column_is_an_error_not_cut_short(small_estate):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce a column's length")
    establishment = small_estate.establishment_1
    establishment.name = "x" * 201
    with pytest.raises(DataError), transaction.atomic():
        update_rows(Establishment, [establishment], ["name"])
    assert Establishment.objects.get(code="EST1").name == "HMP Ashgrove"

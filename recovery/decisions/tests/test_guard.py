"""A recorded entry cannot be changed or removed through any door: the ORM (save, delete,
update, bulk_update), raw SQL, or a REPLACE on SQLite. Runs on SQLite and PostgreSQL alike
(the suite runs on both); drafts, by contrast, may be changed and deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from recovery.decisions.factories import draft, recorded
from recovery.decisions.models import DecisionDraft, DecisionEntry

pytestmark = pytest.mark.django_db

TABLE = DecisionEntry._meta.db_table
REFUSAL = "A recorded decision cannot be changed or removed"


@pytest.fixture
def entry(small_estate, governor):
    return recorded(small_estate.establishment_1, governor, title="Kept for good")


def _stored(entry) -> tuple:
    return DecisionEntry.objects.filter(pk=entry.pk).values_list("title", "rationale").get()


def test_orm_save_of_a_recorded_entry_is_refused(entry):
    entry.title = "Changed"
    with pytest.raises(PermissionDenied, match=REFUSAL):
        entry.save()
    assert _stored(entry)[0] == "Kept for good"


@pytest.mark.parametrize(
    "door",
    [
        lambda e: e.delete(),
        lambda e: DecisionEntry.objects.filter(pk=e.pk).delete(),
        lambda e: DecisionEntry.objects.filter(pk=e.pk).update(title="Changed"),
        lambda e: DecisionEntry.objects.bulk_update([e], ["title"]),
    ],
    ids=["delete", "queryset-delete", "queryset-update", "bulk-update"],
)
def test_orm_doors_are_refused(entry, door):
    with pytest.raises(PermissionDenied, match=REFUSAL), transaction.atomic():
        door(entry)
    assert DecisionEntry.objects.filter(pk=entry.pk, title="Kept for good").exists()


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET title = 'Changed' WHERE id = %s",
        f"UPDATE {TABLE} SET hash = 'x' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
    ids=["update", "update-hash", "delete"],
)
def test_raw_sql_is_refused_by_the_database(entry, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert _stored(entry)[0] == "Kept for good"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block it
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")
    assert DecisionEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")
def test_replica_mode_does_not_lift_the_guard(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    assert DecisionEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE")
def test_replace_into_is_refused_on_sqlite(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT OR REPLACE INTO {TABLE} SELECT * FROM {TABLE} WHERE id = %s", [entry.pk]
        )


def test_a_draft_may_be_changed_and_deleted(small_estate, governor):
    made = draft(small_estate.establishment_1, governor)
    DecisionDraft.objects.filter(pk=made.pk).update(title="Still a draft")
    DecisionDraft.objects.filter(pk=made.pk).delete()
    assert not DecisionDraft.objects.exists()

"""Audit events are append-only through every door: the model, the queryset, and raw SQL
(refused by the database's own guard, recovery/core/append_only.py, installed by migration
0004, on SQLite and on PostgreSQL alike). No session setting lifts the guard."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from recovery.audit.actions import record_event
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(small_estate, person_with_role):
    admin = person_with_role(Role.ADMINISTRATOR)
    return record_event(
        acting_user=admin,
        action="estate.update_establishment",
        obj=small_estate.establishment_1,
        summary="Changed population of HMP Ashgrove",
        before={"population": 550},
        after={"population": 575},
    )


def _unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.summary == "Changed population of HMP Ashgrove"
    assert stored.after == {"population": 575}


def test_saving_an_existing_event_is_refused(event):
    event.summary = "Nothing happened here"

    with pytest.raises(PermissionDenied, match="append-only"):
        event.save()

    _unchanged(event)


def test_saving_a_fresh_copy_of_a_stored_event_is_refused(event):
    copy = AuditEvent.objects.get(pk=event.pk)
    copy.summary = "Rewritten"

    with pytest.raises(PermissionDenied, match="append-only"):
        copy.save(update_fields=["summary"])

    _unchanged(event)


def test_deleting_an_event_is_refused(event):
    with pytest.raises(PermissionDenied, match="append-only"):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(PermissionDenied, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rewritten")

    _unchanged(event)


def test_queryset_delete_is_refused(event):
    with pytest.raises(PermissionDenied, match="append-only"):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_raw_sql_update_is_refused_by_the_database(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["Rewritten", event.pk])

    _unchanged(event)


def test_raw_sql_delete_is_refused_by_the_database(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_by_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Settle the test transaction's deferred foreign-key checks first, so that what refuses
        # the TRUNCATE is the guard and not PostgreSQL's "pending trigger events".
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_insert_is_still_allowed(event):
    """The trigger guards changes, not new rows: the trail can always be appended to."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (occurred_at, actor_name, action, summary, object_type, "
            "object_id, object_repr, unit_path, before, after) "
            "VALUES (%s, '', 'test.raw', 'Raw insert', 'x', '1', 'x', '', '{}', '{}')",
            [event.occurred_at],
        )

    assert AuditEvent.objects.filter(action="test.raw").exists()


def _refused_by_the_database(*statements: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Settle the test transaction's deferred foreign-key checks first (PostgreSQL), so that
        # what refuses is the guard and not "pending trigger events".
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)


@on_postgresql
def test_the_old_session_setting_no_longer_allows_truncate(event):
    _refused_by_the_database("SET LOCAL recovery.allow_audit_truncate = 'on'", f"TRUNCATE {TABLE}")

    _unchanged(event)


@on_postgresql
def test_replica_mode_does_not_switch_the_guard_off(event):
    # session_replication_role = replica silences ordinary triggers; the guard's are ALWAYS.
    _refused_by_the_database(
        "SET LOCAL session_replication_role = replica",
        f"UPDATE {TABLE} SET summary = 'Rewritten'",
    )
    _refused_by_the_database("SET LOCAL session_replication_role = replica", f"TRUNCATE {TABLE}")

    _unchanged(event)


@on_postgresql
def test_an_upsert_over_an_existing_event_is_refused_by_postgresql(event):
    _refused_by_the_database(
        f"INSERT INTO {TABLE} (id, occurred_at, actor_name, action, summary, object_type, "
        "object_id, object_repr, unit_path, before, after) "
        f"VALUES ({event.pk}, now(), '', 'x', 'Rewritten', 'x', '1', 'x', '', '{{}}', '{{}}') "
        "ON CONFLICT (id) DO UPDATE SET summary = EXCLUDED.summary"
    )

    _unchanged(event)


@on_postgresql
def test_an_empty_trail_may_be_truncated_since_nothing_is_lost(db):
    """What lets a transactional test's flush (one TRUNCATE of every table) go through once the
    suite has emptied the trail."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")

    assert not AuditEvent.objects.exists()


@on_sqlite
@pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
def test_replacing_an_existing_event_is_refused_by_sqlite(event, verb):
    # REPLACE deletes the old row without firing its delete trigger: the insert is refused.
    _refused_by_the_database(
        f"{verb} {TABLE} (id, occurred_at, actor_name, action, summary, object_type, "
        "object_id, object_repr, unit_path, before, after) "
        f"VALUES ({event.pk}, '2026-01-01', '', 'x', 'Rewritten', 'x', '1', 'x', '', '{{}}', "
        "'{}')"
    )

    _unchanged(event)


@on_sqlite
def test_an_upsert_over_an_existing_event_is_refused_by_sqlite(event):
    _refused_by_the_database(
        f"INSERT INTO {TABLE} (id, occurred_at, actor_name, action, summary, object_type, "
        "object_id, object_repr, unit_path, before, after) "
        f"VALUES ({event.pk}, '2026-01-01', '', 'x', 'Rewritten', 'x', '1', 'x', '', '{{}}', "
        "'{}') ON CONFLICT (id) DO UPDATE SET summary = excluded.summary"
    )

    _unchanged(event)


def test_an_event_with_a_new_id_is_still_inserted(event):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, occurred_at, actor_name, action, summary, object_type, "
            "object_id, object_repr, unit_path, before, after) "
            "VALUES (%s, %s, '', 'test.raw', 'Raw insert', 'x', '1', 'x', '', '{}', '{}')",
            [event.pk + 1000, event.occurred_at],
        )

    assert AuditEvent.objects.filter(pk=event.pk + 1000, action="test.raw").exists()


def test_this_database_has_the_guard(db):
    """Both supported databases carry the guard; another vendor would need its own."""
    assert connection.vendor in {"sqlite", "postgresql"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            assert {row[0] for row in cursor.fetchall()} == {
                f"{TABLE}_append_only_update",
                f"{TABLE}_append_only_delete",
                f"{TABLE}_append_only_replace",
            }
        else:
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            # "A": fires always, whatever session_replication_role says.
            assert set(cursor.fetchall()) == {
                (f"{TABLE}_append_only_rows", "A"),
                (f"{TABLE}_append_only_truncate", "A"),
            }

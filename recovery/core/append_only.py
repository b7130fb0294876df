"""The append-only guard: one migration operation for any table whose rows must never change.

    operations = [AppendOnly("AuditEvent")]

The database itself then refuses, whatever door is used (the ORM, raw SQL, a console):

- on both databases, UPDATE and DELETE of any row;
- on PostgreSQL, TRUNCATE of the table (a statement trigger; TRUNCATE fires no row trigger),
  unless the table is already empty, when emptying it loses nothing; and the triggers are
  ENABLE ALWAYS, so not even `SET session_replication_role = replica` switches them off;
- on SQLite, INSERT of a row whose id is taken: `REPLACE INTO` and `INSERT OR REPLACE` delete
  the old row without firing its delete trigger, so the insert itself is refused.

In Python, a model that inherits `AppendOnlyModel` refuses the same before the database is
asked: `save()` of a stored row, `delete()`, and the queryset's `update()` and `delete()` (so
`bulk_update` too), with the model's own `append_only_refusal`. The audit trail
(`recovery.audit.models.AuditEvent`) and the decision log's recorded entries
(`recovery.decisions.models.DecisionEntry`) are both guarded this way, by this one module.

There is no session setting that lifts the guard. Lifting it takes DDL (ALTER TABLE ... DISABLE
TRIGGER, or DROP TRIGGER), which only the table's owner may run: in production the service
connects as a role that does not own the tables (README, "Running in production"). The test
suite, which owns its throwaway database, empties guarded tables with `empty_for_tests`."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import connection as default_connection
from django.db import models
from django.db.migrations.operations.base import Operation


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes of an append-only model's rows."""

    def update(self, **kwargs):  # noqa: ARG002
        raise PermissionDenied(self.model.append_only_refusal)

    def delete(self):
        raise PermissionDenied(self.model.append_only_refusal)


class AppendOnlyModel(models.Model):
    """A model whose rows, once written, never change: pair it with the `AppendOnly` migration
    operation, which makes the database refuse the same whatever door is used."""

    append_only_refusal = "These rows are append-only: they cannot be changed or removed."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(self.append_only_refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(self.append_only_refusal)


def _names(table: str) -> dict[str, str]:
    return {
        "rows": f"{table}_append_only_rows",
        "truncate": f"{table}_append_only_truncate",
        "update": f"{table}_append_only_update",
        "delete": f"{table}_append_only_delete",
        "replace": f"{table}_append_only_replace",
    }


def postgresql_guard(table: str) -> list[str]:
    n = _names(table)
    refusal = f"'{table} is append-only: its rows cannot be changed or removed'"
    return [
        f"""CREATE OR REPLACE FUNCTION {n["rows"]}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION USING MESSAGE = {refusal};
        END;
        $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION {n["truncate"]}() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM {table}) THEN
                RAISE EXCEPTION USING MESSAGE = {refusal};
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {n["rows"]} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {n["rows"]}()""",
        f"""CREATE TRIGGER {n["truncate"]} BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {n["truncate"]}()""",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {n['rows']}",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {n['truncate']}",
    ]


def postgresql_unguard(table: str) -> list[str]:
    n = _names(table)
    return [
        f"DROP TRIGGER IF EXISTS {n['rows']} ON {table}",
        f"DROP TRIGGER IF EXISTS {n['truncate']} ON {table}",
        f"DROP FUNCTION IF EXISTS {n['rows']}()",
        f"DROP FUNCTION IF EXISTS {n['truncate']}()",
    ]


def sqlite_guard(table: str, pk_column: str) -> list[str]:
    n = _names(table)
    refuse = f"SELECT RAISE(ABORT, '{table} is append-only: its rows cannot be changed or removed')"
    return [
        f"CREATE TRIGGER {n['update']} BEFORE UPDATE ON {table} BEGIN {refuse}; END",
        f"CREATE TRIGGER {n['delete']} BEFORE DELETE ON {table} BEGIN {refuse}; END",
        f"""CREATE TRIGGER {n["replace"]} BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM {table} WHERE {pk_column} = NEW.{pk_column})
            BEGIN {refuse}; END""",
    ]


def sqlite_unguard(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {_names(table)[kind]}" for kind in ("update", "delete", "replace")
    ]


def _statements(vendor: str, model, *, guard: bool) -> list[str]:
    table = model._meta.db_table
    if vendor == "postgresql":
        return postgresql_guard(table) if guard else postgresql_unguard(table)
    if vendor == "sqlite":
        return sqlite_guard(table, model._meta.pk.column) if guard else sqlite_unguard(table)
    raise NotImplementedError(f"No append-only guard is written for {vendor}.")


class AppendOnly(Operation):
    """Makes a model's table append-only in the database (see the module's docstring)."""

    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass  # the models do not change; only the database's behaviour does

    def _run(self, app_label, schema_editor, state, *, guard: bool) -> None:
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        for statement in _statements(schema_editor.connection.vendor, model, guard=guard):
            # params=None: the SQL is sent as written, with no placeholder parsing.
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, to_state, guard=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, from_state, guard=False)

    def describe(self):
        return f"Make the table of {self.model_name} append-only in the database"

    @property
    def migration_name_fragment(self):
        return f"append_only_{self.model_name.lower()}"


@contextmanager
def guard_lifted_for_tests(model, connection=default_connection):
    """For the test suite only: lift the row guard of a table with DDL while the block runs
    (to empty it, or to tamper with it on purpose and prove the tampering is caught), and put it
    back afterwards. The test database is the suite's own; in production the service's role may
    not run this DDL."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = _names(table)["rows"]
            # ALTER TABLE is refused while deferred foreign-key checks are pending (inside a
            # test's transaction): run them now, and keep them immediate until the guard is back.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {rows}")
            try:
                yield cursor
            finally:
                cursor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {rows}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            for statement in sqlite_unguard(table):
                cursor.execute(statement)
            try:
                yield cursor
            finally:
                for statement in sqlite_guard(table, model._meta.pk.column):
                    cursor.execute(statement)
        else:
            raise NotImplementedError(f"No append-only guard is written for {connection.vendor}.")


def empty_for_tests(model, connection=default_connection) -> None:
    """For the test suite only: delete every row of a guarded table, lifting the row guard with
    DDL for that one statement (the test database is the suite's own). Afterwards the table is
    empty, so the PostgreSQL TRUNCATE with which a transactional test ends is allowed."""
    with guard_lifted_for_tests(model, connection) as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")

"""Bulk inserts and updates for imports: thousands of rows in a few statements.

On PostgreSQL rows are streamed with COPY (several times cheaper in Python than Django's
bulk_create, which turns every value into a query parameter); primary keys, when wanted, are
taken from the table's sequence first. Updates are one `UPDATE ... FROM (VALUES ...)` per table
and batch (Django's bulk_update builds a CASE expression per field and row, which costs more in
Python than the import's whole read). Elsewhere (SQLite in development and tests) Django's
bulk_create and bulk_update do the same jobs. Nothing here calls `save()` or sends signals:
callers are actions that have already checked everything and record their own audit events."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

BATCH = 500


def _value(field: models.Field, obj: models.Model):
    value = getattr(obj, field.attname)
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=getattr(field, "encoder", None) or DjangoJSONEncoder)
    return value


def insert_rows(
    model: type[models.Model],
    objs: list[models.Model],
    *,
    local_only: bool = False,
    assign_ids: bool = False,
) -> None:
    """Insert `objs` (every field's value already set, `auto_now_add` included).
    `local_only`: only the model's own table (the detail rows of a multi-table model whose
    parent rows exist). `assign_ids`: give each object a new primary key first."""
    if not objs:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        if local_only:
            # Django's bulk_create refuses multi-table models: insert the detail table alone.
            for start in range(0, len(objs), BATCH):
                model._base_manager._insert(
                    objs[start : start + BATCH], fields=meta.local_concrete_fields, raw=True
                )
        else:
            model._base_manager.bulk_create(objs, batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    fields = list(meta.local_concrete_fields if local_only else meta.concrete_fields)
    with connection.cursor() as cursor:
        if assign_ids:
            pk = meta.pk
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_id)
        else:
            fields = [
                f for f in fields if not (f.primary_key and getattr(objs[0], f.attname) is None)
            ]
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([_value(f, obj) for f in fields])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_values(model: type[models.Model], fields: list[str], rows) -> None:
    """Insert `rows`, each a sequence of values of `fields` (attribute names: `metric_id`), with
    no model object made: for hundreds of thousands of rows (the demo's two years of returns),
    where making objects costs more than writing them. COPY on PostgreSQL; elsewhere one
    `executemany`, each value prepared for the database once per distinct value."""
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    columns = [by_attname[name] for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Only values Python's sqlite3 cannot take as they are (dates, decimals, JSON...) are
        # prepared, each distinct value once.
        plain = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)
        to_prepare = [
            (i, f)
            for i, f in enumerate(columns)
            if not isinstance(f.target_field if f.is_relation else f, plain)
        ]
        caches: dict[int, dict] = {i: {} for i, _ in to_prepare}

        def prepared(row):
            row = list(row)
            for i, column in to_prepare:
                value = row[i]
                if value is None:
                    continue
                cache = caches[i]
                found = cache.get(value)
                if found is None:
                    found = cache[value] = column.get_db_prep_save(value, connection)
                row[i] = found
            return row

        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})",
            [prepared(row) for row in rows],
        )


# Text columns take the VALUES list's text as it is (so a value too long for its column is still
# an error, not cut short by a cast); every other column is cast to its own type.
_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def update_rows(model: type[models.Model], objs: list[models.Model], fields: list[str]) -> None:
    """Write `fields` of `objs` (rows that exist) as they are on the objects. Fields of a
    multi-table model may lie in the parent's table or the child's: one statement per table."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(objs, fields, batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    by_table: dict[str, tuple[models.Field, list[models.Field]]] = {}
    for name in fields:
        field = model._meta.get_field(name)
        table_meta = field.model._meta
        by_table.setdefault(table_meta.db_table, (table_meta.pk, []))[1].append(field)
    with connection.cursor() as cursor:
        for table, (pk, table_fields) in by_table.items():
            sets = ", ".join(
                f"{quote(f.column)} = v.c{i}"
                + ("" if f.get_internal_type() in _TEXT_TYPES else f"::{f.db_type(connection)}")
                for i, f in enumerate(table_fields)
            )
            names = ", ".join(["pk", *(f"c{i}" for i in range(len(table_fields)))])
            row = "(" + ", ".join(["%s"] * (len(table_fields) + 1)) + ")"
            for start in range(0, len(objs), BATCH):
                batch = objs[start : start + BATCH]
                params: list[object] = []
                for obj in batch:
                    params.append(obj.pk)
                    params.extend(
                        f.get_db_prep_save(getattr(obj, f.attname), connection)
                        for f in table_fields
                    )
                cursor.execute(
                    f"UPDATE {quote(table)} AS t SET {sets} "
                    f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({names}) "
                    f"WHERE t.{quote(pk.column)} = v.pk::bigint",
                    params,
                )

"""Bulk inserts for imports: thousands of rows in a few statements.

On PostgreSQL rows are streamed with COPY (several times cheaper in Python than Django's
bulk_create, which turns every value into a query parameter); primary keys, when wanted, are
taken from the table's sequence first. Elsewhere (SQLite in development and tests) Django's
bulk_create does the same job. Nothing here calls `save()` or sends signals: callers are
actions that have already checked everything and record their own audit events."""

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

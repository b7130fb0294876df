"""The audit table's guard, from the one reusable operation in recovery/core/append_only.py.

It replaces the guard of 0002 and 0003, whose TRUNCATE trigger gave way to a session setting
(`recovery.allow_audit_truncate`) that anyone connected could set. The new guard has no such
setting; on SQLite it also refuses REPLACE INTO / INSERT OR REPLACE of an existing event."""

import importlib

from django.db import migrations

from recovery.core.append_only import AppendOnly

_0002 = importlib.import_module("recovery.audit.migrations.0002_append_only_guard")
_0003 = importlib.import_module("recovery.audit.migrations.0003_no_truncate_on_postgresql")


def drop_first_guard(apps, schema_editor):
    _0003.down(apps, schema_editor)
    _0002.down(apps, schema_editor)


def restore_first_guard(apps, schema_editor):
    _0002.up(apps, schema_editor)
    _0003.up(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_no_truncate_on_postgresql")]
    operations = [
        migrations.RunPython(drop_first_guard, restore_first_guard),
        AppendOnly("AuditEvent"),
    ]

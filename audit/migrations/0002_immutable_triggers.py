"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on audit rows (audit/triggers.py)."""

from typing import Any

from django.db import migrations

from audit import triggers


def forwards(apps: Any, schema_editor: Any) -> None:
    triggers.install(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

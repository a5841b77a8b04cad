"""Django's flush, allowed past the audit triggers: it empties the whole database at once.

flush is an operator's command (and what the test runner uses between transactional tests);
the application itself never deletes audit rows. On PostgreSQL it opens the triggers' purge
switch for its own session; on SQLite it drops the triggers and puts them back.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from ... import triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET {triggers.PURGE_SETTING} = 'on'")
            try:
                super().handle(**options)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"RESET {triggers.PURGE_SETTING}")
        elif (
            connection.vendor == "sqlite"
            and triggers.TABLE in connection.introspection.table_names()
        ):
            triggers.uninstall(connection)
            try:
                super().handle(**options)
            finally:
                triggers.install(connection)
        else:
            super().handle(**options)

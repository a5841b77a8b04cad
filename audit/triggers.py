"""Database triggers that refuse to change or delete audit rows, whatever SQL the app sends.

PostgreSQL: one plpgsql function behind a row trigger (UPDATE, DELETE) and a statement trigger
(TRUNCATE). UPDATE is always refused. DELETE and TRUNCATE pass only in a session that has run
`SET audit.allow_purge = 'on'`: the DBA's archiving of rows past the retention period
(docs/OPERATIONS.md) and `manage.py flush`, which empties the whole database (audit's own
flush command sets it). SQLite (development and tests): two row triggers that always abort;
flush drops and re-creates them around its work.

On SQLite a migration that remakes the audit_event table (most AlterField and RemoveField
operations do) drops these triggers with the old table: such a migration must call
`install(schema_editor.connection)` again. tests/audit/test_immutable.py fails if they are missing.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_event"
PURGE_SETTING = "audit.allow_purge"
MESSAGE = "审计记录只能新增，不能修改或删除"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'UPDATE' AND current_setting('{PURGE_SETTING}', true) = 'on' THEN
            IF TG_LEVEL = 'ROW' THEN
                RETURN OLD;
            END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MESSAGE}（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"""
    CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]

SQLITE_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete")
SQLITE_INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

STATEMENTS: dict[str, tuple[list[str], list[str]]] = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def _run(connection: Any, install: bool) -> None:
    statements = STATEMENTS.get(connection.vendor)
    if statements is None:
        return  # another database: the model-level refusals still hold
    with connection.cursor() as cursor:
        for sql in statements[0 if install else 1]:
            cursor.execute(sql)


def install(connection: Any) -> None:
    """Create the triggers on this connection's database (safe to run again)."""
    _run(connection, install=True)


def uninstall(connection: Any) -> None:
    """Drop the triggers."""
    _run(connection, install=False)

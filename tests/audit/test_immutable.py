"""Audit rows are written once: the model, the queryset and the database itself refuse changes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit import triggers
from audit.models import Event, ImmutableAuditError
from audit.services import record

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers (CI's second run)"
)


@pytest.fixture
def event(db) -> Event:
    return record(None, "import", outcome="success", detail={"command": "load_reports"})


def fields(event: Event) -> tuple:
    return tuple(Event.objects.filter(pk=event.pk).values_list("action", "outcome", "detail"))


def test_it_refuses_every_change_through_the_orm(event: Event):
    before = fields(event)
    event.outcome = "error"
    with pytest.raises(ImmutableAuditError):
        event.save()
    with pytest.raises(ImmutableAuditError):
        event.save(update_fields=["outcome"])
    with pytest.raises(ImmutableAuditError):
        event.delete()
    with pytest.raises(ImmutableAuditError):
        Event.objects.filter(pk=event.pk).update(outcome="error")
    with pytest.raises(ImmutableAuditError):
        Event.objects.all().delete()
    with pytest.raises(ImmutableAuditError):
        Event.objects.bulk_update([event], ["outcome"])
    assert fields(event) == before
    assert str(ImmutableAuditError()) == "审计记录只能新增，不能修改或删除"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET outcome = 'error'",
        "UPDATE audit_event SET detail = '{}' WHERE id > 0",
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE id > 0",
    ],
)
def test_the_database_refuses_raw_sql_from_the_app(event: Event, sql: str):
    before = fields(event)
    with (
        pytest.raises(DatabaseError, match="审计记录只能新增"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert fields(event) == before


def test_the_database_keeps_taking_new_rows(event: Event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_event (at, username, role, action, object_type, object_id,"
            " object_repr, outcome, method, path, detail)"
            " VALUES (%s, '', 'system', 'update', '', '', '', 'success', '', '', '{}')",
            [event.at],
        )
    assert Event.objects.count() == 2


def test_the_triggers_are_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [triggers.TABLE],
            )
            expected = set(triggers.SQLITE_TRIGGERS)
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [triggers.TABLE],
            )
            expected = {"audit_event_no_change", "audit_event_no_truncate"}
        assert {row[0] for row in cursor.fetchall()} == expected


@postgresql_only
def test_postgresql_refuses_truncate(event: Event):
    with (
        pytest.raises(DatabaseError, match="审计记录只能新增"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The row's deferred foreign-key check would stop TRUNCATE first: run it now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_event")
    assert Event.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_postgresql_lets_the_dba_purge_but_never_update(event: Event):
    """The archiving switch of docs/OPERATIONS.md: DELETE passes, UPDATE never does."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {triggers.PURGE_SETTING} = 'on'")
        try:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute("UPDATE audit_event SET outcome = 'error'")
            cursor.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])
        finally:
            cursor.execute(f"RESET {triggers.PURGE_SETTING}")
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_database_and_the_triggers_stay():
    """flush (an operator's command, and the test runner's between transactional tests)."""
    record(None, "import", outcome="success")
    # inhibit_post_migrate: what follows a flush (the apps' post_migrate hooks) is not ours.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not Event.objects.exists()
    record(None, "import", outcome="success")
    with (
        pytest.raises(DatabaseError, match="审计记录只能新增"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_event")
    assert Event.objects.count() == 1

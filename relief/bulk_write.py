"""Writes fast enough for a 20,000-row roster import: the rows by COPY on PostgreSQL, their
history rows made by the database from the rows just written.

Django's bulk_create spends about 100 µs a row preparing values and statements (2 seconds for
20,000 persons, another 4 for simple-history's copies, 2 for their support periods); the
database itself needs a tenth of that. `insert` sends the rows as one COPY stream when every
field is a plain value (bulk_create otherwise, and on SQLite); `history_insert` writes the
"created" history row of each saved row with one INSERT … SELECT, as simple-history's
bulk_history_create would (bulk_history_create itself when the history table has fields of its
own we do not know). `periods_insert` writes new persons' first support periods the same way;
`BatchWriter` writes batches in a second thread on the same connection while the next are read.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.utils import timezone

from org.models import User

from .models import Person, SupportPeriod

PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}
HISTORY_FIELDS = {"history_date", "history_type", "history_user_id", "history_change_reason"}
BATCH = 1000


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def _number(value: Any) -> str:
    return "\\N" if value is None else str(value)


def _day(value: Any) -> str:
    return "\\N" if value is None else value.isoformat()


def _flag(value: Any) -> str:
    return "\\N" if value is None else ("t" if value else "f")


CONVERTERS = {
    "BooleanField": _flag,
    "CharField": _text,
    "TextField": _text,
    "DateField": _day,
    "DateTimeField": _day,
}


def _plain(model: type[Model]) -> bool:
    return all(f.get_internal_type() in PLAIN_FIELDS for f in model._meta.concrete_fields)


def _filled(model: type[Model], rows: Sequence[dict[str, Any]]) -> list[tuple[Any, list[Any]]]:
    """Per field (not the primary key): the field and its values, defaults where a row has none."""
    now = timezone.now()
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = now if auto else field.get_default()  # "" for text, None when nullable
        columns.append((field, [row.get(field.attname, default) for row in rows]))
    return columns


def insert(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Write new rows given as {attname: value} (omitted fields take their default; auto_now
    ones the time now). Read their primary keys back by a unique field when you need them."""
    if not rows:
        return
    columns = _filled(model, rows)
    if connection.vendor != "postgresql" or not _plain(model):
        objs = [
            model(**{field.attname: values[i] for field, values in columns})
            for i in range(len(rows))
        ]
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    texts = [
        map(CONVERTERS.get(field.get_internal_type(), _number), values) for field, values in columns
    ]
    buffer = io.StringIO()
    buffer.writelines("\t".join(line) + "\n" for line in zip(*texts, strict=True))
    buffer.seek(0)
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field, _values in columns)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN", buffer)


def history_insert(model: type[Model], pks: Iterable[int], user: User | None) -> None:
    """The "created" history row (simple-history's '+') of each row of `model` in `pks`."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    ids = list(pks)
    history = model.history.model  # type: ignore[attr-defined]
    own = {f.column for f in model._meta.concrete_fields}
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    copied = [f for f in fields if f.column in own]
    extra = [f for f in fields if f.column not in own]
    if {f.attname for f in extra} != HISTORY_FIELDS:
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            list(model._default_manager.filter(pk__in=ids)), default_user=user
        )
        return
    values: dict[str, Any] = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_user_id": user.pk if user else None,
        "history_change_reason": "",
    }
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*copied, *extra])
    selected = ", ".join(quote(f.column) for f in copied)
    table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}) "
                f"SELECT {selected}, {', '.join(['%s'] * len(extra))} FROM {table} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})",
                [*(values[f.attname] for f in extra), *chunk],
            )


def periods_insert(person_ids: list[int], user: User) -> None:
    """Each new person's first support period, as services._period_for makes it (at the place
    the person lives, from the day they were taken in), written by the database from the rows
    just saved."""
    quote = connection.ops.quote_name
    periods, persons = quote(SupportPeriod._meta.db_table), quote(Person._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(person_ids), BATCH):
            chunk = person_ids[start : start + BATCH]
            cursor.execute(
                f"INSERT INTO {periods} (person_id, unit_id, starts_on, ends_on, assistance, "
                "support_mode, self_care, institution_id, recorded_by_id, recorded_at) "
                "SELECT id, COALESCE(community_id, unit_id), since, NULL, assistance, "
                f"support_mode, self_care, institution_id, %s, %s FROM {persons} "
                f"WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [user.pk, timezone.now(), *chunk],
            )


class BatchWriter:
    """Writes the checked batches (`write(*batch)` for each `put(batch)`), in order, in a thread of its own on the import's database
    connection (and so in its transaction) while the rows after them are read and checked: the
    database's work (COPY, indexes, history, periods) overlaps the parsing instead of following
    it. The reading thread touches no database meanwhile; `finish` waits for the last batch
    before the transaction ends, and raises what the writer raised."""

    def __init__(self, write: Callable[..., None]) -> None:
        self.write = write
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.batches: queue.Queue[Any] = queue.Queue(maxsize=2)  # memory: a few batches at most
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._loop, name="roster-writer", daemon=True)

    def start(self) -> None:
        self.connection.inc_thread_sharing()
        self.thread.start()

    def put(self, batch: Any) -> None:
        self.batches.put(batch)

    def finish(self) -> None:
        self.batches.put(None)
        self.thread.join()
        self.connection.dec_thread_sharing()
        if self.error is not None:
            raise self.error

    def _loop(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection  # this thread's queries: the same one
        while (item := self.batches.get()) is not None:
            if self.error is not None:
                continue  # keep taking batches so the reader never waits on a full queue
            try:
                self.write(*item)
            except BaseException as error:  # raised again in the reading thread by `finish`
                self.error = error

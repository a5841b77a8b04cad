"""The roster import in batches: every batch written with its history and first support period
as the services make them; a problem in a late batch leaves nothing of the earlier ones; an
institution is found in the user's own bureau only."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from org import services as org_services
from org.models import UnitKind
from relief import roster
from relief import services as relief_services
from relief.models import Household, Person, SupportPeriod
from tests.conftest import Tree
from tests.relief.factories import id_number

HEADER = ["户编号", "社区（村）", "姓名", "身份证号", "保障类别", "供养方式", "自理能力", "供养机构", "纳入日期", "月保障金额"]  # fmt: skip


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows(count: int) -> list[list[Any]]:
    """低保 households (H-0 of two, 甲一社区) and, every third row, a 特困 person in the home."""
    made = []
    for n in range(count):
        number = id_number(date(1950, 1, 1 + n % 28), 100 + n)
        if n % 3 == 2:
            made.append(["", "", f"特困{n}", number, "特困人员", "集中供养", "完全不能自理", "甲街道敬老院", date(2019, 5, 1), 1050])  # fmt: skip
        else:
            made.append([f"H-{n // 2}", "甲一社区", f"低保{n}", number, "城市低保", "", "", "", "2018-07-01", "700"])  # fmt: skip
    return made


def run(user, data: bytes) -> roster.ImportResult:
    return roster.roster_import(user=user, name="台账.xlsx", size=len(data), stream=BytesIO(data))


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(roster, "BATCH", 4)


def test_it_writes_every_batch_with_history_and_first_periods(
    tree: Tree, township_a, small_batches
):
    result = run(township_a, workbook(rows(11)))
    assert result.ok, result.errors
    assert (result.created_persons, result.created_households) == (11, 6)
    assert Person.objects.count() == 11 and Household.objects.count() == 6
    for person in Person.objects.select_related("unit", "community", "institution"):
        expected = relief_services._period_for(person, starts_on=person.since, user=township_a)
        period = SupportPeriod.objects.get(person=person)
        fields = ["unit_id", "starts_on", "ends_on", "assistance", "support_mode", "self_care"]
        fields += ["institution_id", "recorded_by_id"]
        assert [getattr(period, f) for f in fields] == [getattr(expected, f) for f in fields]
        created = person.history.get()
        assert (created.history_type, created.history_user, created.name) == (
            "+",
            township_a,
            person.name,
        )
        if person.household_id:
            assert person.household.history.get().history_user == township_a
    tekun = Person.objects.get(name="特困2")
    assert (tekun.support_mode, tekun.institution) == ("concentrated", tree.institution_a)
    assert Household.objects.get(number="H-0").members.count() == 2


def test_a_problem_in_the_last_batch_leaves_nothing_of_the_first(
    tree: Tree, township_a, small_batches
):
    bad = rows(11)
    bad[10][9] = "123456789"  # more digits than a monthly amount has
    result = run(township_a, workbook(bad))
    assert result.errors == ["第 12 行 J 列：金额应不超过 999999.99 元，最多两位小数"]
    assert (result.created_persons, result.created_households) == (0, 0)
    assert (Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count()) == (
        0,
        0,
        0,
    )
    assert not Person.history.exists()


def test_it_finds_the_institution_in_the_users_own_bureau(tree: Tree, township_a):
    other = org_services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    street = org_services.unit_create(name="外区街道", kind=UnitKind.STREET, parent=other)
    org_services.unit_create(name="甲街道敬老院", kind=UnitKind.INSTITUTION, parent=street)
    result = run(township_a, workbook(rows(3)))
    assert result.ok, result.errors
    assert Person.objects.get(name="特困2").institution == tree.institution_a


def test_too_many_rows_after_some_batches_leave_nothing(tree: Tree, township_a, monkeypatch):
    monkeypatch.setattr(roster, "BATCH", 2)
    monkeypatch.setattr(roster, "MAX_ROWS", 6)
    result = run(township_a, workbook(rows(9)))
    assert result.errors == ["行数超过 6 行：请分成几个文件上传"]
    assert (Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_failure_while_writing_is_raised_and_leaves_nothing(
    tree: Tree, township_a, small_batches, monkeypatch
):
    from relief import bulk_write

    calls = []
    history = bulk_write.history_insert

    def failing(model, pks, user):
        calls.append(model)
        if len(calls) == 3:  # in the writer thread, a batch after the first
            raise RuntimeError("the database went away")
        history(model, pks, user)

    monkeypatch.setattr(bulk_write, "history_insert", failing)
    with pytest.raises(RuntimeError, match="went away"):
        run(township_a, workbook(rows(11)))
    assert (Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count()) == (
        0,
        0,
        0,
    )

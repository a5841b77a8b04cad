"""The 台账 townships keep in Excel, imported: checked whole, saved at once (export: exports.py).

An import reads every row first and collects every problem as "第 N 行 X 列：…"; only a file with
no problem at all is saved, in one short transaction with bulk_create. ID numbers never appear
in a message: a message names the row, the column and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from org.models import Unit, UnitKind, User
from org.uploads import (
    XLSX,
    UploadRefused,
    check_size,
    check_workbook,
    iter_rows_capped,
    read_capped,
)

from . import idnumber, selectors, services
from .models import Assistance, Household, Person, SelfCare, SupportMode, SupportPeriod

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_ROWS = 10  # the header may stand this far down

# Column: (header, aliases, required)
COLUMNS: list[tuple[str, tuple[str, ...], bool]] = [
    ("户编号", ("家庭编号", "户号"), False),
    ("镇街", ("镇（街道）", "镇街道", "所属镇街"), False),
    ("社区（村）", ("社区", "村", "村（社区）", "所属社区"), False),
    ("姓名", ("对象姓名",), True),
    ("身份证号", ("身份证号码", "公民身份号码"), True),
    ("与户主关系", ("关系",), False),
    ("联系电话", ("电话", "手机号码"), False),
    ("保障类别", ("救助类别", "类别"), True),
    ("供养方式", (), False),
    ("自理能力", (), False),
    ("供养机构", (), False),
    ("纳入日期", ("审批日期", "纳入时间"), True),
    ("月保障金额", ("保障金额", "月保障金额（元）"), False),
    ("家庭住址", ("住址",), False),
    ("备注", (), False),
]
HEADERS = [c[0] for c in COLUMNS]

ASSISTANCE_WORDS = {
    **{str(a.label): a.value for a in Assistance},
    "城市低保对象": Assistance.URBAN_DIBAO,
    "城镇低保": Assistance.URBAN_DIBAO,
    "农村低保对象": Assistance.RURAL_DIBAO,
    "特困": Assistance.TEKUN,
    "特困供养": Assistance.TEKUN,
    "低保边缘户": Assistance.EDGE,
}
MODE_WORDS = {str(m.label): m.value for m in SupportMode} | {
    "集中": "concentrated",
    "分散": "dispersed",
}
SELF_CARE_WORDS = {str(s.label): s.value for s in SelfCare} | {
    "全自理": SelfCare.FULL,
    "自理": SelfCare.FULL,
    "完全自理": SelfCare.FULL,
    "半自理": SelfCare.PARTIAL,
    "部分自理": SelfCare.PARTIAL,
    "全护理": SelfCare.NONE,
    "不能自理": SelfCare.NONE,
}


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created_persons: int = 0
    created_households: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("年", "-").replace("月", "-").replace("日", "")
    text = text.replace("/", "-").replace(".", "-")
    try:
        year, month, day = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """The first of the top rows that names 姓名 and 身份证号: its index and the column map."""
    for index, row in enumerate(rows[:10]):
        names = [_text(v).replace(" ", "").replace("\n", "") for v in row]
        mapping: dict[str, int] = {}
        for header, aliases, _required in COLUMNS:
            for col, name in enumerate(names):
                if name == header or name in aliases:
                    mapping.setdefault(header, col)
        if "姓名" in mapping and "身份证号" in mapping:
            return index, mapping
    return None


class _Context:
    """What the rows are checked against, loaded once per import."""

    def __init__(self, user: User) -> None:
        writable = list(selectors.writable_units(user).filter(is_active=True))
        self.townships = {u.name: u for u in writable if u.is_township}
        for u in writable:
            if u.is_township and u.short_name:
                self.townships.setdefault(u.short_name, u)
        self.places = {
            (u.parent_id, u.name): u
            for u in writable
            if u.kind in (UnitKind.COMMUNITY, UnitKind.VILLAGE)
        }
        self.institutions = {
            u.name: u for u in Unit.objects.filter(kind=UnitKind.INSTITUTION, is_active=True)
        }
        self.only_township = (
            next(iter(self.townships.values()))
            if len({u.pk for u in self.townships.values()}) == 1
            else None
        )
        self.visible = selectors.visible_units(user)
        self.households = {
            (h.unit_id, h.number): h
            for h in Household.objects.filter(unit__in=[u.pk for u in self.townships.values()])
        }


def roster_import(*, user: User, name: str, size: int, stream: IO[bytes]) -> ImportResult:
    """Check the whole file; save every row or none."""
    result = ImportResult()
    too_many = f"行数超过 {MAX_ROWS} 行：请分成几个文件上传"
    try:
        check_size(size, MAX_BYTES)
        workbook = check_workbook(read_capped(stream, MAX_BYTES), name)
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    try:
        limit = MAX_ROWS + HEADER_ROWS + 1
        rows = list(iter_rows_capped(workbook.worksheets[0], max_rows=limit, message=too_many))
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    except Exception:  # a part damaged past what the checks read
        result.errors.append(XLSX.damaged)
        return result
    finally:
        workbook.close()
    found = _find_header(rows)
    if found is None:
        result.errors.append("找不到表头：前 10 行中应有一行包含“姓名”“身份证号”等列名")
        return result
    header_index, mapping = found
    if sum(1 for row in rows[header_index + 1 :] if any(_text(v) for v in row)) > MAX_ROWS:
        result.errors.append(too_many)
        return result
    missing = [h for h, _a, required in COLUMNS if required and h not in mapping]
    context = _Context(user)
    if "镇街" not in mapping and context.only_township is None:
        missing.append("镇街")
    if missing:
        result.errors.append(f"第 {header_index + 1} 行：表头缺少“{'”“'.join(missing)}”列")
        return result
    persons, households = _check_rows(rows, header_index, mapping, context, result)
    if result.errors:
        return result
    _save(persons, households, user)
    result.created_persons = len(persons)
    result.created_households = len({id(h) for h in households.values() if h.pk is None})
    return result


def _check_rows(
    rows: list[tuple[Any, ...]],
    header_index: int,
    mapping: dict[str, int],
    context: _Context,
    result: ImportResult,
) -> tuple[list[Person], dict[tuple[int, str], Household]]:
    def cell(row: tuple[Any, ...], header: str) -> Any:
        col = mapping.get(header)
        return row[col] if col is not None and col < len(row) else None

    def where(line: int, header: str) -> str:
        return f"第 {line} 行 {get_column_letter(mapping[header] + 1)} 列"

    persons: list[Person] = []
    households: dict[tuple[int, str], Household] = {}
    seen: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(_text(v) for v in row):
            continue
        errors: list[str] = []
        name = _text(cell(row, "姓名"))
        number = idnumber.normalize(cell(row, "身份证号"))
        if not name:
            errors.append(f"{where(offset, '姓名')}：请填写姓名")
        id_problems = idnumber.problems(number)
        if id_problems:
            errors.append(f"{where(offset, '身份证号')}：{id_problems[0]}")
        elif number in seen:
            errors.append(f"{where(offset, '身份证号')}：身份证号与第 {seen[number]} 行重复")
        else:
            seen[number] = offset
            numbers[number] = offset
        if "镇街" in mapping:
            township_name = _text(cell(row, "镇街"))
            township = context.townships.get(township_name)
            if township is None:
                errors.append(
                    f"{where(offset, '镇街')}："
                    + (f"“{township_name}”不是您可以登记的镇街" if township_name else "请填写镇街")
                )
        else:
            township = context.only_township
        community = None
        place_name = _text(cell(row, "社区（村）"))
        if place_name and township is not None:
            community = context.places.get((township.pk, place_name))
            if community is None:
                errors.append(
                    f"{where(offset, '社区（村）')}：“{township.name}”下没有“{place_name}”"
                )
        assistance = ASSISTANCE_WORDS.get(_text(cell(row, "保障类别")))
        if assistance is None:
            errors.append(
                f"{where(offset, '保障类别')}：应为城市低保、农村低保、低保边缘或特困人员"
            )
        mode = self_care = ""
        institution = None
        if assistance == Assistance.TEKUN:
            mode = MODE_WORDS.get(_text(cell(row, "供养方式")), "")
            if not mode:
                errors.append(
                    _need(mapping, offset, "供养方式", "特困人员应填“集中供养”或“分散供养”")
                )
            self_care = SELF_CARE_WORDS.get(_text(cell(row, "自理能力")), "")
            if not self_care:
                errors.append(
                    _need(
                        mapping,
                        offset,
                        "自理能力",
                        "特困人员应填生活能自理、部分不能自理或完全不能自理",
                    )
                )
            if mode == SupportMode.CONCENTRATED:
                institution_name = _text(cell(row, "供养机构"))
                institution = context.institutions.get(institution_name)
                if institution is None:
                    errors.append(
                        _need(
                            mapping,
                            offset,
                            "供养机构",
                            f"找不到养老机构“{institution_name}”"
                            if institution_name
                            else "集中供养应填写供养机构",
                        )
                    )
        since = _date(cell(row, "纳入日期"))
        if since is None:
            errors.append(f"{where(offset, '纳入日期')}：应为日期，如 2020-04-10")
        elif since > date.today():
            errors.append(f"{where(offset, '纳入日期')}：纳入日期不能晚于今天")
        amount = None
        amount_text = _text(cell(row, "月保障金额"))
        if amount_text:
            try:
                amount = Decimal(amount_text)
                if amount < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(f"{where(offset, '月保障金额')}：应为不小于 0 的数字")
        if errors or township is None or assistance is None or since is None:
            result.errors.extend(errors)
            continue
        household = None
        number_text = _text(cell(row, "户编号"))
        if number_text:
            key = (township.pk, number_text)
            household = households.get(key) or context.households.get(key)
            if household is None:
                household = services.household_build(
                    unit=township,
                    number=number_text,
                    head_name=name,
                    assistance=assistance,
                    community=community,
                    address=_text(cell(row, "家庭住址"))[:200],
                    phone=_text(cell(row, "联系电话"))[:30],
                )
                households[key] = household
        try:
            person = services.person_build(
                unit=township,
                community=community,
                household=household,
                name=name[:30],
                id_number=number,
                assistance=assistance,
                since=since,
                support_mode=mode,
                self_care=self_care,
                institution=institution,
                relation=_text(cell(row, "与户主关系"))[:20],
                phone=_text(cell(row, "联系电话"))[:30],
                monthly_amount=amount,
                note=_text(cell(row, "备注")),
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                label = {"name": "姓名", "id_number": "身份证号"}.get(field_name, "")
                place = where(offset, label) if label in mapping else f"第 {offset} 行"
                result.errors.extend(f"{place}：{m}" for m in messages)
            continue
        persons.append(person)
    if not persons and not result.errors:
        result.errors.append("文件中没有数据行")
    _check_database_duplicates(numbers, mapping, context, result)
    return persons, households


def _need(mapping: dict[str, int], line: int, header: str, message: str) -> str:
    if header in mapping:
        return f"第 {line} 行 {get_column_letter(mapping[header] + 1)} 列：{message}"
    return f"第 {line} 行：缺少“{header}”列，{message}"


def _check_database_duplicates(
    numbers: dict[str, int], mapping: dict[str, int], context: _Context, result: ImportResult
) -> None:
    column = get_column_letter(mapping["身份证号"] + 1)
    existing = Person.objects.filter(id_number__in=list(numbers)).select_related("unit")
    visible = set(
        context.visible.filter(pk__in=existing.values("unit_id")).values_list("pk", flat=True)
    )
    for person in existing:
        line = numbers[person.id_number]
        if person.unit_id in visible:
            result.errors.append(
                f"第 {line} 行 {column} 列：身份证号已登记为救助对象（{person.unit.name} {person.name}）"
            )
        else:
            # Another township's person: say no more than that it exists elsewhere.
            result.errors.append(
                f"第 {line} 行 {column} 列：身份证号已在其他单位登记，请与社会救助科核实"
            )
    result.errors.sort(key=_line_of)


def _line_of(message: str) -> int:
    try:
        return int(message.split(" ")[1])
    except (IndexError, ValueError):
        return 0


@transaction.atomic
def _save(persons: list[Person], households: dict[tuple[int, str], Household], user: User) -> None:
    new_households = [h for h in households.values() if h.pk is None]
    if new_households:
        bulk_create_with_history(new_households, Household, default_user=user)
        saved = {
            (h.unit_id, h.number): h
            for h in Household.objects.filter(
                unit_id__in={h.unit_id for h in new_households},
                number__in=[h.number for h in new_households],
            )
        }
        for person in persons:
            if person.household is not None and person.household.pk is None:
                person.household = saved[(person.household.unit_id, person.household.number)]
    bulk_create_with_history(persons, Person, batch_size=1000, default_user=user)
    ids = dict(
        Person.objects.filter(id_number__in=[p.id_number for p in persons]).values_list(
            "id_number", "pk"
        )
    )
    periods = []
    for person in persons:
        person.pk = ids[person.id_number]
        periods.append(services._period_for(person, starts_on=person.since, user=user))
    SupportPeriod.objects.bulk_create(periods, batch_size=1000)

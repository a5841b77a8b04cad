"""The 台账 townships keep in Excel, imported: checked whole, saved at once (export: exports.py).

An import checks every row and collects every problem as "第 N 行 X 列：…"; only a file with no
problem at all is saved, in one transaction of bulk_creates (rolled back at the first problem).
ID numbers never appear in a message: a message names the row, the column and what is wrong.
20,000 rows take a few seconds in constant memory: the sheet is streamed (relief.xlsx_rows) and
no row costs a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl.utils import get_column_letter

from org.access import home_bureaus
from org.models import Unit, UnitKind, User
from org.text import text_problem
from org.uploads import UploadRefused, check_size, read_capped

from . import bulk_write, idnumber, selectors, services
from .models import Assistance, Household, IdClaim, IdClaimSource, Person, SelfCare, SupportMode
from .xlsx_rows import check_xlsx, sheet_rows

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_ROWS = 10  # the header may stand this far down
BATCH = 1000  # rows written at once

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
    # Rows whose number is on a roster the user cannot see, put on the section's desk (a saved
    # file), or refused by the day's limit (the file refused): for the answer and the audit.
    claims: list[IdClaim] = field(default_factory=list)
    refused: list[services.HeldRegistration] = field(default_factory=list)

    @property
    def held_lines(self) -> list[str]:
        """What the file's answer says of the rows set aside: no more than that they were."""
        return [f"第 {claim.line} 行：已转社会救助科核实" for claim in self.claims]

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
    """What the rows are checked against, loaded once per import (no row queries the database)."""

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
        # The institutions of the user's own bureau: on a city's installation every district
        # has its 白沙埠镇敬老院, and a name alone would pick any of them.
        reach = Q(pk__in=[])
        for path in home_bureaus(user).values_list("path", flat=True):
            reach |= Q(path__startswith=path)
        self.institutions = {
            u.name: u for u in Unit.objects.filter(reach, kind=UnitKind.INSTITUTION, is_active=True)
        }
        self.only_township = (
            next(iter(self.townships.values()))
            if len({u.pk for u in self.townships.values()}) == 1
            else None
        )
        self.visible = selectors.visible_units(user)
        # Existing households by (township, number): their ids only, not thousands of objects.
        self.households: dict[tuple[int, str], int] = {
            (unit_id, number): pk
            for pk, unit_id, number in Household.objects.filter(
                unit__in=[u.pk for u in self.townships.values()]
            ).values_list("pk", "unit_id", "number")
        }


class _TooMany(Exception):
    pass


def roster_import(*, user: User, name: str, size: int, stream: IO[bytes]) -> ImportResult:
    """Check the whole file; save every row or none.

    The rows are read as a stream (relief.xlsx_rows) and checked one by one; while no problem
    has been found, each thousand good rows is written at once (by `bulk_write.BatchWriter`, while the next
    rows are read), inside one transaction that is rolled back when any row turns out wrong.
    Memory stays flat in the number of rows: a few batches, and the ID numbers seen so far (to
    name a duplicate's first row).
    """
    result = ImportResult()
    too_many = f"行数超过 {MAX_ROWS} 行：请分成几个文件上传"
    try:
        check_size(size, MAX_BYTES)
        data = read_capped(stream, MAX_BYTES)
        check_xlsx(data, name)
        rows = sheet_rows(data, max_rows=MAX_ROWS + HEADER_ROWS + 1, message=too_many)
        head = list(islice(rows, HEADER_ROWS))
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    found = _find_header(head)
    if found is None:
        result.errors.append("找不到表头：前 10 行中应有一行包含“姓名”“身份证号”等列名")
        return result
    header_index, mapping = found
    missing = [h for h, _a, required in COLUMNS if required and h not in mapping]
    context = _Context(user)
    if "镇街" not in mapping and context.only_township is None:
        missing.append("镇街")
    if missing:
        result.errors.append(f"第 {header_index + 1} 行：表头缺少“{'”“'.join(missing)}”列")
        return result
    lines = chain(
        enumerate(head[header_index + 1 :], start=header_index + 2),
        enumerate(rows, start=len(head) + 1),
    )
    importer = _Importer(user, mapping, context, result)
    try:
        with transaction.atomic():
            importer.run(lines)
            if importer.held and not result.errors:
                try:
                    result.claims = services.id_claims_submit(
                        user=user, held=importer.held, source=IdClaimSource.IMPORT
                    )
                except services.ClaimLimitReached:
                    result.errors.append(services.ID_CLAIM_REFUSED)
                    result.refused = importer.held
            if result.errors:
                transaction.set_rollback(True)
    except UploadRefused as refused:
        return ImportResult(errors=[refused.message])
    except _TooMany:
        return ImportResult(errors=[too_many])
    result.errors.sort(key=_line_of)
    if result.errors:
        result.created_persons = result.created_households = 0
        result.claims = []
    return result


def _need(mapping: dict[str, int], line: int, header: str, message: str) -> str:
    if header in mapping:
        return f"第 {line} 行 {get_column_letter(mapping[header] + 1)} 列：{message}"
    return f"第 {line} 行：缺少“{header}”列，{message}"


def _line_of(message: str) -> int:
    try:
        return int(message.split(" ")[1])
    except (IndexError, ValueError):
        return 0


@dataclass
class _Row:
    """A checked row waiting in its batch: the person's fields, and the household it joins."""

    line: int
    person: dict[str, Any]
    household: tuple[int, str] | None


class _Importer:
    """Checks rows one by one and writes them in batches while none has failed."""

    def __init__(
        self, user: User, mapping: dict[str, int], context: _Context, result: ImportResult
    ) -> None:
        self.user, self.mapping, self.context, self.result = user, mapping, context, result
        self.seen: dict[str, int] = {}  # ID number → its first row
        # (township, number) → id: the households that exist, and (the writer's) those it made.
        self.households = dict(context.households)
        self.known = set(context.households)  # the reader's: existing or made by this file
        self.new_households: dict[tuple[int, str], dict[str, Any]] = {}  # of the current batch
        self.batch: list[_Row] = []
        # Rows set aside for the section (their number is on a roster the user cannot see).
        self.held: list[services.HeldRegistration] = []
        self.rows = 0
        self.today = timezone.localdate()
        self.writer = bulk_write.BatchWriter(self.write)

    def cell(self, row: tuple[Any, ...], header: str) -> Any:
        col = self.mapping.get(header)
        return row[col] if col is not None and col < len(row) else None

    def where(self, line: int, header: str) -> str:
        return f"第 {line} 行 {get_column_letter(self.mapping[header] + 1)} 列"

    def run(self, lines: Iterable[tuple[int, tuple[Any, ...]]]) -> None:
        self.writer.start()
        try:
            for line, row in lines:
                if not any(_text(v) for v in row):
                    continue
                self.rows += 1
                if self.rows > MAX_ROWS:
                    raise _TooMany
                checked = self.check(line, row)
                if checked is not None:
                    self.batch.append(checked)
                    if len(self.batch) >= BATCH:
                        self.flush()
            self.flush()
        finally:
            self.writer.finish()  # every batch written (or the writer's error raised)
        if not self.result.created_persons and not self.result.errors and not self.held:
            self.result.errors.append("文件中没有数据行")

    def check(self, line: int, row: tuple[Any, ...]) -> _Row | None:
        """The row's fields, checked, or None with its problems added to the result."""
        errors = self._check_text(line, row)
        name = _text(self.cell(row, "姓名"))
        if not name:
            errors.append(f"{self.where(line, '姓名')}：请填写姓名")
        number = self._check_identity(line, row, errors)
        township, community = self._check_place(line, row, errors)
        assistance = ASSISTANCE_WORDS.get(_text(self.cell(row, "保障类别")))
        if assistance is None:
            errors.append(
                f"{self.where(line, '保障类别')}：应为城市低保、农村低保、低保边缘或特困人员"
            )
        support = self._check_support(line, row, assistance, errors)
        since, amount = self._check_since_amount(line, row, errors)
        if errors or township is None or assistance is None or since is None:
            self.result.errors.extend(errors)
            return None
        fields = {
            "unit": township,
            "community": community,
            "name": name,
            "id_number": number,
            "assistance": assistance,
            "since": since,
            "monthly_amount": amount,
            **support,
        }
        return self._build_row(line, row, fields)

    def _check_text(self, line: int, row: tuple[Any, ...]) -> list[str]:
        """The one text rule (org.text) on every cell the row is read from."""
        errors = []
        for header, col in sorted(self.mapping.items(), key=lambda item: item[1]):
            value = row[col] if col < len(row) else None
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                errors.append(f"{self.where(line, header)}：{problem}")
        return errors

    def _check_identity(self, line: int, row: tuple[Any, ...], errors: list[str]) -> str:
        """The row's ID number, normalized; its problem, or its repetition in the file, noted."""
        number = idnumber.normalize(self.cell(row, "身份证号"))
        id_problems = idnumber.problems(number, today=self.today)
        if id_problems:
            errors.append(f"{self.where(line, '身份证号')}：{id_problems[0]}")
        elif number in self.seen:
            errors.append(
                f"{self.where(line, '身份证号')}：身份证号与第 {self.seen[number]} 行重复"
            )
        else:
            self.seen[number] = line
        return number

    def _check_place(
        self, line: int, row: tuple[Any, ...], errors: list[str]
    ) -> tuple[Unit | None, Unit | None]:
        """The township (the file's column, or the user's only one) and the community in it."""
        context, where = self.context, self.where
        if "镇街" in self.mapping:
            township_name = _text(self.cell(row, "镇街"))
            township = context.townships.get(township_name)
            if township is None:
                errors.append(
                    f"{where(line, '镇街')}："
                    + (f"“{township_name}”不是您可以登记的镇街" if township_name else "请填写镇街")
                )
        else:
            township = context.only_township
        community = None
        place_name = _text(self.cell(row, "社区（村）"))
        if place_name and township is not None:
            community = context.places.get((township.pk, place_name))
            if community is None:
                errors.append(f"{where(line, '社区（村）')}：“{township.name}”下没有“{place_name}”")
        return township, community

    def _check_support(
        self, line: int, row: tuple[Any, ...], assistance: str | None, errors: list[str]
    ) -> dict[str, Any]:
        """A 特困 person's 供养方式, 自理能力 and (集中供养) institution; blank for the others."""
        support: dict[str, Any] = {"support_mode": "", "self_care": "", "institution": None}
        if assistance != Assistance.TEKUN:
            return support
        mapping = self.mapping
        support["support_mode"] = mode = MODE_WORDS.get(_text(self.cell(row, "供养方式")), "")
        if not mode:
            errors.append(_need(mapping, line, "供养方式", "特困人员应填“集中供养”或“分散供养”"))
        support["self_care"] = SELF_CARE_WORDS.get(_text(self.cell(row, "自理能力")), "")
        if not support["self_care"]:
            errors.append(
                _need(
                    mapping, line, "自理能力", "特困人员应填生活能自理、部分不能自理或完全不能自理"
                )
            )
        if mode == SupportMode.CONCENTRATED:
            institution_name = _text(self.cell(row, "供养机构"))
            support["institution"] = self.context.institutions.get(institution_name)
            if support["institution"] is None:
                errors.append(
                    _need(
                        mapping,
                        line,
                        "供养机构",
                        f"找不到养老机构“{institution_name}”"
                        if institution_name
                        else "集中供养应填写供养机构",
                    )
                )
        return support

    def _check_since_amount(
        self, line: int, row: tuple[Any, ...], errors: list[str]
    ) -> tuple[date | None, Decimal | None]:
        """纳入日期 (a date, not after today) and 月保障金额 (blank, or a number not below 0)."""
        since = _date(self.cell(row, "纳入日期"))
        if since is None:
            errors.append(f"{self.where(line, '纳入日期')}：应为日期，如 2020-04-10")
        elif since > self.today:
            errors.append(f"{self.where(line, '纳入日期')}：纳入日期不能晚于今天")
        amount = None
        amount_text = _text(self.cell(row, "月保障金额"))
        if amount_text:
            try:
                amount = Decimal(amount_text)
                if amount < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(f"{self.where(line, '月保障金额')}：应为不小于 0 的数字")
        return since, amount

    def _build_row(self, line: int, row: tuple[Any, ...], fields: dict[str, Any]) -> _Row | None:
        """The person's row (and a household the file names and nobody has yet), validated
        by the models' rules; None with the rules' messages placed on their cells."""
        cell, township, name = self.cell, fields["unit"], fields["name"]
        household = None
        number_text = _text(cell(row, "户编号"))
        try:
            if number_text:
                household = (township.pk, number_text)
                if household not in self.known:
                    self.new_households[household] = _household(
                        unit=township,
                        number=number_text,
                        head_name=name,
                        assistance=fields["assistance"],
                        community=fields["community"],
                        address=_text(cell(row, "家庭住址"))[:200],
                        phone=_text(cell(row, "联系电话"))[:30],
                    )
                    self.known.add(household)
            person = _person(
                **{**fields, "name": name[:30]},
                relation=_text(cell(row, "与户主关系"))[:20],
                phone=_text(cell(row, "联系电话"))[:30],
                note=_text(cell(row, "备注")),
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                label = {
                    "name": "姓名",
                    "id_number": "身份证号",
                    "number": "户编号",
                    "monthly_amount": "月保障金额",
                }.get(field_name, "")
                place = self.where(line, label) if label in self.mapping else f"第 {line} 行"
                self.result.errors.extend(f"{place}：{m}" for m in messages)
            return None
        return _Row(line, person, household)

    def flush(self) -> None:
        """Hand the batch to the writer and go on reading."""
        batch, self.batch = self.batch, []
        households, self.new_households = self.new_households, {}
        if batch:
            self.writer.put((batch, households))

    def write(self, batch: list[_Row], households: dict[tuple[int, str], dict[str, Any]]) -> None:
        """Name the batch's people already registered, set aside those on rosters the user
        cannot see; write the rest of the batch if nothing failed yet."""
        batch = self._database_duplicates(batch)
        if self.result.errors:
            return  # the transaction will be rolled back: writing more would be wasted
        if households:
            made = list(households.values())
            bulk_write.insert(Household, made)
            saved = Household.objects.filter(
                unit_id__in={h["unit_id"] for h in made}, number__in=[h["number"] for h in made]
            ).values_list("pk", "unit_id", "number")
            keys = {(unit_id, number): pk for pk, unit_id, number in saved}
            bulk_write.history_insert(Household, [keys[key] for key in households], self.user)
            self.households.update(keys)
            self.result.created_households += len(made)
        if not batch:
            return
        for row in batch:
            if row.household is not None:
                row.person["household_id"] = self.households[row.household]
        bulk_write.insert(Person, [row.person for row in batch])
        ids = list(
            Person.objects.filter(id_number__in=[row.person["id_number"] for row in batch])
            .order_by()
            .values_list("pk", flat=True)
        )
        bulk_write.history_insert(Person, ids, self.user)
        bulk_write.periods_insert(ids, self.user)
        self.result.created_persons += len(batch)

    def _database_duplicates(self, batch: list[_Row]) -> list[_Row]:
        """The batch without its rows whose number is registered already: one the user sees is
        a problem of the file, named; one they do not see is set aside for the section, and
        the file's answer says of it only that it went there (issue 18)."""
        rows = {row.person["id_number"]: row for row in batch}
        existing = list(
            Person.objects.filter(id_number__in=list(rows)).select_related("unit").order_by()
        )
        if not existing:
            return batch
        column = get_column_letter(self.mapping["身份证号"] + 1)
        visible = set(
            self.context.visible.filter(pk__in={p.unit_id for p in existing}).values_list(
                "pk", flat=True
            )
        )
        for person in existing:
            row = rows.pop(person.id_number)
            if person.unit_id in visible:
                self.result.errors.append(
                    f"第 {row.line} 行 {column} 列：{services.duplicate_message(person)}"
                )
            else:
                self.held.append(
                    services.HeldRegistration(
                        fields=_registration(row), existing=person, line=row.line
                    )
                )
        return list(rows.values())


def _registration(row: _Row) -> dict[str, Any]:
    """A checked row as the person form gives it (ids for units), for a claim to keep."""
    person = row.person
    return {
        **{key: person.get(key, "") for key in services.CLAIM_FIELDS},
        "unit": person["unit_id"],
        "community": person["community_id"],
        "institution": person["institution_id"],
        "household_number": row.household[1] if row.household else "",
        "id_number": person["id_number"],
    }


def _household(
    *, unit: Unit, number: str, head_name: str, assistance: str, **fields: Any
) -> dict[str, Any]:
    """A new household's fields, as services.household_build would check them, without its
    foreign-key queries: the units come checked from the import's context (one query per
    household would cost seconds on 20,000 rows), the other texts are cut to their length."""
    try:
        _HOUSEHOLD_NUMBER.clean(number, None)
    except ValidationError as error:
        raise ValidationError({"number": error.messages}) from None
    community = fields.pop("community", None)
    return {
        "unit_id": unit.pk,
        "community_id": community.pk if community else None,
        "number": number,
        "head_name": head_name[:30],
        "assistance": assistance,
        **fields,
    }


def _person(
    *,
    unit: Unit,
    name: str,
    id_number: str,
    assistance: str,
    since: date,
    community: Unit | None,
    support_mode: str,
    self_care: str,
    institution: Unit | None,
    relation: str,
    phone: str,
    monthly_amount: Decimal | None,
    note: str,
) -> dict[str, Any]:
    """A new person's fields, as services.person_build would make them, without building a model
    (20,000 of them cost seconds) or its foreign-key queries. The rules person_build's
    full_clean and Person.clean apply are the importer's own checks: words from its
    vocabularies, texts cut to their length, a 特困 person's mode, self-care and institution,
    nobody else's; services' `_check_place` for the community; the amount's digits here."""
    services._check_place(unit, community)
    if monthly_amount is not None:
        try:
            _MONTHLY_AMOUNT.clean(monthly_amount, None)
        except ValidationError:
            raise ValidationError(
                {"monthly_amount": ["金额应不超过 999999.99 元，最多两位小数"]}
            ) from None
    concentrated = assistance == Assistance.TEKUN and support_mode == SupportMode.CONCENTRATED
    return {
        "unit_id": unit.pk,
        "community_id": community.pk if community else None,
        "name": name.strip(),
        "id_number": id_number,
        "gender": idnumber.gender(id_number),
        "birth_date": idnumber.born_on(id_number),
        "assistance": assistance,
        "since": since,
        "support_mode": support_mode if assistance == Assistance.TEKUN else "",
        "self_care": self_care,
        "institution_id": institution.pk if institution and concentrated else None,
        "relation": relation,
        "phone": phone,
        "monthly_amount": monthly_amount,
        "note": note,
    }


_HOUSEHOLD_NUMBER = Household._meta.get_field("number")
_MONTHLY_AMOUNT = Person._meta.get_field("monthly_amount")

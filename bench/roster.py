"""Roster import of a 20,000-row Excel file: ours (relief/roster.py) against what a team would
pick instead, django-import-export's ModelResource for the same model (relief.Person), on the
same file and database in the same run; and our peak memory at 5,000 and 20,000 rows.

The file is the roster template's columns (镇街, 社区（村）, 姓名, 身份证号, 保障类别, …) for district
1's townships, plus 性别 and 出生日期, which our import reads from the ID number and ignores, so
that import-export's resource can fill the model's required fields from columns. Its resource
is the default ModelResource, declared the way its documentation shows: one Field per column,
ForeignKeyWidget for the units by name (within the district), a label → value widget for the
choices, `import_id_fields = ("id_number",)`; imported with `use_transactions=True`, all or
nothing like ours. Both are timed end to end (the bytes to the saved rows), ours as the median
of three runs, and the rows are deleted after each.

Memory is measured in a fresh process per size: tracemalloc's peak during the import (what
Python allocated for it), and the process's peak resident size for reference.

    .venv/bin/python bench/roster.py --districts 10
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from _common import PYTHON, ROOT, emit, note, setup_django

ROWS = 20_000
RUNS = 3  # ours: the median of three runs (django-import-export's takes minutes: one run)
AREA = "371399"  # no seeded district uses it: the file's people are new to the database
HOUSEHOLD_PREFIX = "导入测试-"
CACHE = Path("/tmp")


def build_file(rows: int) -> bytes:
    """A roster of `rows` new people spread over district 1's townships, as .xlsx bytes."""
    from minzheng.scale import bureau_name
    from org.models import TOWNSHIP_KINDS, Unit, UnitKind
    from relief import idnumber
    from relief.roster import HEADERS

    path = CACHE / f"dalei-bench-roster-v4-{rows}.xlsx"
    if path.exists():
        return path.read_bytes()
    bureau = Unit.objects.get(name=bureau_name(1), parent=None)
    townships = list(
        Unit.objects.filter(parent=bureau, kind__in=TOWNSHIP_KINDS).order_by("sort_order")
    )
    places = {
        t.pk: list(t.children.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)))
        for t in townships
    }
    institutions = list(
        Unit.objects.filter(path__startswith=bureau.path, kind=UnitKind.INSTITUTION)
    )
    rng = random.Random(rows)
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
    table: list[list[object]] = [[*HEADERS, "性别", "出生日期"]]
    household = None
    left_in_household = 0
    township = townships[0]
    community = None
    for n in range(rows):
        tekun = rng.random() < 0.17
        if tekun or left_in_household == 0:  # a household's members live in one place
            township = townships[n % len(townships)]
            community = rng.choice(places[township.pk]) if places[township.pk] else None
        born = date(1935, 1, 1) + timedelta(days=n // 500)
        number = idnumber.make(AREA, born, n % 500 * 2 + rng.randrange(2))
        if tekun:
            assistance, relation, household_number = "特困人员", "本人", ""
            concentrated = rng.random() < 0.3
            mode = "集中供养" if concentrated else "分散供养"
            care = rng.choice(["生活能自理", "部分不能自理", "完全不能自理"])
            institution = rng.choice(institutions).name if concentrated else ""
            amount = 1050
        else:
            if left_in_household == 0:
                household = f"{HOUSEHOLD_PREFIX}{n:06d}"
                left_in_household = rng.choice([1, 2, 2, 3, 4])
                relation = "户主"
            else:
                relation = rng.choice(["配偶", "子女", "父母"])
            left_in_household -= 1
            assistance = "城市低保" if township.kind == "street" else "农村低保"
            mode = care = institution = ""
            household_number = household or ""
            amount = 700
        table.append(
            [
                household_number,
                township.name,
                community.name if community else "",
                rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                number,
                relation,
                f"139{rng.randrange(10**8):08d}",
                assistance,
                mode,
                care,
                institution,
                date(2019, 1, 1) + timedelta(days=rng.randrange(700)),
                amount,
                f"{township.name}{rng.randrange(1, 99)}号",
                "",
                "男" if idnumber.gender(number) == "M" else "女",
                idnumber.born_on(number),
            ]
        )
    data = excel_workbook("救助对象", table)
    path.write_bytes(data)
    return data


def excel_workbook(title: str, table: list[list[object]]) -> bytes:
    """The .xlsx Excel or WPS would save: shared strings, dates as numbers in a date style, the
    sheet's <dimension> (openpyxl writes every text inline and, in write-only mode, no size)."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    strings: dict[str, int] = {}
    lines = []
    for r, row in enumerate(table, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="1"><v>{to_excel(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    last = f"{get_column_letter(max(len(row) for row in table))}{len(table)}"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/>'
            '<name val="宋体"/></font></fonts><fills count="1"><fill><patternFill '
            'patternType="none"/></fill></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
            '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{last}"/>'
            f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def clean_up() -> int:
    """Delete what an import of the file created (persons, their periods and history, households)."""
    from relief.models import Household, Person

    persons = Person.objects.filter(id_number__startswith=AREA)
    count = persons.count()
    Person.history.filter(id_number__startswith=AREA).delete()
    persons.delete()
    Household.history.filter(number__startswith=HOUSEHOLD_PREFIX).delete()
    Household.objects.filter(number__startswith=HOUSEHOLD_PREFIX).delete()
    return count


def section_user():
    from minzheng.scale import username
    from org.models import User

    return User.objects.get(username=username(1, "jiuzhu"))


def ours(data: bytes) -> tuple[float, int]:
    from relief.roster import roster_import

    started = time.perf_counter()
    result = roster_import(
        user=section_user(), name="救助对象.xlsx", size=len(data), stream=io.BytesIO(data)
    )
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    return elapsed, result.created_persons


def person_resource():
    """django-import-export's default ModelResource for Person, mapped to the file's columns."""
    from import_export import fields, resources, widgets

    from minzheng.scale import bureau_name
    from org.models import Unit
    from relief.models import Assistance, Gender, Person, SelfCare, SupportMode

    bureau = Unit.objects.get(name=bureau_name(1), parent=None)

    class UnitByName(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):  # names repeat across districts
            return Unit.objects.filter(path__startswith=bureau.path)

    class Choice(widgets.Widget):
        """The label the file shows (城市低保) → the stored value (urban_dibao)."""

        def __init__(self, choices) -> None:
            super().__init__()
            self.values = {str(label): value for value, label in choices}

        def clean(self, value, row=None, **kwargs):
            return self.values.get(str(value or "").strip(), "")

    def column(attribute: str, name: str, widget=None):
        # Text columns as the ModelResource would make them for a CharField (empty → "").
        return fields.Field(
            attribute=attribute, column_name=name, widget=widget or widgets.CharWidget()
        )

    class PersonResource(resources.ModelResource):
        unit = column("unit", "镇街", UnitByName(Unit, "name"))
        community = column("community", "社区（村）", UnitByName(Unit, "name"))
        name = column("name", "姓名")
        id_number = column("id_number", "身份证号")
        gender = column("gender", "性别", Choice(Gender.choices))
        birth_date = column("birth_date", "出生日期", widgets.DateWidget())
        relation = column("relation", "与户主关系")
        phone = column("phone", "联系电话")
        assistance = column("assistance", "保障类别", Choice(Assistance.choices))
        support_mode = column("support_mode", "供养方式", Choice(SupportMode.choices))
        self_care = column("self_care", "自理能力", Choice(SelfCare.choices))
        institution = column("institution", "供养机构", UnitByName(Unit, "name"))
        since = column("since", "纳入日期", widgets.DateWidget())
        monthly_amount = column("monthly_amount", "月保障金额", widgets.DecimalWidget())
        note = column("note", "备注")

        class Meta:
            model = Person
            import_id_fields = ("id_number",)
            fields = (
                "unit",
                "community",
                "name",
                "id_number",
                "gender",
                "birth_date",
                "relation",
                "phone",
                "assistance",
                "support_mode",
                "self_care",
                "institution",
                "since",
                "monthly_amount",
                "note",
            )

    return PersonResource()


def with_import_export(data: bytes) -> tuple[float, int]:
    import tablib

    started = time.perf_counter()
    dataset = tablib.Dataset().load(data, format="xlsx")
    result = person_resource().import_data(
        dataset, dry_run=False, raise_errors=True, use_transactions=True
    )
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed, result.totals["new"]


def measure_memory(rows: int) -> None:
    """In a fresh process: import `rows` rows and print the peak memory as JSON."""
    from relief.roster import roster_import

    data = build_file(rows)
    user = section_user()
    clean_up()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    result = roster_import(user=user, name="救助对象.xlsx", size=len(data), stream=io.BytesIO(data))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, result.errors[:5]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clean_up()
    print(json.dumps({"peak": peak, "rss": rss * 1024, "rss_before": baseline * 1024}))


def memory_in_subprocess(rows: int, districts: int) -> dict:
    script = Path(__file__).resolve()
    out = subprocess.run(
        [PYTHON, str(script), "--districts", str(districts), "--memory", str(rows)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--memory", type=int, help="(internal) measure memory at this size")
    parser.add_argument("--skip-import-export", action="store_true")
    args = parser.parse_args()
    setup_django(args.districts)
    if args.memory:
        measure_memory(args.memory)
        return
    data = build_file(args.rows)
    runs = []
    for _ in range(RUNS):
        clean_up()
        seconds, created = ours(data)
        assert created == args.rows, created
        runs.append(seconds)
    clean_up()
    mine = statistics.median(runs)
    emit(f"roster_import_ours_{args.rows}_rows", mine, "s")
    emit(f"roster_import_ours_{args.rows}_rows_best", min(runs), "s")
    emit(f"roster_import_file_{args.rows}_rows", len(data) / 1024 / 1024, "MB")
    if not args.skip_import_export:
        note("django-import-export: one row at a time (about a minute or more)")
        theirs, created = with_import_export(data)
        assert created == args.rows, created
        clean_up()
        emit(f"roster_import_django_import_export_{args.rows}_rows", theirs, "s")
        emit("roster_import_speedup_vs_import_export", theirs / mine, "x")
    for rows in (5_000, 20_000):
        memory = memory_in_subprocess(rows, args.districts)
        emit(f"roster_import_peak_python_memory_{rows}_rows", memory["peak"] / 1024 / 1024, "MB")
        emit(f"roster_import_peak_rss_{rows}_rows", memory["rss"] / 1024 / 1024, "MB")


if __name__ == "__main__":
    sys.exit(main())

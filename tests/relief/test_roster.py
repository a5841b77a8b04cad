"""The 台账 import: checked whole, every problem named by row and column, nothing saved on any
error; and the export, scoped and masked."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from relief.models import Household, IdClaim, Person, SupportPeriod
from tests.conftest import Tree, client_for
from tests.relief.factories import id_number, person

HEADER = [
    "户编号",
    "社区（村）",
    "姓名",
    "身份证号",
    "保障类别",
    "供养方式",
    "自理能力",
    "供养机构",
    "纳入日期",
    "月保障金额",
]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER, title_rows: int = 1) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["甲街道救助对象台账（2020年6月）"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "台账.xlsx"):
    return client.post(reverse("relief:roster_import"), {"file": SimpleUploadedFile(name, data)})


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count()


def good_rows() -> list[list[Any]]:
    return [
        [
            "A-01",
            "甲一社区",
            "王一",
            id_number(date(1950, 1, 2), 11),
            "特困人员",
            "分散供养",
            "部分不能自理",
            "",
            date(2019, 3, 1),
            1050,
        ],
        [
            "A-02",
            "甲二社区",
            "李二",
            id_number(date(1970, 5, 6), 22),
            "城市低保",
            "",
            "",
            "",
            "2018-07-01",
            "700",
        ],
        [
            "A-02",
            "甲二社区",
            "李小二",
            id_number(date(2005, 5, 6), 33),
            "城市低保",
            "",
            "",
            "",
            "2018年7月1日",
            700,
        ],
        [
            "",
            "",
            "赵三",
            id_number(date(1940, 9, 9), 44),
            "特困",
            "集中",
            "全护理",
            "甲街道敬老院",
            date(2020, 1, 1),
            "",
        ],
    ]


def test_it_imports_a_good_file_in_one_go(tree: Tree, township_a):
    client = client_for(township_a)
    response = upload(client, xlsx(good_rows()))
    assert response.status_code == 302
    assert counts() == (4, 2, 4)
    zhao = Person.objects.get(name="赵三")
    assert (zhao.unit, zhao.support_mode, zhao.self_care, zhao.institution) == (
        tree.township_a,
        "concentrated",
        "none",
        tree.institution_a,
    )
    household = Household.objects.get(number="A-02")
    assert household.members.count() == 2 and household.community == tree.community_a2
    assert SupportPeriod.objects.get(person=zhao).starts_on == date(2020, 1, 1)


def test_it_saves_nothing_and_names_every_problem(tree: Tree, township_a):
    person(tree.township_a, name="已登记", id_number=id_number(date(1955, 5, 5), 55))
    person(tree.township_b, name="乙镇的人", id_number=id_number(date(1956, 6, 6), 66))
    before = counts()
    rows = good_rows()
    wrong = rows[1][3][:17] + ("0" if rows[1][3][17] != "0" else "1")
    rows[1][3] = wrong
    rows[2][3] = rows[0][3]  # the same number twice in the file
    rows.append(
        [
            "",
            "",
            "孙四",
            id_number(date(1955, 5, 5), 55),
            "城市低保",
            "",
            "",
            "",
            date(2019, 1, 1),
            "",
        ]
    )
    rows.append(
        [
            "",
            "",
            "周五",
            id_number(date(1956, 6, 6), 66),
            "城市低保",
            "",
            "",
            "",
            date(2019, 1, 1),
            "",
        ]
    )
    rows.append(
        ["", "乙一村", "吴六", id_number(date(1957, 7, 7), 77), "五保", "", "", "", "去年", "-5"]
    )
    rows.append(
        [
            "",
            "",
            "郑七",
            id_number(date(1958, 8, 8), 88),
            "特困人员",
            "",
            "",
            "",
            date(2019, 1, 1),
            "",
        ]
    )
    response = upload(client_for(township_a), xlsx(rows))
    assert response.status_code == 200
    errors = response.context["result"].errors
    expected_digit = wrong and __import__("relief.idnumber", fromlist=["x"]).check_digit(wrong[:17])
    assert errors == [
        f"第 4 行 D 列：身份证号校验位不正确，应为 {expected_digit}",
        "第 5 行 D 列：身份证号与第 3 行重复",
        "第 7 行 D 列：身份证号已登记为救助对象（甲街道 已登记）",
        # Row 8's number is on 乙镇's roster, which 甲街道 cannot see: it is no problem of the
        # file, and a file saved whole would set it aside for the section (test_id_claims.py).
        "第 9 行 B 列：“甲街道”下没有“乙一村”",
        "第 9 行 E 列：应为城市低保、农村低保、低保边缘或特困人员",
        "第 9 行 I 列：应为日期，如 2020-04-10",
        "第 9 行 J 列：应为不小于 0 的数字",
        "第 10 行 F 列：特困人员应填“集中供养”或“分散供养”",
        "第 10 行 G 列：特困人员应填生活能自理、部分不能自理或完全不能自理",
    ]
    assert counts() == before
    assert not IdClaim.objects.exists()  # nothing saved: not even the row set aside
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "乙镇的人" not in page and "第 8 行" not in page
    for row in rows:
        assert str(row[3]) not in page  # no number of the file is echoed back


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "只能上传 .xlsx 文件"),
        ("台账.xlsm", b"PK\x03\x04" + b"0" * 100, "不接受含宏的 .xlsm 文件"),
        ("台账.csv", b"a,b\n", "只能上传 .xlsx 文件"),
        ("台账.xlsx", b"PK\x03\x04 not really a zip", "这不是 Excel 工作簿（.xlsx）文件"),
        ("台账.xlsx", b"just text", "这不是 Excel 工作簿（.xlsx）文件"),
    ],
)
def test_it_refuses_what_is_not_an_xlsx_workbook(tree: Tree, township_a, name, data, message):
    response = upload(client_for(township_a), data, name)
    assert response.status_code == 200
    assert message in response.context["result"].errors[0]
    assert counts() == (0, 0, 0)


def test_it_refuses_a_file_without_the_columns_it_needs(tree: Tree, township_a):
    response = upload(client_for(township_a), xlsx([["王一"]], header=["姓名", "电话"]))
    assert response.context["result"].errors == [
        "找不到表头：前 10 行中应有一行包含“姓名”“身份证号”等列名"
    ]
    response = upload(client_for(township_a), xlsx([["王一", "1"]], header=["姓名", "身份证号"]))
    assert response.context["result"].errors == ["第 2 行：表头缺少“保障类别”“纳入日期”列"]


def test_it_caps_the_rows_and_the_size(tree: Tree, township_a, monkeypatch):
    from relief import roster

    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    rows = good_rows() * 2
    response = upload(client_for(township_a), xlsx(rows))
    assert response.context["result"].errors == ["行数超过 3 行：请分成几个文件上传"]
    monkeypatch.setattr(roster, "MAX_BYTES", 100)
    response = upload(client_for(township_a), xlsx(good_rows()))
    assert "文件太大" in response.context["result"].errors[0]
    assert counts() == (0, 0, 0)


def test_it_needs_a_township_column_from_the_section(tree: Tree, section):
    tree.section.keeps_records = "relief"
    tree.section.save(update_fields=["keeps_records"])
    response = upload(client_for(section), xlsx(good_rows()))
    assert response.context["result"].errors == ["第 2 行：表头缺少“镇街”列"]
    rows = [["甲街道", *row] for row in good_rows()]
    rows[0][0] = "乙镇"  # the section keeps every township's roster
    response = upload(client_for(section), xlsx(rows, header=["镇街", *HEADER]))
    assert response.context["result"].errors == ["第 3 行 C 列：“乙镇”下没有“甲一社区”"]


def test_it_keeps_the_import_from_other_roles(tree: Tree, leader, office, institution):
    for user in (leader, institution):
        assert client_for(user).get(reverse("relief:roster_import")).status_code == 403
    # The office manages the bureau and may keep any roster.
    assert client_for(office).get(reverse("relief:roster_import")).status_code == 200


def test_it_exports_only_what_the_user_sees_with_numbers_masked(tree: Tree, township_a, township_b):
    mine = person(tree.township_a, name="甲的人")
    theirs = person(tree.township_b, name="乙的人")
    response = client_for(township_a).get(reverse("relief:person_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "甲的人" in values and "乙的人" not in values
    assert mine.masked_id_number in values
    assert not any(mine.id_number in v or theirs.id_number in v for v in values)


def test_it_exports_formula_like_text_as_text(tree: Tree, township_a):
    person(tree.township_a, name="公式", relation="=1+2")
    response = client_for(township_a).get(reverse("relief:person_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=6)
    assert cell.value == "=1+2" and cell.data_type == "s"

"""The plan files bureaus send (a .docx with a 任务分解表, a PDF printed from Word, an old .doc)
through services.importing.plan_file_text into drafts of the Lanshan demo bureau, and the bad
files (a scan, an encrypted or damaged PDF, a renamed photo, 200 pages of nonsense), each refused
with one message and nothing created. The files are built from seed 000's own wording
(tests/campaigns/plan_files.py); those printed by LibreOffice are skipped without it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign, Task
from campaigns.plan_import import parse_plan
from campaigns.plan_import.convert import convert
from campaigns.plan_import.pdf import SCANNED
from campaigns.services.importing import NOT_A_PLAN, campaign_import, plan_file_text
from org.models import Unit, User
from org.uploads import PDF_NOT_IT, PDF_TRUNCATED
from tests.campaigns import plan_files
from tests.conftest import Tree, client_for

needs_soffice = pytest.mark.skipif(not plan_files.has_soffice(), reason="LibreOffice 未安装")
TITLES = [
    "特困人员供养水平擂台赛",
    "养老服务设施建设打擂赛",
    "养老机构服务质量擂台赛",
    "城乡社区治理擂台赛",
    "公墓建设擂台赛",
    "养老服务项目建设攻坚战",
    "社会组织培育攻坚战",
]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def imported(name: str, data: bytes, bureau: Unit, office: User) -> Campaign:
    return campaign_import(text=plan_file_text(upload(name, data)), bureau=bureau, user=office)


def compact(text: str) -> str:
    return "".join(text.split())


def assert_the_table_tasks(campaign: Campaign) -> None:
    """The seven tasks of the table, with their leaders, units and deadlines as written."""
    tasks = list(campaign.tasks.order_by("order"))
    rows = plan_files.lanshan_rows()
    assert [t.title for t in tasks] == TITLES
    assert [t.number for t in tasks] == [str(n) for n in range(1, 8)]
    assert [t.chapter for t in tasks] == ["一、横向打擂台"] * 5 + ["二、纵向抓攻坚"] * 2
    assert [compact(t.goal) for t in tasks] == [compact(row["goal"]) for row in rows]
    assert [t.leaders_text for t in tasks] == [row["leaders"] for row in rows]
    for task, row in zip(tasks, rows, strict=True):
        for unit in row["units"].split("、"):
            assert unit in task.responsible_text, (task.title, unit)
    assert "社会救助科" in {u.name for u in tasks[0].responsible_units.all()}
    source = compact(campaign.source_text)
    for row in rows:
        assert compact(f"{row['units']}完成时限：{row['deadline']}") in source


# --- tables.py on its own -----------------------------------------------------------------------


def test_it_writes_a_task_table_in_any_column_order_as_labelled_text():
    from campaigns.plan_import.tables import render_task_table

    rows = [
        ["附件", "附件", "附件", "附件", "附件"],
        ["时间节点", "配合领导", "工作内容", "序  号", "牵头单位"],
        ["2020年10月底前", "张琦", "集中供养率达到 60%。", "1", "社会救助科\n各镇街道（经开区）"],
        ["时间节点", "配合领导", "工作内容", "序  号", "牵头单位"],  # repeated on a new page
        [None, "", "每月探访分散供养特困人员。", "2", "社会救助科"],
    ]
    assert render_task_table(rows) == "\n".join(
        [
            "附件",
            "1.集中供养率达到 60%。",
            "配合领导：张琦",
            "牵头单位：社会救助科、各镇街道（经开区）",
            "完成时限：2020年10月底前",
            "2.每月探访分散供养特困人员。",
            "牵头单位：社会救助科",
            "完成时限：2020年10月底前",  # a merged cell takes the value above it
        ]
    )


def test_it_leaves_a_table_that_is_no_task_table():
    from campaigns.plan_import.tables import render_task_table

    assert (
        render_task_table([["指标名称", "目标值", "完成时限"], ["集中供养率", "60%", "10月"]])
        is None
    )
    assert render_task_table([["兰山区民政局", "2020 年 4 月 10 日"]]) is None


def test_it_joins_the_row_a_page_break_cut_in_two():
    from campaigns.plan_import.tables import TaskTables

    tables = TaskTables()
    header = ["序号", "工作任务", "责任单位"]
    assert tables.feed([header, ["1", "在城区 4 个街道的 68 个城市社区", "养老服务科"]])
    assert tables.feed(
        [header, ["", "配建养老服务设施。", ""], ["2", "建设社会组织培育中心。", "社会事务科"]]
    )
    assert tables.flush().splitlines() == [
        "1.在城区 4 个街道的 68 个城市社区 配建养老服务设施。",
        "责任单位：养老服务科",
        "2.建设社会组织培育中心。",
        "责任单位：社会事务科",
    ]


# --- good files ---------------------------------------------------------------------------------


def test_it_imports_a_task_table_from_a_docx(demo_bureau, demo_office):
    campaign = imported("分解表.docx", plan_files.task_table_docx(), demo_bureau, demo_office)
    assert_the_table_tasks(campaign)


def test_it_imports_a_task_table_uploaded_on_the_page(demo_bureau, demo_office):
    before = Campaign.objects.count()
    response = client_for(demo_office).post(
        reverse("campaigns:campaign_import"),
        {"file": upload("分解表.docx", plan_files.task_table_docx())},
    )
    campaign = Campaign.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:campaign_review", args=[campaign.pk])
    assert Campaign.objects.count() == before + 1
    assert campaign.tasks.count() == 7


@needs_soffice
def test_it_imports_a_task_table_from_a_pdf(demo_bureau, demo_office):
    pdf = plan_files.to_pdf(plan_files.task_table_docx())
    assert_the_table_tasks(imported("分解表.pdf", pdf, demo_bureau, demo_office))


@needs_soffice
def test_it_reads_a_printed_plan_without_its_page_numbers_and_running_header(
    demo_bureau, demo_office
):
    pdf = plan_files.to_pdf(plan_files.plan_docx(plan_files.lanshan_lines()))
    text = plan_file_text(upload("方案.pdf", pdf))
    lines = text.splitlines()
    assert not [line for line in lines if "—" in line and any(ch.isdigit() for ch in line)]
    assert lines.count(plan_files.RUNNING_HEADER) == 1  # the title, not the header of each page
    assert "牵头领导：于万秀、马仕敏" in lines
    from_pdf = campaign_import(text=text, bureau=demo_bureau, user=demo_office)
    from_text = parse_plan(plan_files.lanshan_text())
    tasks = list(from_pdf.tasks.order_by("order"))
    assert [t.title for t in tasks] == [t.title for t in from_text.tasks] == TITLES
    assert [t.leaders_text for t in tasks] == ["、".join(t.lead_leaders) for t in from_text.tasks]
    assert [t.responsible_text for t in tasks] == [
        "、".join(t.responsible_units) for t in from_text.tasks
    ]
    assert [compact(t.goal) for t in tasks] == [compact(t.goal) for t in from_text.tasks]
    assert from_pdf.doc_number == "临兰民〔2020〕22号"


@needs_soffice
@pytest.mark.parametrize("kind", [".doc", ".wps"])
def test_it_converts_an_old_word_file(demo_bureau, demo_office, kind):
    old = convert(plan_files.task_table_docx(), ".docx", "doc")  # a .wps is such a file too
    assert old.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
    assert_the_table_tasks(imported(f"分解表{kind}", old, demo_bureau, demo_office))


def test_it_asks_for_a_docx_when_libreoffice_is_missing(monkeypatch):
    from campaigns.plan_import import convert as convert_module

    monkeypatch.setattr(convert_module.shutil, "which", lambda name: None)
    with pytest.raises(ValidationError) as info:
        plan_file_text(upload("方案.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512))
    assert info.value.messages == [
        "服务器上没有安装转换 .doc 文件的程序（LibreOffice）：请在 Word 或 WPS 中打开这个 .doc 文件，"
        "“另存为”Word 文档（.docx）后上传，或粘贴文字"
    ]


# --- bad files: one message each, nothing created ----------------------------------------------


def _truncated_pdf() -> bytes:
    whole = plan_files.text_pdf([plan_files.nonsense_lines(40)] * 3)
    return whole[: len(whole) // 2]


BAD_FILES = {
    "scanned": ("扫描件.pdf", plan_files.scanned_pdf, SCANNED),
    "encrypted": ("加密.pdf", plan_files.encrypted_pdf, "这个 PDF 设置了打开密码，无法读取"),
    "png as pdf": ("照片.pdf", plan_files.png_bytes, PDF_NOT_IT),
    "png as docx": ("照片.docx", plan_files.png_bytes, "这个 .docx 文件打不开，它不是 Word 文档"),
    "truncated pdf": ("方案.pdf", _truncated_pdf, PDF_TRUNCATED),
    "nonsense pdf": ("方案.pdf", plan_files.nonsense_pdf, NOT_A_PLAN),
    "nonsense txt": (
        "方案.txt",
        lambda: "\n".join(plan_files.nonsense_lines(200 * 45)).encode(),
        NOT_A_PLAN,
    ),
    "png as txt": ("方案.txt", plan_files.png_bytes, "这不是文本（.txt）文件"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_it_refuses_a_bad_file_with_one_message_and_creates_nothing(tree: Tree, office, case):
    name, make, message = BAD_FILES[case]
    response = client_for(office).post(
        reverse("campaigns:campaign_import"), {"file": upload(name, make())}
    )
    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].non_field_errors()]
    assert len(errors) == 1 and message in errors[0], errors
    assert not Campaign.objects.exists() and not Task.objects.exists()


def test_it_refuses_the_import_page_to_a_township(tree: Tree, township_b):
    response = client_for(township_b).post(
        reverse("campaigns:campaign_import"),
        {"file": upload("分解表.docx", plan_files.task_table_docx())},
    )
    assert response.status_code == 403
    assert not Campaign.objects.exists()

"""The plan pages as each persona uses them: who writes, who reads what, and bad input."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from campaigns.models import Campaign, CampaignStatus, Indicator, Task
from org.models import Notice
from tests.conftest import Plan, Tree, client_for

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"


def test_it_lets_only_the_office_create_and_import(tree: Tree, leader, section, township_a):
    for user in (leader, section, township_a):
        client = client_for(user)
        assert client.get(reverse("campaigns:campaign_create")).status_code == 403
        assert (
            client.post(reverse("campaigns:campaign_import"), {"text": "一、总则"}).status_code
            == 403
        )
    assert not Campaign.objects.exists()


def test_it_imports_a_pasted_plan_into_a_draft_for_review(tree: Tree, office):
    text = (PLANS / "lanshan-2020-dalei-gongjian.txt").read_text(encoding="utf-8")
    response = client_for(office).post(reverse("campaigns:campaign_import"), {"text": text})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:campaign_review", args=[campaign.pk])
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.tasks.count() == 7
    review = client_for(office).get(response["Location"]).content.decode()
    assert "特困人员供养水平擂台赛" in review and "发布前检查" in review
    # The test bureau has no leaders yet: the names wait on the review page to be mapped.
    assert "于万秀" in review and "对不上的名称" in review
    assert not Notice.objects.exists(), "a draft tells nobody"


def test_it_reads_an_uploaded_docx(tree: Tree, office):
    document = Document()
    for line in [
        "测试区民政局关于印发工作方案的通知",
        "一、横向打擂台",
        "（一）特困人员供养水平擂台赛",
        "任务目标：集中供养率达到 60%。",
        "牵头领导：于万秀",
        "责任科室：社会救助科、各镇街道（经开区）",
        "（二）公墓建设擂台赛",
        "任务目标：推进公墓完善提升。",
        "责任科室：社会救助科、各镇街道（经开区）",
    ]:
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("方案.docx", buffer.getvalue())
    response = client_for(office).post(reverse("campaigns:campaign_import"), {"file": upload})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    task = campaign.tasks.get(title="特困人员供养水平擂台赛")
    assert {u.name for u in task.participants.all()} == {"甲街道", "乙镇"}
    assert task.indicators.get().default_target == 60


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("方案.doc", b"\xd0\xcf\x11\xe0old word"),
            "这不是 Word（.doc）或 WPS（.wps）文件",
        ),
        (SimpleUploadedFile("方案.docx", b"PK\x03\x04not really a docx"), "这个 .docx 文件打不开"),
        (SimpleUploadedFile("方案.pdf", b"%PDF-1.4"), "这个 PDF 文件不完整"),
        (
            SimpleUploadedFile("方案.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            "只支持 Word（.docx / .doc）",
        ),
        (
            SimpleUploadedFile("方案.txt", "今天天气很好。".encode()),
            "没有从这段文字里识别出任何任务",
        ),
    ],
)
def test_it_refuses_what_is_not_a_plan_and_creates_nothing(tree: Tree, office, upload, message):
    response = client_for(office).post(reverse("campaigns:campaign_import"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists() and not Task.objects.exists()


def test_it_reads_a_gb18030_text_file(tree: Tree, office):
    text = (PLANS / "lanshan-2020-dalei-gongjian.txt").read_text(encoding="utf-8")
    upload = SimpleUploadedFile("方案.txt", text.encode("gb18030"))
    assert (
        client_for(office).post(reverse("campaigns:campaign_import"), {"file": upload}).status_code
        == 302
    )
    assert Campaign.objects.get().doc_number == "临兰民〔2020〕22号"


def test_it_shows_a_township_only_the_tasks_it_takes_part_in(plan: Plan, township_a, township_b):
    url = reverse("campaigns:campaign_detail", args=[plan.published.pk])
    mine = client_for(township_b).get(url).content.decode()
    assert "特困人员供养水平擂台赛" in mine
    assert "甲街道综合养老服务中心攻坚战" not in mine
    assert "甲街道综合养老服务中心攻坚战" in client_for(township_a).get(url).content.decode()


def test_it_hides_drafts_from_everyone_but_the_office(
    plan: Plan, leader, section, township_a, office
):
    url = reverse("campaigns:campaign_detail", args=[plan.draft.pk])
    for user in (leader, section, township_a):
        assert client_for(user).get(url).status_code == 404
        listing = client_for(user).get(reverse("campaigns:campaign_list")).content.decode()
        assert "草稿方案" not in listing
    assert client_for(office).get(url).status_code == 200


def test_it_lets_the_responsible_section_edit_its_indicators(plan: Plan, section, tree: Tree):
    client = client_for(section)
    url = reverse("campaigns:indicator_edit", args=[plan.indicator_a.pk])
    data = {
        "name": "中心建设进度",
        "kind": "milestone",
        "direction": "higher",
        "weight": "100",
        "source": "reported",
        "stages_text": "选址\n开工\n主体完工\n投入运营",
    }
    assert client.post(url, data).status_code == 302
    plan.indicator_a.refresh_from_db()
    assert plan.indicator_a.stages == ["选址", "开工", "主体完工", "投入运营"]
    # ... but not the tasks themselves, nor another section's indicators.
    assert client.get(reverse("campaigns:task_edit", args=[plan.task_a.pk])).status_code == 403
    from org.models import Role
    from tests.conftest import make_user

    other = make_user("yanglao", Role.SECTION, tree.other_section)
    assert client_for(other).post(url, data).status_code == 403


def test_it_tells_the_units_when_a_published_plan_changes(
    plan: Plan, office, township_a, township_b, django_capture_on_commit_callbacks
):
    url = reverse("campaigns:indicator_targets", args=[plan.contest.indicators.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(office).post(
            url, {f"value_{plan.contest.participants.get(name='乙镇').pk}": "65"}
        )
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=township_b, title__contains="集中供养率").exists()
    history = client_for(office).get(
        reverse("campaigns:campaign_history", args=[plan.published.pk])
    )
    assert "乙镇的目标值" in history.content.decode()


def test_it_refuses_a_rate_target_above_100_and_saves_none(plan: Plan, office):
    indicator = plan.contest.indicators.get()
    units = list(plan.contest.participants.order_by("name"))
    response = client_for(office).post(
        reverse("campaigns:indicator_targets", args=[indicator.pk]),
        {f"value_{units[0].pk}": "70", f"value_{units[1].pk}": "120"},
    )
    assert response.status_code == 200
    assert "是比率，应在 0 到 100（%）之间" in response.content.decode()
    assert not indicator.targets.exists()


def test_it_exports_the_plan_as_a_workbook(plan: Plan, leader):
    response = client_for(leader).get(
        reverse("campaigns:campaign_export", args=[plan.published.pk])
    )
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == [
        "方案",
        "任务",
        "指标",
        "单位目标值",
        "领导责任矩阵",
        "单位责任矩阵",
    ]
    tasks = workbook["任务"]
    assert tasks.freeze_panes == "A2"
    assert [c.value for c in tasks[1]][:4] == ["章节", "序号", "类型", "任务名称"]
    assert {row[3] for row in tasks.iter_rows(min_row=2, values_only=True)} == {
        "甲街道综合养老服务中心攻坚战",
        "特困人员供养水平擂台赛",
    }
    indicators = {row[1]: row for row in workbook["指标"].iter_rows(min_row=2, values_only=True)}
    assert indicators["集中供养率"][5] == 60 and indicators["集中供养率"][8] == 1
    units = {
        row[0]: row[1:] for row in workbook["单位责任矩阵"].iter_rows(min_row=2, values_only=True)
    }
    assert units["乙镇"] == (None, "参")  # 攻坚战 first (not 乙镇's), then the contest


def test_it_keeps_formulas_typed_into_a_plan_as_text(plan: Plan, office):
    from campaigns.services.plan import task_save

    task_save(
        task=plan.task_a,
        title='=HYPERLINK("http://x")',
        participants=[plan.task_a.participants.get()],
        responsible_units=plan.task_a.responsible_units.all(),
    )
    response = client_for(office).get(
        reverse("campaigns:campaign_export", args=[plan.published.pk])
    )
    cell = next(
        c
        for c in load_workbook(BytesIO(response.content))["任务"]["D"]
        if c.value and c.value.startswith("=")
    )
    assert cell.data_type == "s"


def test_it_shows_the_responsibility_matrix(plan: Plan, leader):
    text = (
        client_for(leader)
        .get(reverse("campaigns:campaign_matrix", args=[plan.published.pk]))
        .content.decode()
    )
    assert "单位 × 任务" in text and "甲街道" in text and "参" in text


def test_it_publishes_from_the_review_page_only_when_ready(tree: Tree, office):
    text = (PLANS / "lanshan-2020-dalei-gongjian.txt").read_text(encoding="utf-8")
    client = client_for(office)
    client.post(reverse("campaigns:campaign_import"), {"text": text})
    campaign = Campaign.objects.get()
    response = client.post(reverse("campaigns:campaign_publish", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert "还没有用来排名的指标" in response.content.decode()
    assert Indicator.objects.filter(task__campaign=campaign).exists()

"""The plan parser on the three real plans (seeds 000, 002, 003), .docx input and arbitrary text.

Pure Python: runs without Django (``-p no:django --noconftest``).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.plan_import import (
    PlanDraft,
    SuggestedIndicator,
    TaskDraft,
    parse_plan,
    read_docx_text,
    suggest_indicators,
)
from campaigns.plan_import.text import normalise

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"


@cache
def plan(name: str) -> PlanDraft:
    return parse_plan((PLANS / name).read_text(encoding="utf-8"))


def lanshan() -> PlanDraft:
    return plan("lanshan-2020-dalei-gongjian.txt")


def xihaian() -> PlanDraft:
    return plan("xihaian-2020-gongzuo-yaodian.txt")


def xingqing() -> PlanDraft:
    return plan("xingqing-2020-minzheng-fangan.txt")


def only(indicators: list[SuggestedIndicator], **match: object) -> SuggestedIndicator:
    found = [i for i in indicators if all(getattr(i, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, indicators)
    return found[0]


def by_number(draft: PlanDraft, number: str) -> TaskDraft:
    return next(t for t in draft.tasks if t.number == number)


# --- the whitespace rule ---------------------------------------------------------------------


def test_it_joins_wraps_and_keeps_one_space_between_chinese_and_digits():
    assert (
        normalise("2020 年 10\n\n月前集中托管供养率达到 60%。")
        == "2020 年 10 月前集中托管供养率达到 60%。"
    )
    assert normalise("配建达到 70%\n\n以上，配") == "配建达到 70%以上，配"
    assert normalise("通 知") == "通知"
    assert normalise("不少于 15\n 平方米。") == "不少于 15 平方米。"
    assert normalise("牢牢\n\n把握") == "牢牢把握"


# --- seed 000: 兰山区民政系统“打擂攻坚”工作方案 ------------------------------------------------


def test_it_reads_the_head_of_the_lanshan_notice():
    draft = lanshan()
    assert draft.title == "兰山区民政系统“打擂攻坚”工作方案"
    assert draft.doc_number == "临兰民〔2020〕22号"
    assert draft.issuing_unit == "临沂市兰山区民政局"
    assert draft.issue_date == date(2020, 4, 10)
    assert draft.addressees == "各镇街道民政办公室、兰山经济开发区社会事务局，局机关各科室："
    assert draft.preamble == (
        "为全面落实各项民生保障任务，推动全区“打擂攻坚，兰山率先”在民政系统落到实处，"
        "结合民政工作实际，制定本方案。"
    )


def test_it_finds_five_contests_and_two_pushes_in_lanshan():
    draft = lanshan()
    assert draft.chapters == ["一、横向打擂台", "二、纵向抓攻坚"]
    assert [(t.order, t.number, t.kind, t.chapter) for t in draft.tasks] == [
        (1, "（一）", "contest", "一、横向打擂台"),
        (2, "（二）", "contest", "一、横向打擂台"),
        (3, "（三）", "contest", "一、横向打擂台"),
        (4, "（四）", "contest", "一、横向打擂台"),
        (5, "（五）", "contest", "一、横向打擂台"),
        (6, "（一）", "push", "二、纵向抓攻坚"),
        (7, "（二）", "push", "二、纵向抓攻坚"),
    ]
    assert [t.title for t in draft.tasks] == [
        "特困人员供养水平擂台赛",
        "养老服务设施建设打擂赛",
        "养老机构服务质量擂台赛",
        "城乡社区治理擂台赛",
        "公墓建设擂台赛",
        "养老服务项目建设攻坚战",
        "社会组织培育攻坚战",
    ]
    assert draft.warnings == []


def test_it_reads_lanshan_goals_verbatim_with_the_pdf_wraps_joined():
    first, second = lanshan().tasks[:2]
    assert first.goal == (
        "全区完全及部分不能自理特困供养人员集中供养率达到 60%，形成典型经验，争取上级部门发文推广。"
    )
    # " 平方米" after a page break and "70%" / "以上" across lines come out as one text.
    assert second.goal.startswith(
        "在城区 4 个街道的 68 个城市社区配建养老服务设施，2014 年 5 月前已建成使用的老旧小区"
        "每百户不少于 15 平方米，2014 年 5 月后建成使用的新建小区每百户不少于 20 平方米。"
        "每个街道城市社区养老服务设施配建达到 70%以上，配建设施"
    )
    assert "\n" not in first.content
    assert "2020 年 10 月前集中托管供养率达到 60%。对坚持在家居住" in first.content
    assert first.content.endswith("对不能履职尽责的照料护理人及时予以更换。")


def test_it_keeps_numbered_activity_lines_as_content_paragraphs():
    contest = lanshan().tasks[2]
    paragraphs = contest.content.split("\n")
    assert paragraphs[0] == "1、“四赛”活动。"
    assert paragraphs[1].startswith("一赛精细管理：实行封闭管理，门卫 24 小时值班，")
    assert "2、“六晒”活动。" in paragraphs
    assert len(paragraphs) == 7
    push = lanshan().tasks[6]
    assert (
        "二是积极培育生活服务类、公益慈善类等创新型社会组织。加大政府购买服务工作力度，"
        in push.content
    )


def test_it_reads_lanshan_leaders_and_responsible_sections():
    tasks = lanshan().tasks
    assert tasks[0].lead_leaders == ["于万秀", "马仕敏"]
    assert tasks[0].responsible_units == ["社会救助科", "各镇街道（经开区）"]
    assert tasks[1].responsible_units == ["养老服务科", "各街道"]  # 责任科室（单位）：
    # the value wraps onto the next line: "…、各镇街道⏎（经开区）"
    assert tasks[3].responsible_units == ["基层政权建设和社区治理科", "各镇街道（经开区）"]
    assert tasks[3].lead_leaders == ["范建勋", "张琦"]
    assert tasks[5].responsible_units == ["养老服务科", "白沙埠镇", "半程镇"]
    assert tasks[6].responsible_units == ["社会事务及社会组织管理科"]
    assert all(t.cooperating_units == [] for t in tasks)
    assert all("牵头领导" not in t.content and "责任科室" not in t.content for t in tasks)


def test_it_keeps_the_work_requirements_apart_from_the_tasks():
    draft = lanshan()
    lines = draft.requirements.split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("1、牵头科级领导是每个擂台赛、攻坚战的第一责任人")
    assert lines[2].endswith("结合绩效考核奖惩措施，年终进行考核评价。")
    assert not any(
        "牵头科级领导" in t.title or "年终进行考核评价" in t.content for t in draft.tasks
    )
    assert "三、工作要求" not in draft.chapters


def test_it_suggests_the_lanshan_indicators():
    tasks = lanshan().tasks
    supply = only(tasks[0].indicators, kind="rate")
    assert (supply.name, supply.target, supply.unit) == ("集中供养率", Decimal(60), "%")
    assert supply.deadline == date(2020, 10, 31)  # "2020 年 10 月前" in the activities
    assert "集中供养率达到 60%" in supply.source_text

    facilities = only(tasks[1].indicators, kind="rate")
    assert (facilities.name, facilities.target, facilities.scope) == (
        "养老服务设施配建率",
        Decimal(70),
        "每个街道",
    )
    centre = only(tasks[1].indicators, unit="处")
    assert (centre.kind, centre.target, centre.scope) == ("quantity", Decimal(1), "每个街道")
    assert "综合养老服务中心" in centre.name
    # "在城区 4 个街道的 68 个城市社区" only says where: no indicator of 4 or 68
    assert not any(i.target in (Decimal(4), Decimal(68)) for i in tasks[1].indicators)

    villages = only(tasks[3].indicators, kind="quantity")
    assert (villages.target, villages.unit, villages.scope) == (Decimal(2), "个", "每个镇")
    assert "示范村" in villages.name

    party = only(tasks[6].indicators, kind="rate")
    assert (party.name, party.target) == ("社会组织党建工作覆盖比例", Decimal(90))
    # "门卫 24 小时值班", "17 家养老机构" in task 3 are not targets
    assert tasks[2].indicators == []


# --- seed 002: 青岛西海岸新区 2020 年度民政工作要点 --------------------------------------------


def test_it_reads_the_head_of_the_xihaian_notice():
    draft = xihaian()
    assert draft.title == "青岛西海岸新区 2020 年度民政工作要点"
    assert draft.doc_number == "青西新民〔2020〕36号"
    assert draft.issuing_unit == "青岛西海岸新区民政局"
    assert draft.issue_date == date(2020, 3, 23)
    assert draft.addressees.startswith("各镇、街道便民服务中心，灵山岛省级自然保护区便民服务中心")
    assert draft.preamble.startswith("2020 年是全面建成小康社会和“十三五”规划收官之年。")


def test_it_reads_forty_work_points_in_ten_chapters():
    draft = xihaian()
    assert [t.number for t in draft.tasks] == [str(n) for n in range(1, 41)]
    assert len(draft.chapters) == 10
    assert (
        draft.chapters[0]
        == "一、深入学习贯彻习近平新时代中国特色社会主义思想和党的十九届四中全会精神"
    )
    assert draft.chapters[9] == "十、大力加强民政综合能力建设"
    per_chapter = [sum(t.chapter == c for t in draft.tasks) for c in draft.chapters]
    assert per_chapter == [2, 1, 5, 7, 4, 4, 5, 5, 3, 4]
    assert draft.requirements == ""


def test_it_takes_the_first_sentence_of_a_work_point_as_its_title():
    tasks = xihaian().tasks
    assert tasks[0].title == "强化理论武装"
    assert tasks[0].content.startswith(
        "把学习贯彻习近平新时代中国特色社会主义思想作为一项长期政治任务"
    )
    assert tasks[2].title == "全力打好民政领域疫情防控阻击战"
    assert tasks[2].kind == "key_task"
    assert tasks[39].title == "加强民政信息化、新闻宣传、安全等工作"
    # a blank line in the middle of a sentence ("牢牢⏎⏎把握") does not split it
    assert "严格落实意识形态工作责任制，牢牢把握党对意识形态工作的领导权。" in tasks[1].content
    # the print line at the end is not part of the last point
    assert tasks[39].content.endswith("维护新区社会和谐稳定。")
    assert all(t.goal == "" and t.lead_leaders == [] for t in tasks)


def test_it_warns_that_the_xihaian_points_name_no_responsible_unit():
    assert "全部 40 项任务均未标注责任单位，请逐项指定" in xihaian().warnings


def test_it_suggests_the_xihaian_indicators():
    tasks = xihaian().tasks
    allowance = only(tasks[3].indicators, kind="amount")
    assert (allowance.name, allowance.target, allowance.unit) == (
        "城乡低保标准",
        Decimal(700),
        "元/人·月",
    )
    centres = [i for i in tasks[8].indicators if i.unit == "处"]
    assert [(i.target, i.deadline) for i in centres] == [
        (Decimal(20), date(2020, 12, 31)),  # "年内新建 20 处"
        (Decimal(30), date(2020, 12, 31)),
    ]
    beds = only(tasks[9].indicators, unit="张")
    assert (beds.kind, beds.target, beds.name) == ("quantity", Decimal(600), "建设家庭养老床位")
    volunteers = only(tasks[26].indicators, kind="rate")
    assert volunteers.target == Decimal(13)
    assert tasks[14].indicators == []  # "80 周岁以上", "60 周岁以上" are ages


# --- seed 003: 关于进一步加强民政工作的实施方案 (scraped web page) ------------------------------


def test_it_reads_the_head_of_the_xingqing_page_and_ignores_its_navigation():
    draft = xingqing()
    assert draft.title == "关于进一步加强民政工作的实施方案"
    assert draft.doc_number == "银兴党办发〔2020〕38号"
    assert draft.issuing_unit == "中共兴庆区委办公室兴庆区政府办公室"
    assert draft.issue_date == date(2020, 5, 20)
    assert draft.addressees.startswith("各乡镇党委、政府,各街道党工委、办事处,")
    assert draft.addressees.endswith("各人民团体:")
    assert draft.preamble.startswith("为进一步完善基层民政治理体系,夯实工作基础,")
    everything = draft.preamble + draft.requirements + "".join(t.content for t in draft.tasks)
    for noise in ("首页", "保护视力色", "字体颜色", "索引号", "公开方式"):
        assert noise not in everything


def test_it_reads_twenty_tasks_under_six_headings():
    draft = xingqing()
    assert [t.number for t in draft.tasks] == [str(n) for n in range(1, 21)]
    assert draft.chapters == [
        "(一)强化“党建引领”,进一步提升基层社区治理能力和水平",
        "(二)围绕“三个聚焦”,提升社会救助综合服务能力",
        "(三)突出“优质均衡”,提升城乡养老服务供给和质量",
        "(四)深化“三社联动”,提升社会治理主体社会化水平",
        "(五)着眼“规范标准”,提高专项社会服务水平",
        "(六)着眼“提档升级”,提升基层民政服务能力",
    ]
    per_chapter = [sum(t.chapter == c for t in draft.tasks) for c in draft.chapters]
    assert per_chapter == [6, 5, 4, 3, 1, 1]


def test_it_cuts_the_line_that_glues_units_and_the_next_task_together():
    first, second = xingqing().tasks[:2]
    assert first.title == "创新党建引领基层治理体制机制"
    assert first.content.endswith(
        "建立以小区党支部为核心的小区治理共同体,引导各级党组织参与城市基层治理。"
    )
    assert first.responsible_units == ["组织部", "民政局", "各乡镇人民政府", "街道办事处"]
    assert first.cooperating_units == ["宣传部", "政法委", "综合执法局", "住建局"]
    assert second.title == "提高城乡社区基层治理规范化精细化水平"
    assert second.content.startswith("聚焦提升基层组织力,全面排查、集中整顿后进村(社区)党组织,")
    assert second.content.endswith("形成一批有影响力的基层治理创新品牌。")
    assert second.cooperating_units == ["宣传部", "政法委", "农水局"]
    # the first task had no "1." of its own: the office is told
    assert any("推断为“1”" in w for w in xingqing().warnings)


def test_it_reads_units_with_mixed_punctuation():
    tasks = xingqing().tasks
    assert tasks[4].responsible_units == ["综合执法局", "各乡镇人民政府", "街道办事处"]
    assert tasks[2].cooperating_units[-1] == "市场监督管理局"
    assert all(t.responsible_units and t.cooperating_units for t in tasks)
    assert not any("责任单位" in t.content or "配合单位" in t.content for t in tasks)


def test_it_keeps_the_safeguards_apart_from_the_xingqing_tasks():
    draft = xingqing()
    assert draft.requirements.startswith("(一)加强组织领导。基层民政工作的成效,")
    assert draft.requirements.split("\n")[2].startswith("(三)严格督导考核。")
    assert not any("组织领导" in t.title or "督导考核" in t.title for t in draft.tasks)
    assert "一、总体要求" in draft.preamble  # a chapter without tasks before the tasks


def test_it_suggests_the_xingqing_indicators():
    tasks = xingqing().tasks
    stations = only(tasks[2].indicators, target=Decimal(10))
    assert (stations.kind, stations.unit, stations.deadline) == (
        "quantity",
        "个",
        date(2020, 12, 31),
    )
    workers = only(tasks[5].indicators, target=Decimal(1000))
    assert (workers.unit, workers.deadline, workers.name) == (
        "名",
        date(2022, 12, 31),
        "培训社区工作者",
    )
    visits = only(tasks[9].indicators, kind="rate")
    assert (visits.target, visits.deadline) == (Decimal(100), date(2021, 12, 31))
    assert visits.name.endswith("月探访率")
    # "12个月以内的低保渐退期" and "增发10%—30%的低保金" suggest nothing
    assert tasks[7].indicators == []
    assert tasks[8].indicators == []


# --- suggestions on their own ------------------------------------------------------------------


def test_it_suggests_nothing_from_dates_durations_ages_and_document_numbers():
    text = (
        "2020 年 4 月 10 日印发，临兰民〔2020〕22 号。门卫 24 小时值班，给予12个月以内的渐退期，"
        "做好 80 周岁以上老年人高龄津贴，实施“55124模式”，推行“1+N+6”服务模式。"
    )
    assert suggest_indicators(text, plan_year=2020) == []


def test_it_reads_amounts_per_person_and_month_either_way():
    written = suggest_indicators("城乡低保标准提高到 700 元/人/月。")
    spoken = suggest_indicators("将城乡低保标准提高到每人每月 700 元。")
    assert [(i.kind, i.name, i.target, i.unit) for i in written + spoken] == [
        ("amount", "城乡低保标准", Decimal(700), "元/人·月"),
        ("amount", "城乡低保标准", Decimal(700), "元/人·月"),
    ]


def test_it_resolves_deadlines_to_the_end_of_the_period():
    month = only(suggest_indicators("2020 年 10 月前集中供养率达到 60%。"), kind="rate")
    year = only(suggest_indicators("到2022年培训1000名以上社区工作者。"), kind="quantity")
    this_year = only(suggest_indicators("年内新建 20 处服务中心。", plan_year=2021), unit="处")
    past = only(suggest_indicators("2014 年 5 月前已建成的小区每百户不少于 15 平方米。"))
    assert month.deadline == date(2020, 10, 31)
    assert year.deadline == date(2022, 12, 31)
    assert this_year.deadline == date(2021, 12, 31)
    assert past.deadline is None


# --- other inputs ------------------------------------------------------------------------------


def test_it_reads_docx_paragraphs_and_table_cells_in_document_order():
    document = Document()
    document.add_paragraph("某区民政局“打擂攻坚”工作方案")
    document.add_paragraph("一、横向打擂台")
    document.add_paragraph("（一）低保审批擂台赛")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务目标：低保审批办结率达到 95%。"
    table.cell(0, 1).text = "牵头领导：张三"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "责任科室：社会救助科、各镇街道"
    document.add_paragraph("二、工作要求")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)

    text = read_docx_text(buffer)

    assert text.split("\n") == [
        "某区民政局“打擂攻坚”工作方案",
        "一、横向打擂台",
        "（一）低保审批擂台赛",
        "任务目标：低保审批办结率达到 95%。",
        "牵头领导：张三",
        "责任科室：社会救助科、各镇街道",
        "二、工作要求",
    ]
    draft = parse_plan(text)
    assert draft.title == "某区民政局“打擂攻坚”工作方案"
    [task] = draft.tasks
    assert (task.kind, task.lead_leaders, task.responsible_units) == (
        "contest",
        ["张三"],
        ["社会救助科", "各镇街道"],
    )
    assert [(i.kind, i.target) for i in task.indicators] == [("rate", Decimal(95))]


def test_it_warns_about_a_missing_leader_when_the_plan_names_leaders_elsewhere():
    text = "\n".join(
        [
            "某区民政系统工作方案",
            "一、横向打擂台",
            "（一）甲擂台赛",
            "任务目标：甲。",
            "牵头领导：张三 李四",
            "责任科室：甲科",
            "（二）乙擂台赛",
            "任务目标：乙。",
            "责任科室：乙科",
        ]
    )
    draft = parse_plan(text)
    assert draft.tasks[0].lead_leaders == ["张三", "李四"]
    assert "第 2 项任务（乙擂台赛）未找到牵头领导" in draft.warnings


_NO_STRUCTURE = st.text(
    alphabet=st.sampled_from(list("民政局关于印发方案的通知任务目标责任单位：:，。、\n  ab%")),
    max_size=400,
)
_PLAN_LIKE = st.lists(
    st.sampled_from(
        [
            "一、",
            "（一）",
            "(二)",
            "1.",
            "2、",
            "任务目标：",
            "责任单位:",
            "配合单位：",
            "牵头领导：",
            "达到 60%",
            "每人每月 700 元",
            "2020 年 10 月前",
            "印发《",
            "》的通知",
            "〔2020〕22号",
            "工作要求",
            "。",
            "\n",
            " ",
            "13个月",
            "9999年99月99日",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _PLAN_LIKE))
def test_it_never_raises_on_arbitrary_text(text: str):
    draft = parse_plan(text)
    assert isinstance(draft, PlanDraft)
    assert [t.order for t in draft.tasks] == list(range(1, len(draft.tasks) + 1))


@settings(max_examples=200, deadline=None)
@given(_NO_STRUCTURE)
def test_it_warns_when_a_text_holds_no_tasks(text: str):
    draft = parse_plan(text)
    assert draft.tasks == []
    assert "未识别到任何任务，请检查文本是否完整，或手工录入任务" in draft.warnings


@pytest.mark.parametrize(
    "name",
    [
        "lanshan-2020-dalei-gongjian.txt",
        "xihaian-2020-gongzuo-yaodian.txt",
        "xingqing-2020-minzheng-fangan.txt",
    ],
)
def test_a_plan_pasted_as_one_long_line_gives_the_same_tasks(name):
    """Copied from a page that loses every line break (or squeezed by a chat tool)."""
    text = (PLANS / name).read_text(encoding="utf-8")
    one_line = "".join(line.strip() for line in text.splitlines())
    assert "\n" not in one_line

    def tasks(draft: PlanDraft) -> list[tuple]:
        return [
            (t.chapter, t.number, t.title, t.lead_leaders, t.responsible_units, t.cooperating_units)
            for t in draft.tasks
        ]

    broken, joined = plan(name), parse_plan(one_line)
    assert tasks(joined) == tasks(broken)
    assert (joined.title, joined.doc_number, joined.issue_date) == (
        broken.title,
        broken.doc_number,
        broken.issue_date,
    )


def test_a_run_on_line_is_not_cut_inside_words_numbers_or_brackets():
    from campaigns.plan_import.lines import clean_lines

    sentence = "坚持统一、规范的认定标准，城乡低保标准提高 6.2%，1、2月份完成复核。"
    text = "一、兜底保障" + sentence * 12 + "（牵头单位：社会救助科；责任单位：各镇街道）"
    lines = clean_lines(text)
    assert lines[0] == "一、兜底保障" + sentence  # a heading's end is not marked: it keeps its text
    assert lines[1:-1] == [sentence] * 11
    assert lines[-1] == "（牵头单位：社会救助科；责任单位：各镇街道）"

"""The month on the demo, walked in the browser as the users do it.

From an empty database through seed_demo on the browser tests' day (conftest.DEMO_DAY, 7 December
2026, December open; the demo fixture keeps the clock there, ticking, and the live server runs in
this process, so it sees the same day): 兰山街道 fills and submits one report online and the
others through the Excel template, the section that carries the first one returns it with a
reason on a field and accepts another, 兰山街道 reads the reason on the field and resubmits, the
office dispatches the month, and the leader's first screen shows December's lights and names the
red units.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Frame, Locator, Page, expect

from .conftest import DEMO_DAY, DESKTOP, OPEN_MONTH
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser

MONTH = OPEN_MONTH
TOWNSHIP = "兰山街道"
ONLINE_TASK = "城乡社区治理擂台赛"  # one rate: the figures typed online
ONLINE_INDICATOR = "城市社区居务监督委员会建成率"
SECTION = "jiceng"  # 基层政权建设和社区治理科 carries 城乡社区治理擂台赛
MAX_SCREENS = 3  # fill and submit a report in at most 3 screens beyond typing


class ScreenCounter:
    """Counts the pages the browser shows: each load of the main frame is one screen."""

    def __init__(self, page: Page) -> None:
        self.page, self.urls = page, []
        page.on("framenavigated", self._seen)

    def _seen(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.urls.append(frame.url)

    def start(self) -> None:
        """Count from the page now shown (it is the first screen)."""
        self.urls = [self.page.url]


@pytest.fixture
def log_in_as(
    browser: Browser, browser_context_args: dict[str, Any], live_server
) -> Iterator[Callable[[str], Page]]:
    """Open a browser of its own (own cookies) at 1366x768 for a user, logged in on the home page."""
    contexts: list[BrowserContext] = []

    def open_for(username: str) -> Page:
        context = browser.new_context(**{**browser_context_args, "viewport": DESKTOP})
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server.url, username, settings.DEMO_PASSWORD)
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    yield open_for
    for context in contexts:
        context.close()


def on_first_screen(locator: Locator) -> bool:
    """Whether the element lies wholly inside the 1366x768 window, with no scrolling."""
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= DESKTOP["width"]
        and box["y"] + box["height"] <= DESKTOP["height"]
    )


def assert_on_first_screen(locator: Locator) -> None:
    expect(locator).to_be_visible()
    assert on_first_screen(locator), f"{locator} 不在第一屏内：{locator.bounding_box()}"


def fill_template(path: Path, stages: dict[str, list[str]]) -> int:
    """Fill every editable block of a downloaded template as a clerk would; return how many.

    A block is a task's title row ("1. 某擂台赛（擂台赛）"), its indicators and three text rows; a
    block whose title carries "——" (submitted, or locked) has grey cells and is left alone.
    """
    workbook = load_workbook(path)
    sheet = workbook["月报"]
    filled, editable, task = 0, False, ""
    for row in range(5, sheet.max_row + 1):
        name, kind = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        if isinstance(name, str) and name[:1].isdigit() and ". " in name:
            task = name.split(". ", 1)[1]
            editable = "——" not in name
            filled += editable
            continue
        if not editable or not isinstance(name, str):
            continue
        computed = str(sheet.cell(row, 6).value or "").startswith("台账自动计算")
        if kind == "比率" and not computed:
            sheet.cell(row, 7).value, sheet.cell(row, 8).value = 9, 12
        elif kind == "节点":
            sheet.cell(row, 9).value = stages[name][-1]
        elif name.startswith("工作进展"):
            sheet.cell(row, 2).value = f"{task}：本月按计划推进，已完成阶段任务。"
        elif name.startswith("存在问题"):
            sheet.cell(row, 2).value = "个别社区场地不足。"
        elif name.startswith("下步打算"):
            sheet.cell(row, 2).value = "下月底前补齐短板。"
    workbook.save(path)
    return filled


@dataclass
class Walk:
    """What the steps of the month share: the open period, 兰山街道's reports and the screenshots."""

    log_in_as: Callable[[str], Page]
    out: Path
    tmp_path: Path
    period: Any
    lanshan: Any
    mine: Any  # 兰山街道's reports of the open month
    online: Any  # the one it fills in the browser


def test_it_walks_the_month_from_report_to_the_leaders_first_screen(
    demo,
    log_in_as: Callable[[str], Page],
    screenshot_dir: Path,
    tmp_path: Path,
):
    from django.utils import timezone

    from campaigns.models import Period, PeriodStatus, Report, ReportStatus
    from org.models import User

    assert timezone.localdate() == DEMO_DAY.date()
    out = screenshot_dir / "month-walk"
    out.mkdir(exist_ok=True)
    period = Period.objects.get(label=MONTH, status=PeriodStatus.OPEN)
    lanshan = User.objects.get(username="lanshan")
    mine = Report.objects.filter(period=period, unit__name=TOWNSHIP)
    assert set(mine.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    online = mine.get(task__title=ONLINE_TASK)
    walk = Walk(log_in_as, out, tmp_path, period, lanshan, mine, online)

    township, entry = township_submits_online(walk)
    township_uploads_the_template(walk, township)
    reason = section_returns_one_and_accepts_another(walk, entry)
    township_resubmits(walk, township, reason)
    standings = office_dispatches(walk)
    leaders_first_screen(walk, standings)


def township_submits_online(walk: Walk) -> tuple[Page, Any]:
    """1. 兰山街道 fills and submits one report in the browser, counting the screens."""
    from campaigns.models import ReportStatus

    out, online = walk.out, walk.online
    township = walk.log_in_as("lanshan")
    screens = ScreenCounter(township)
    screens.start()
    assert_fits(township)
    township.screenshot(path=out / "1-township-home.png")
    township.locator("[data-open-report]").filter(has_text=ONLINE_TASK).click()
    expect(township.get_by_role("heading", name=ONLINE_TASK)).to_be_visible()
    township.get_by_label("分子").fill("10")
    township.get_by_label("分母").fill("16")
    expect(township.locator("[data-rate-preview]")).to_have_text("= 62.5%")
    township.get_by_label("工作进展").fill("10 个城市社区建成居务监督委员会，制度上墙。")
    township.get_by_label("存在问题").fill("新建社区人员未配齐。")
    township.get_by_label("下步打算").fill("年底前完成其余 6 个社区。")
    assert_fits(township)
    township.screenshot(path=out / "1-township-form.png", full_page=True)
    township.once("dialog", lambda dialog: dialog.accept())
    township.get_by_role("button", name="提交").click()
    expect(township.get_by_text("月报已提交，等待科室审核")).to_be_visible()
    township.screenshot(path=out / "1-township-submitted.png")
    assert len(screens.urls) <= MAX_SCREENS, screens.urls  # home → form → submitted
    online.refresh_from_db()
    assert online.status == ReportStatus.SUBMITTED
    assert not online.late
    entry = online.entries.get()
    assert (entry.numerator, entry.denominator) == (10, 16)
    assert online.transitions.get().by == walk.lanshan
    return township, entry


def township_uploads_the_template(walk: Walk, township: Page) -> None:
    """2. The same township fills the Excel template for the rest of its month and uploads it."""
    from campaigns.models import Entry, Indicator, ReportStatus, Transition

    township.get_by_role("link", name="月报", exact=True).click()
    township.get_by_role("button", name=f"Excel：{TOWNSHIP}").click()
    menu = township.locator(".dropdown-menu.show")
    with township.expect_download() as download:
        menu.get_by_role("link", name=f"下载{TOWNSHIP}的 Excel 模板").click()
    assert download.value.suggested_filename == f"{MONTH}月报-{TOWNSHIP}.xlsx"
    template = walk.tmp_path / "template.xlsx"
    download.value.save_as(template)
    rest = walk.mine.exclude(pk=walk.online.pk)
    stages = {
        i.name: list(i.stages)
        for i in Indicator.objects.filter(task__reports__in=rest, kind="milestone")
    }
    assert fill_template(template, stages) == rest.count() == 3
    menu.get_by_label("填好的模板（.xlsx）").set_input_files(template)
    menu.get_by_text("直接提交").click()
    menu.get_by_role("button", name="上传", exact=True).click()
    expect(
        township.get_by_text(f"已从 Excel 导入{TOWNSHIP}{MONTH}的 3 份月报，已提交，等待科室审核")
    ).to_be_visible()
    township.screenshot(path=walk.out / "2-township-excel-uploaded.png", full_page=True)
    assert set(rest.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}
    assert set(
        Transition.objects.filter(report__in=rest).values_list("to_status", "by__username")
    ) == {(ReportStatus.SUBMITTED, "lanshan")}
    typed = Entry.objects.filter(report__in=rest, computed=False)
    assert typed.exists()
    assert not typed.filter(numerator__isnull=True, stage__isnull=True).exists()
    assert "" not in rest.values_list("progress", flat=True)


def section_returns_one_and_accepts_another(walk: Walk, entry: Any) -> str:
    """3. The section of 城乡社区治理擂台赛 returns 兰山街道's report on its figure, accepts another."""
    from campaigns.models import Report, ReportStatus
    from org.models import User

    out, online = walk.out, walk.online
    section = walk.log_in_as(SECTION)
    section.get_by_role("link", name="月报", exact=True).click()
    expect(section.get_by_role("heading", name="待审核的月报")).to_be_visible()
    others = [
        r
        for r in Report.objects.filter(
            period=walk.period, task=online.task, status=ReportStatus.SUBMITTED, late=False
        )
        if r.unit_id != online.unit_id
    ]
    assert others, "演示数据里应有别的单位等着审核"
    section.screenshot(path=out / "3-section-queue.png")
    section.get_by_role("row", name=f"{TOWNSHIP} {ONLINE_TASK} {MONTH}").get_by_role(
        "link", name="审核"
    ).click()
    reason = "建成率与台账不符：台账只有 9 个社区建成，请核对分子。"
    section.get_by_label("涉及").select_option(label=f"指标：{ONLINE_INDICATOR}")
    section.get_by_label("退回原因").fill(reason)
    section.screenshot(path=out / "3-section-return.png")
    section.get_by_role("button", name="退回修改").click()
    expect(section.get_by_text(f"已退回{TOWNSHIP}的月报")).to_be_visible()
    other = others[0]
    section.get_by_role("row", name=f"{other.unit.name} {ONLINE_TASK} {MONTH}").get_by_role(
        "link", name="审核"
    ).click()
    section.get_by_role("button", name="通过").click()
    expect(section.get_by_text(f"已通过{other.unit.name}的月报")).to_be_visible()
    section.screenshot(path=out / "3-section-reviewed.png")
    jiceng = User.objects.get(username=SECTION)
    online.refresh_from_db()
    other.refresh_from_db()
    assert online.status == ReportStatus.RETURNED
    assert (online.return_reason, online.return_field) == (reason, f"entry:{entry.pk}")
    assert online.transitions.last().by == jiceng
    assert other.status == ReportStatus.ACCEPTED
    assert other.transitions.last().by == jiceng
    return reason


def township_resubmits(walk: Walk, township: Page, reason: str) -> None:
    """4. 兰山街道 sees the reason on the figure and resubmits."""
    from campaigns.models import ReportStatus

    online = walk.online
    township.get_by_role("link", name="首页", exact=True).click()
    township.get_by_role("link", name=f"{ONLINE_TASK}（{MONTH}）").click()
    expect(township.get_by_text(f"科室退回了这份月报（涉及：{ONLINE_INDICATOR}）")).to_be_visible()
    expect(township.get_by_role("alert")).to_contain_text(reason)
    flagged = township.locator(".list-group-item.bg-red-lt")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(ONLINE_INDICATOR)
    expect(flagged.locator("[data-return-reason]")).to_contain_text(reason)  # on the field itself
    township.screenshot(path=walk.out / "4-township-returned.png", full_page=True)
    flagged.get_by_label("分子").fill("9")
    township.once("dialog", lambda dialog: dialog.accept())
    township.get_by_role("button", name="提交").click()
    expect(township.get_by_text("月报已提交，等待科室审核")).to_be_visible()
    online.refresh_from_db()
    assert online.status == ReportStatus.SUBMITTED
    assert online.entries.get().numerator == 9
    last = online.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("returned", "submitted", walk.lanshan)


def office_dispatches(walk: Walk) -> Any:
    """5. The office dispatches the month from the period page; the month's standings."""
    from campaigns.models import Bulletin, Light, PeriodStatus, Report, Standing
    from org.models import User

    out, period, online = walk.out, walk.period, walk.online
    office = walk.log_in_as("office")
    office.get_by_role("link", name="月报", exact=True).click()
    office.get_by_role("link", name=MONTH, exact=True).click()
    expect(office.get_by_text("各单位填报情况")).to_be_visible()
    office.screenshot(path=out / "5-office-period.png")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="截止本期").click()
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="调度并印发通报").click()
    expect(office.get_by_text("已印发")).to_be_visible()
    office.screenshot(path=out / "5-office-bulletin.png")
    period.refresh_from_db()
    assert period.status == PeriodStatus.DISPATCHED
    bulletin = Bulletin.objects.get(period=period)
    assert bulletin.created_by == User.objects.get(username="office")
    standings = Standing.objects.filter(period=period)
    assert standings.count() == Report.objects.filter(period=period).count()
    assert set(standings.filter(unit__name=TOWNSHIP).values_list("reported", flat=True)) == {True}
    mine_standing = standings.get(task=online.task, unit=online.unit)
    assert mine_standing.reported and mine_standing.rank is not None
    assert standings.filter(light=Light.RED).exists()
    return standings


def leaders_first_screen(walk: Walk, standings: Any) -> None:
    """6. The leader's first screen at 1366x768: December's ranking and the red units by name."""
    from campaigns.models import Light, TaskKind

    out = walk.out
    leader = walk.log_in_as("leader")
    leader.wait_for_load_state("networkidle")
    assert_fits(leader)
    leader.screenshot(path=out / "6-leader-home.png")
    leader.screenshot(path=out / "6-leader-home-full.png", full_page=True)
    assert leader.evaluate("window.scrollY") == 0
    attention = leader.locator("[data-panel=attention]")
    red_total = standings.filter(light=Light.RED).count()
    heading = attention.locator(".card-header")
    expect(heading).to_contain_text(f"红灯 {red_total} 个")
    columns = attention.get_by_text(f"红灯单位（{MONTH}调度）")
    lights = leader.locator(".card").filter(has_text=f"各擂台赛亮灯 · {MONTH}")
    for element in (
        heading,
        columns,
        lights.locator(".card-header"),
        lights.locator("[data-chart]"),
    ):
        assert_on_first_screen(element)
    # The chart draws December's lights per contest, in the plan's order.
    chart = json.loads(lights.locator("[data-chart]").get_attribute("data-chart") or "{}")
    contests = standings.filter(task__kind=TaskKind.CONTEST).order_by("task__order")
    per_contest: dict[str, list[str]] = {}
    for standing in contests.values("task__title", "light"):
        per_contest.setdefault(standing["task__title"], []).append(standing["light"])
    assert chart["red"] == [lights_of.count(Light.RED) for lights_of in per_contest.values()]
    assert chart["green"] == [lights_of.count(Light.GREEN) for lights_of in per_contest.values()]
    assert_red_rows_name_the_red_units(leader, attention, standings)
    # The month's board is on the page too (below the fold at 1366x768).
    expect(leader.get_by_role("heading", name=f"擂台榜 · {MONTH}")).to_be_visible()


def assert_red_rows_name_the_red_units(leader: Page, attention: Locator, standings: Any) -> None:
    from campaigns.models import Light

    # Each task's row names exactly its red units; the first contest's row is on the first screen.
    rows = attention.locator(".list-group-item").filter(has=leader.locator("[data-red-unit]"))
    first_screen_names: list[str] = []
    for index in range(rows.count()):
        row = rows.nth(index)
        title = row.locator(".fw-medium").inner_text()
        names = [
            badge.split(" · ")[0] for badge in row.locator("[data-red-unit]").all_inner_texts()
        ]
        red_units = list(
            standings.filter(task__title=title, light=Light.RED).values_list(
                "unit__name", flat=True
            )
        )
        # The six furthest behind by name, the rest counted beside them.
        assert set(names) <= set(red_units) and len(names) == min(6, len(red_units)), title
        if len(red_units) > 6:
            expect(row.locator("[data-red-more]")).to_have_text(f"等 {len(red_units)} 个 ›")
        if row.locator("[data-red-more]").count():
            assert_on_first_screen(row)  # every long row stays on the first screen
        badges = row.locator("[data-red-unit]")
        first_screen_names += [
            badges.nth(i).inner_text().split(" · ")[0]
            for i in range(badges.count())
            if on_first_screen(badges.nth(i))
        ]
        if index == 0:
            assert_on_first_screen(row)
    assert first_screen_names, "第一屏没有点名红灯单位"

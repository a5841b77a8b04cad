"""A township fills and submits its month in the browser; the section reviews it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, OPEN_MONTH, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def july(demo):
    """The demo's open month (兰山街道 has not started its reports)."""
    from campaigns.models import Period, PeriodStatus

    return Period.objects.get(status=PeriodStatus.OPEN, label=OPEN_MONTH)


def test_it_fills_submits_and_reviews_a_report(
    page: Page, live_server, july, screenshot_dir: Path, browser
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lanshan", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="月报", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"{OPEN_MONTH} · 兰山区民政系统“打擂攻坚”工作方案")
    ).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "reports-township-desktop.png", full_page=True)
    page.get_by_role("row", name="城乡社区治理擂台赛").get_by_role("link", name="填报").click()
    expect(page.get_by_role("heading", name="城乡社区治理擂台赛")).to_be_visible()
    page.get_by_label("分子").fill("14")
    page.get_by_label("分母").fill("20")
    expect(page.locator("[data-rate-preview]")).to_have_text("= 70.0%")
    page.get_by_label("工作进展").fill("14 个城市社区建成居务监督委员会，制度上墙。")
    page.get_by_label("存在问题").fill("部分新建社区场所不足。")
    page.get_by_label("下步打算").fill("5 月底前完成剩余 6 个社区建设。")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "report-form-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "report-form-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("月报已提交，等待科室审核")).to_be_visible()

    reviewer = browser.new_page(viewport=DESKTOP)
    log_in(reviewer, live_server.url, "office", settings.DEMO_PASSWORD)
    reviewer.goto(f"{live_server.url}/plans/periods/{july.pk}/")
    expect(reviewer.get_by_text("各单位填报情况")).to_be_visible()
    assert_fits(reviewer)
    reviewer.screenshot(path=screenshot_dir / "period-office-desktop.png", full_page=True)
    reviewer.close()


def test_it_shows_the_section_its_review_queue(page: Page, live_server, july, screenshot_dir: Path):
    from campaigns.models import Report
    from campaigns.services.reporting import report_save
    from org.models import User

    report = Report.objects.get(
        period=july, task__title="特困人员供养水平擂台赛", unit__name="兰山街道"
    )
    report_save(
        report=report,
        user=User.objects.get(username="lanshan"),
        version=report.version,
        entries={},
        texts={"progress": "入户劝导 9 人", "problems": "无", "plans": "继续劝导"},
        submit=True,
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "jiuzhu", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="月报", exact=True).click()
    expect(page.get_by_role("heading", name="待审核的月报")).to_be_visible()
    expect(
        page.get_by_role("row", name=f"兰山街道 特困人员供养水平擂台赛 {OPEN_MONTH}")
    ).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "review-queue-desktop.png")
    page.get_by_role("row", name=f"兰山街道 特困人员供养水平擂台赛 {OPEN_MONTH}").get_by_role(
        "link", name="审核"
    ).click()
    page.get_by_label("退回原因").fill("请补充劝导入住的人员名单")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回兰山街道的月报")).to_be_visible()

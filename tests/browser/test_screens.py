"""Each demo user logs in through the real page and lands on their home; screenshots for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from org import demo as demo_data

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# What each role's home must offer: a heading of its own, and the menu entries of its role only.
HOME_EXPECTATIONS = {
    "leader": ("擂台榜", ["单位", "局领导"], ["用户与角色"]),
    "office": ("待办事项", ["单位", "局领导", "用户与角色"], []),
    "jiuzhu": ("待审核的月报", ["单位"], ["用户与角色", "局领导"]),
    "yanglao": ("待审核的月报", ["单位"], ["用户与角色", "局领导"]),
    "lanshan": ("本期待填报", ["单位"], ["用户与角色", "局领导"]),
    "baishabu": ("本期待填报", ["单位"], ["用户与角色", "局领导"]),
    "fulizhongxin": ("今日“六晒”", [], ["单位", "用户与角色", "局领导"]),
}


def assert_fits(page: Page) -> None:
    # Let the page's own resize handlers (charts) run after a viewport change first.
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} 横向溢出 {overflow}px"


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_it_shows_the_login_page_in_chinese(page: Page, live_server, demo, screenshot_dir: Path):
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(f"{live_server.url}/login/?next=/")
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        assert_fits(page)
        page.screenshot(path=screenshot_dir / f"login-{name}.png", full_page=True)
    log_in(page, live_server.url, "lanshan", "wrong-password")
    expect(page.get_by_text("登录名或密码不正确")).to_be_visible()


@pytest.mark.parametrize("username", [row[0] for row in demo_data.USERS])
def test_it_lands_each_demo_user_on_their_home(
    page: Page, live_server, demo, screenshot_dir: Path, username: str
):
    heading, present, absent = HOME_EXPECTATIONS[username]
    full_name = next(row[1] for row in demo_data.USERS if row[0] == username)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, username, settings.DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=f"{full_name}，您好")).to_be_visible()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    menu = page.locator("#nav-menu")
    for label in present:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in absent:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"home-{username}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"home-{username}-phone.png", full_page=True)


def test_it_fits_the_office_pages_on_a_laptop(page: Page, live_server, demo, screenshot_dir: Path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    pages = {
        "units": ("/org/units/", "单位名录"),
        "users": ("/org/users/", "用户与角色"),
        "user-new": ("/org/users/new/", "新增用户"),
        "leaders": ("/org/leaders/", "局领导"),
    }
    for name, (path, heading) in pages.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h2.page-title")).to_have_text(heading)
        assert_fits(page)
        page.screenshot(path=screenshot_dir / f"office-{name}-desktop.png")
    page.goto(f"{live_server.url}/org/units/")
    page.get_by_role("link", name="兰山街道", exact=True).click()
    expect(page.locator("h2.page-title")).to_contain_text("兰山街道")
    expect(page.get_by_text("下级单位（19）")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "office-unit-detail-desktop.png", full_page=True)


def test_it_shows_the_plan_and_the_import_review(
    page: Page, live_server, demo, screenshot_dir: Path
):
    from campaigns.models import Campaign

    plans = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="工作方案", exact=True).click()
    page.get_by_role("link", name="兰山区民政系统“打擂攻坚”工作方案").click()
    expect(page.locator("h1.app-doc-title")).to_have_text("兰山区民政系统“打擂攻坚”工作方案")
    expect(page.get_by_role("heading", name="一、横向打擂台")).to_be_visible()
    expect(page.locator("section.app-doc-task")).to_have_count(7)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-desktop.png")
    page.locator("section.app-doc-task").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "plan-indicators-desktop.png")
    page.get_by_role("link", name="责任矩阵").click()
    expect(page.get_by_role("heading", name="局领导 × 任务")).to_be_visible()
    page.screenshot(path=screenshot_dir / "plan-matrix-desktop.png")

    page.goto(f"{live_server.url}/plans/import/")
    page.get_by_label("粘贴方案全文").fill(
        (plans / "xingqing-2020-minzheng-fangan.txt").read_text(encoding="utf-8")
    )
    page.get_by_role("button", name="读取并生成草稿").click()
    expect(page.get_by_text("已从文件生成方案草稿：20 项任务")).to_be_visible()
    expect(page.get_by_role("heading", name="对不上的名称")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-review-desktop.png")
    draft = Campaign.objects.get(doc_number="银兴党办发〔2020〕38号")
    assert draft.status == "draft" and draft.tasks.count() == 20
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-review-phone.png")

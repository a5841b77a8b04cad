"""The records pages in a real browser: the person list and page of a township, and an
institution's 六晒 page; screenshots for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, OPEN_MONTH, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Date and file inputs speak the bureau's language.
    return {**browser_context_args, "locale": "zh-CN"}


def wait_for_images(page: Page) -> None:
    # Polled from here: wait_for_function evaluates its predicate with eval, which the page's
    # Content-Security-Policy (script-src 'self') rightly refuses.
    loaded = "Array.from(document.images).filter(i => i.loading !== 'lazy').every(i => i.complete)"
    for _ in range(100):
        if page.evaluate(loaded):
            return
        page.wait_for_timeout(100)
    raise AssertionError("images still loading after 10 s")


def test_it_shows_a_townships_persons_masked(page: Page, live_server, demo, screenshot_dir: Path):
    from relief.models import Person

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lanshan", settings.DEMO_PASSWORD)
    page.locator("#nav-menu").get_by_role("link", name="社会救助", exact=True).click()
    expect(page.locator("h2.page-title")).to_have_text("救助对象")
    page.get_by_label("保障类别").select_option("tekun")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr").first).to_contain_text("特困人员")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "relief-person-list-desktop.png")
    shown = Person.objects.get(
        pk=int(page.locator("tbody tr a").first.get_attribute("href").split("/")[-2])
    )
    assert shown.unit.name == "兰山街道"
    assert shown.id_number not in page.content()
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "relief-person-list-phone.png")

    page.set_viewport_size(DESKTOP)
    page.locator("tbody tr a").first.click()
    expect(page.locator("h2.page-title")).to_contain_text(shown.name)
    expect(page.get_by_text(shown.masked_id_number)).to_be_visible()
    page.get_by_text("查看完整身份证号").click()
    page.get_by_label("查看事由").fill("办理特困供养年审核对身份")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.get_by_text(shown.id_number)).to_be_visible()
    expect(page.get_by_text("已记录本次查看")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "relief-person-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)

    page.set_viewport_size(DESKTOP)
    page.locator("#nav-menu").get_by_role("link", name="养老服务", exact=True).click()
    page.get_by_role("link", name="社区养老服务设施").click()
    expect(page.locator("h2.page-title")).to_have_text("社区养老服务设施")
    expect(page.get_by_text("配建达标")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "eldercare-facilities-desktop.png")


def test_it_shows_an_institutions_six_displays(page: Page, live_server, demo, screenshot_dir: Path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "fulizhongxin", settings.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="今日“六晒”")).to_be_visible()
    page.locator("#nav-menu").get_by_role("link", name="养老服务", exact=True).click()
    page.get_by_role("link", name="兰山区社会福利中心").click()
    page.get_by_role("link", name="“六晒”", exact=True).click()
    expect(page.locator("h2.page-title")).to_have_text(f"“六晒” · {OPEN_MONTH}")
    expect(page.get_by_text("按时晒出")).to_be_visible()
    expect(page.locator("img.app-shot").first).to_be_visible()
    wait_for_images(page)
    assert page.evaluate("document.querySelector('img.app-shot').naturalWidth") > 0
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "eldercare-displays-desktop.png")
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "eldercare-displays-phone.png")

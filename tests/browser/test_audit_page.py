"""The office's audit page at laptop and phone width, with the rows the visit itself left."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


def test_it_shows_the_audit_trail_on_a_laptop_and_a_phone(
    page: Page, live_server, demo, screenshot_dir: Path
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lanshan", "wrong-password-0")
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="审计日志", exact=True).click()
    expect(page.locator("h2.page-title")).to_have_text("审计日志")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("登录")
    expect(page.get_by_role("cell", name="登录失败")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "audit-desktop.png")
    page.get_by_label("操作").select_option("login_failed")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("lanshan")
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "audit-phone.png", full_page=True)

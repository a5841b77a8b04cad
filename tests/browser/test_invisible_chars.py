"""A clerk pastes 存在问题 from WPS with a vertical tab inside: the page refuses it naming the
field and the character, keeps what was typed, and one click removes what nobody can see."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, OPEN_MONTH
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


def test_it_refuses_invisible_characters_and_removes_them_in_one_click(
    page: Page, live_server, demo, screenshot_dir: Path
):
    from campaigns.models import Report

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lanshan", settings.DEMO_PASSWORD)
    report = Report.objects.get(
        period__label=OPEN_MONTH, task__title="城乡社区治理擂台赛", unit__name="兰山街道"
    )
    page.goto(f"{live_server.url}/plans/reports/{report.pk}/")
    page.get_by_label("存在问题").fill("部分新建社区\u000b场所不足。")
    page.get_by_role("button", name="保存草稿").click()
    message = page.get_by_text("「存在问题」含有看不见的特殊字符")
    expect(message).to_be_visible()
    expect(message).to_contain_text("垂直制表符（U+000B）")
    assert_fits(page)
    page.get_by_role("button", name="删除看不见的字符").click()
    expect(page.get_by_label("存在问题")).to_have_value("部分新建社区\n场所不足。")
    page.screenshot(path=screenshot_dir / "report-form-invisible-chars.png", full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("含有看不见的特殊字符")).to_have_count(0)
    report.refresh_from_db()
    assert report.problems == "部分新建社区\n场所不足。"

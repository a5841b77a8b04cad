"""A township downloads its Excel template in the browser, breaks it, and reads the error list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


def open_april() -> None:
    """The office opens July 2020 and, the demo's July long past, reopens 兰山街道's reports."""
    from campaigns.demo import DOC_NUMBER
    from campaigns.models import Campaign, Report
    from campaigns.services.reporting import period_open, report_reopen
    from org.models import User

    campaign = Campaign.objects.get(doc_number=DOC_NUMBER)
    period = period_open(campaign=campaign, day=date(2020, 7, 15))
    office = User.objects.get(username="office")
    until = timezone.localdate() + timedelta(days=30)
    for report in Report.objects.filter(period=period, unit__name="兰山街道"):
        report_reopen(report=report, user=office, reason="演示补报", until=until)


def row_of(sheet, name: str) -> int:
    return next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == name)


def test_it_lists_every_problem_of_a_broken_upload(
    page: Page, live_server, demo, screenshot_dir: Path, tmp_path: Path
):
    open_april()
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lanshan", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('campaigns:my_reports')}")
    # 兰山街道's staff also report for the home for the aged under it: one Excel menu per unit.
    page.get_by_role("button", name="Excel：兰山街道").click()
    menu = page.locator(".dropdown-menu.show")
    with page.expect_download() as download:
        menu.get_by_role("link", name="下载兰山街道的 Excel 模板").click()
    assert download.value.suggested_filename == "2020年7月月报-兰山街道.xlsx"
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook["月报"]
    fire = row_of(sheet, "配建设施消防等设施改造完成率")
    sheet[f"G{fire}"] = f"=H{fire}*0.8"  # a formula instead of a figure
    sheet[f"H{fire}"] = 12
    council = row_of(sheet, "城市社区居务监督委员会建成率")
    sheet[f"G{council}"] = 9
    sheet[f"H{council}"] = "约二十个"  # words in a number cell
    broken = tmp_path / "兰山街道4月月报.xlsx"
    workbook.save(broken)

    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-actions-desktop.png")
    menu.get_by_label("填好的模板（.xlsx）").set_input_files(broken)
    menu.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("heading", name="Excel 月报未导入")).to_be_visible()
    problems = page.locator("table.app-excel-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text(f"月报!G{fire}")
    expect(problems.nth(0)).to_contain_text("不能使用公式")
    expect(problems.nth(1)).to_contain_text(f"月报!H{council}")
    expect(problems.nth(1)).to_contain_text("“约二十个”不是数字")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-upload-errors-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-upload-errors-phone.png", full_page=True)

    # Fixed, the same file goes in from the error page, as a draft.
    sheet[f"G{fire}"] = 10
    sheet[f"H{council}"] = 20
    workbook.save(broken)
    page.set_viewport_size(DESKTOP)
    page.get_by_label("填好的模板（.xlsx）").set_input_files(broken)
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("已从 Excel 导入兰山街道2020年7月的 4 份月报")).to_be_visible()


def test_it_shows_the_office_a_result_per_file(
    page: Page, live_server, demo, screenshot_dir: Path, tmp_path: Path
):
    from campaigns.models import Period

    open_april()
    period = Period.objects.get(label="2020年7月")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('campaigns:period_detail', args=[period.pk])}")
    page.get_by_role("link", name="批量导入 Excel 月报").click()
    expect(page.get_by_role("heading", name="2020年7月：批量导入 Excel 月报")).to_be_visible()
    files = []
    for name in ("兰山街道", "柳青街道"):
        with page.expect_download() as download:
            page.get_by_role("link", name=f"{name} 下载").click()
        path = tmp_path / f"{name}.xlsx"
        download.value.save_as(path)
        files.append(path)
    (tmp_path / "说明.txt").write_text("各街道四月月报，请查收。", encoding="utf-8")
    files.append(tmp_path / "说明.txt")
    page.get_by_label("Excel 模板（可多选）或 zip 压缩包").set_input_files(files)
    page.get_by_role("button", name="导入").click()
    results = page.locator("table.app-excel-results tbody tr")
    expect(results).to_have_count(3)
    expect(results.nth(0)).to_contain_text("✓ 已保存 4 份月报")
    expect(results.nth(1)).to_contain_text("柳青街道")  # its April is past: refused, with why
    expect(results.nth(1)).to_contain_text("已过补报期限")
    expect(results.nth(2)).to_contain_text("这不是 Excel 工作簿")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-bulk-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-bulk-phone.png", full_page=True)

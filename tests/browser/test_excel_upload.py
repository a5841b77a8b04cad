"""A township downloads its Excel template in the browser, breaks it, and reads the error list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, OPEN_MONTH, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


def open_april() -> None:
    """The demo's open month: 兰山街道 has not started it; 柳青街道 has submitted all of its."""
    from campaigns.models import Period, PeriodStatus, Report, ReportStatus

    period = Period.objects.get(status=PeriodStatus.OPEN, label=OPEN_MONTH)
    Report.objects.filter(period=period, unit__name="柳青街道").update(
        status=ReportStatus.SUBMITTED
    )


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
    assert download.value.suggested_filename == f"{OPEN_MONTH}月报-兰山街道.xlsx"
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
    expect(page.get_by_text(f"已从 Excel 导入兰山街道{OPEN_MONTH}的 4 份月报")).to_be_visible()


def test_it_shows_the_office_a_result_per_file(
    page: Page, live_server, demo, screenshot_dir: Path, tmp_path: Path
):
    from campaigns.models import Period

    open_april()
    period = Period.objects.get(label=OPEN_MONTH)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('campaigns:period_detail', args=[period.pk])}")
    page.get_by_role("link", name="批量导入 Excel 月报").click()
    expect(page.get_by_role("heading", name=f"{OPEN_MONTH}：批量导入 Excel 月报")).to_be_visible()
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
    expect(results.nth(1)).to_contain_text("柳青街道")  # submitted already: refused, with why
    expect(results.nth(1)).to_contain_text("不能再修改")
    expect(results.nth(2)).to_contain_text("这不是 Excel 工作簿")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-bulk-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "excel-bulk-phone.png", full_page=True)

"""The office imports the plans bureaus actually receive, through the real page: a 任务分解表 in a
Word file and the plan printed to PDF, then settles the names of a real plan in one step;
screenshots of each review page for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.campaigns import plan_files

from .conftest import DESKTOP, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"


def upload(page: Page, base: str, name: str, data: bytes) -> None:
    page.goto(f"{base}/plans/import/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    page.get_by_role("button", name="读取并生成草稿").click()


def test_it_reviews_a_word_task_table(page: Page, live_server, demo, screenshot_dir: Path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)

    upload(page, live_server.url, "兰山区打擂攻坚任务分解表.docx", plan_files.task_table_docx())
    expect(page.get_by_text("已从文件生成方案草稿：7 项任务")).to_be_visible()
    expect(page.get_by_text("一、横向打擂台")).to_be_visible()
    expect(page.get_by_text("2020年10月底前").first).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-review-word-table-desktop.png")
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-review-word-table-phone.png")


@pytest.mark.skipif(
    not plan_files.has_soffice(), reason="LibreOffice prints the PDF (.ci/run installs it)"
)
def test_it_reviews_a_plan_printed_to_pdf(page: Page, live_server, demo, screenshot_dir: Path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    pdf = plan_files.to_pdf(plan_files.plan_docx(plan_files.lanshan_lines()))
    upload(page, live_server.url, "兰山区打擂攻坚工作方案.pdf", pdf)
    expect(page.get_by_text("已从文件生成方案草稿：7 项任务")).to_be_visible()
    expect(page.get_by_text("临兰民〔2020〕22号").first).to_be_visible()
    expect(page.get_by_text("— 1 —")).to_have_count(0)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "plan-review-pdf-desktop.png")


def test_it_makes_every_unknown_unit_a_partner_in_one_step(page: Page, live_server, demo):
    from org.models import Unit, UnitKind

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/import/")
    page.get_by_label("粘贴方案全文").fill(
        (PLANS / "xingqing-2020-minzheng-fangan.txt").read_text(encoding="utf-8")
    )
    page.get_by_role("button", name="读取并生成草稿").click()
    button = page.get_by_role("button", name="全部新建为配合单位")
    expect(button).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.get_by_text("新建为配合单位（或对应到同名单位）")).to_be_visible()
    expect(page.get_by_role("heading", name="对不上的名称")).to_have_count(0)
    assert Unit.objects.filter(kind=UnitKind.PARTNER, name="组织部").exists()

"""Each role's first page on the real demo, at 1366x768 and 390x844: the README's screenshots.

`make screenshots` runs this module with UPDATE_SCREENSHOTS=1, which also copies the first screen of
each page to docs/screenshots/ as home-<role>.png and home-<role>-phone.png; otherwise the images go
to artifacts/screenshots/first-pages/ only, so `make test` never touches docs/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Response, expect

from org.models import Role, User

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The README shows one account per role: (role, login or the unit the account acts for). Units
# rather than logins where the demo's login rule may rename them (jigou became fulizhongxin).
FIRST_PAGES: list[tuple[str, dict[str, str]]] = [
    (Role.LEADER.value, {"username": "leader"}),
    (Role.OFFICE.value, {"username": "office"}),
    (Role.SECTION.value, {"scope__name": "社会救助科"}),  # jiuzhu
    (Role.TOWNSHIP.value, {"scope__name": "兰山街道"}),  # lanshan
    (Role.INSTITUTION.value, {"scope__name": "兰山区社会福利中心"}),
]


def account_for(role: str, lookup: dict[str, str]) -> User:
    """Return the demo's active account of the role that matches; for an institution, any one."""
    users = User.objects.filter(role=role, is_active=True).order_by("pk")
    user = users.filter(**lookup).first()
    if user is None and role == Role.INSTITUTION:
        user = users.first()
    assert user is not None, f"演示数据里没有{Role(role).label}的账号（{lookup}）"
    return user


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def settle(page: Page) -> None:
    """Wait until the page, its web fonts and two animation frames (charts' resize) are done."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready.then(() => undefined)")
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def watch(page: Page) -> list[str]:
    """Collect what goes wrong behind the page: error responses, script errors, CSP refusals."""
    problems: list[str] = []

    def on_response(response: Response) -> None:
        # Chromium asks for /favicon.ico on its own; the pages do not link one.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        # A failed load is counted by its response above; anything else (a CSP refusal) is here.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"控制台：{message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"脚本错误：{error}"))
    return problems


def shoot(page: Page, name: str, out: Path, docs: Path | None) -> None:
    """Save the first screen (and the whole page, for review); copy the first screen to docs/."""
    first_screen = out / f"{name}.png"
    page.screenshot(path=first_screen)
    page.screenshot(path=out / f"{name}-full.png", full_page=True)
    if docs is not None:
        shutil.copyfile(first_screen, docs / f"{name}.png")


def check_first_page(
    page: Page, base: str, user: User, name: str, out: Path, docs: Path | None
) -> None:
    background = watch(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, base, user.username)
    expect(page).to_have_url(f"{base}/")
    for size, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        page.set_viewport_size(size)
        # Load the page again at this size, as a phone would, rather than only resizing it.
        response = page.goto(f"{base}/")
        settle(page)
        shoot(page, f"{name}{suffix}", out, docs)
        assert response is not None and response.status == 200, f"{size}: {response}"
        expect(page.locator("h2.page-title")).to_have_text(f"{user.display_name}，您好")
        expect(page.locator(".page-pretitle")).to_have_text(user.get_role_display())
        expect(page.locator(".card").first).to_be_visible()
        expect(page.get_by_text("Server Error")).to_have_count(0)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{size['width']} px 宽时横向溢出 {overflow}px"
    assert not background, "；".join(background)


def test_it_shows_each_roles_first_page(
    browser: Browser, browser_context_args: dict[str, Any], live_server, demo, screenshot_dir: Path
):
    out = screenshot_dir / "first-pages"
    out.mkdir(exist_ok=True)
    docs = DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else None
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for role, lookup in FIRST_PAGES:
        user = account_for(role, lookup)
        # A fresh browser context per account: its own cookies, nothing left from the last login.
        context = browser.new_context(**browser_context_args)
        try:
            check_first_page(context.new_page(), live_server.url, user, f"home-{role}", out, docs)
        except (AssertionError, Error) as problem:
            # Go on with the other roles: every page gets its screenshots, then all failures show.
            failures.append(f"{role}（{user.username}）：{problem}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)

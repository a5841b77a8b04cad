"""Every page works under the Content-Security-Policy: each demo role walks its pages in Chromium
and the browser refuses nothing (no inline script, style or foreign host is left anywhere)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from org import demo as demo_data

from .conftest import DESKTOP, OPEN_MONTH
from .test_screens import log_in

pytestmark = pytest.mark.browser

# Chromium reports a refused resource twice: as a console error ("Refused to apply inline
# style because it violates the following Content Security Policy directive ...") and as a
# securitypolicyviolation event, which the init script below keeps for us.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")

# Pages the walk must reach for each role (paths with their ids replaced by N).
# /plans/reports/ is a unit's list of reports and a section's review queue.
MUST_SEE = {
    "leader": {"/", "/plans/N/", "/plans/N/board/", "/relief/", "/relief/persons/N/"},
    "office": {
        "/",
        "/plans/N/",
        "/plans/N/board/",
        "/plans/periods/N/",
        "/org/units/",
        "/relief/",
        "/relief/persons/N/",
        "/eldercare/",
    },
    "jiuzhu": {
        "/",
        "/plans/N/",
        "/plans/reports/",
        "/plans/reports/N/",
        "/relief/",
        "/relief/persons/N/",
    },
    "yanglao": {
        "/",
        "/plans/N/",
        "/plans/reports/",
        "/eldercare/",
        "/eldercare/institutions/N/displays/",
    },
    "lanshan": {
        "/",
        "/plans/N/",
        "/plans/reports/",
        "/plans/reports/N/",
        "/relief/",
        "/relief/persons/N/",
    },
    "baishabu": {"/", "/plans/N/", "/plans/reports/", "/plans/reports/N/", "/relief/"},
    "fulizhongxin": {
        "/",
        "/plans/reports/",
        "/plans/reports/N/",
        "/eldercare/institutions/N/",
        "/eldercare/institutions/N/displays/",
    },
}
# Links a walk never follows: files, photos and downloads (not pages), leaving, the admin.
SKIP = re.compile(
    r"(\.xlsx|\.docx|/export|/template|/photos/|/evidence/|/logout/|/admin/|/screen/)"
)
PAGES_PER_ROLE = 30


def kind_of(path: str) -> str:
    return re.sub(r"/\d+(?=/)", "/N", path)


class Watch:
    """Console messages, page errors and CSP violation events of one page."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._note(f"page error: {error}"))

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        self._note(f"console {message.type}: {message.text}")

    def _note(self, text: str) -> None:
        if any(word in text for word in CSP_WORDS):
            self.problems.append(text)

    def collect(self, page: Page, where: str) -> list[str]:
        events = page.evaluate("window.__cspViolations || []")
        found = [f"{where}: {text}" for text in self.problems + events]
        self.problems.clear()
        return found


def visit(page: Page, watch: Watch, url: str) -> tuple[list[str], str | None]:
    response = page.goto(url)
    assert response is not None
    policy = response.headers.get("content-security-policy")
    # Let charts draw and late scripts run before reading what was refused.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    return watch.collect(page, url), policy


def same_site_links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(parts.path):
            continue
        out.append(parts.path)
    return out


@pytest.fixture
def july(demo: None) -> Any:
    """The demo's open month, 兰山街道's first report submitted: every role has work to see."""
    from campaigns.models import Period, PeriodStatus, Report
    from campaigns.services.reporting import report_save
    from org.models import User

    period = Period.objects.get(status=PeriodStatus.OPEN, label=OPEN_MONTH)
    report = Report.objects.get(
        period=period, task__title="特困人员供养水平擂台赛", unit__name="兰山街道"
    )
    report_save(
        report=report,
        user=User.objects.get(username="lanshan"),
        version=report.version,
        entries={},
        texts={"progress": "入户劝导 9 人", "problems": "无", "plans": "继续劝导"},
        submit=True,
    )
    return period


@pytest.mark.parametrize("username", [row[0] for row in demo_data.USERS])
def test_it_walks_each_roles_pages_without_a_refusal(
    page: Page, live_server, july, screenshot_dir: Path, username: str
):
    base = live_server.url
    watch = Watch(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, base, username, settings.DEMO_PASSWORD)
    expect(page).to_have_url(f"{base}/")
    problems = watch.collect(page, "login")
    seen: dict[str, str] = {}
    queue = ["/"]
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = kind_of(path)
        if kind in seen:
            continue
        found, policy = visit(page, watch, base + path)
        seen[kind] = path
        problems += found
        assert policy and "script-src 'self'" in policy, f"{path} 没有 CSP 响应头"
        if kind in MUST_SEE[username]:
            name = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "home"
            page.screenshot(path=screenshot_dir / f"csp-{username}-{name}.png")
        if kind == "/plans/N/board/" and page.locator(".app-chart svg").count():
            # The tooltip is drawn on hover: it must not need inline styles either.
            page.locator(".app-chart svg").first.hover()
            page.wait_for_timeout(300)
            problems += watch.collect(page, f"{path} (tooltip)")
            page.screenshot(path=screenshot_dir / f"csp-{username}-board-tooltip.png")
        links = [link for link in same_site_links(page, base) if kind_of(link) not in seen]
        # The pages every role must reach go first, then the rest as found (forms included).
        queue = [x for x in links if kind_of(x) in MUST_SEE[username]] + queue + links
    missing = MUST_SEE[username] - set(seen)
    assert not missing, f"{username} 没有走到：{sorted(missing)}（走过：{sorted(seen)}）"
    assert not problems, "\n".join(problems)


def test_it_shows_the_login_page_and_the_screen_without_a_refusal(
    page: Page, live_server, demo, screenshot_dir: Path
):
    from campaigns.models import Campaign, DisplayLink

    watch = Watch(page)
    page.set_viewport_size(DESKTOP)
    problems, policy = visit(page, watch, f"{live_server.url}/login/")
    assert policy and "frame-ancestors 'none'" in policy
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.screenshot(path=screenshot_dir / "csp-login.png")
    campaign = Campaign.objects.filter(periods__standings__isnull=False).distinct().first()
    link = DisplayLink.objects.create(
        campaign=campaign, token=secrets.token_urlsafe(24), label="测"
    )
    page.set_viewport_size({"width": 1920, "height": 1080})
    found, policy = visit(page, watch, f"{live_server.url}/screen/{link.token}/")
    problems += found
    assert policy and "default-src 'self'" in policy
    expect(page.locator(".app-slide.is-active h1")).to_be_visible()
    page.screenshot(path=screenshot_dir / "csp-screen.png")
    assert not problems, "\n".join(problems)


def test_it_catches_an_inline_style(page: Page, live_server, demo):
    """The watch itself works: a page that breaks the policy is reported."""
    watch = Watch(page)
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        "() => { const d = document.createElement('div');"
        " d.innerHTML = '<span style=\"color:red\">x</span>'; document.body.append(d); }"
    )
    page.wait_for_timeout(100)
    problems = watch.collect(page, "login")
    assert problems and any("style-src" in text for text in problems), problems

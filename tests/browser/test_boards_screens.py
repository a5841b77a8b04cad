"""The boards in a real browser: the leader's figures are the bulletin's, a township sees only
itself, and the meeting-room screen opens from its link without a login."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE
from .test_screens import assert_fits, log_in

pytestmark = pytest.mark.browser


def latest_bulletin():
    from campaigns.models import Bulletin, BulletinKind

    return Bulletin.objects.filter(kind=BulletinKind.MONTHLY).order_by("-issued_on").first()


def test_it_shows_the_leader_the_bulletins_figures(
    page: Page, live_server, demo, screenshot_dir: Path
):
    bulletin = latest_bulletin()
    lights = bulletin.content["overview"]["lights"]
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "leader", settings.DEMO_PASSWORD)
    for light in ("green", "yellow", "red"):
        expect(page.locator(f'[data-figure="{light}"]')).to_have_text(str(lights[light]))
    first = bulletin.content["contests"][0]["rows"][0]["unit"]
    expect(page.locator('[data-rank="1"]').first).to_have_text(first)
    page.screenshot(path=screenshot_dir / "dashboard-leader-desktop.png", full_page=True)
    page.get_by_role("link", name="擂台榜", exact=True).click()
    expect(page.get_by_role("heading", name=f"擂台榜 · {bulletin.period.label}")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "board-desktop.png")
    page.set_viewport_size(PHONE)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "board-phone.png", full_page=True)


def test_it_shows_a_township_only_itself(page: Page, live_server, demo, screenshot_dir: Path):
    from org.models import Unit

    others = list(
        Unit.objects.filter(kind__in=("street", "town", "devzone"))
        .exclude(name="兰山街道")
        .values_list("name", flat=True)
    )
    bulletin = latest_bulletin()
    contest = bulletin.content["contests"][0]
    place = next(row["rank"] for row in contest["rows"] if row["unit"] == "兰山街道")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        log_in(page, live_server.url, "lanshan", settings.DEMO_PASSWORD)
        heading = f"本单位名次与亮灯 · {bulletin.period.label}"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        # The place on the first contest is the bulletin's.
        row = page.get_by_role("row").filter(has_text=contest["task"]).first
        expect(row.locator('[data-figure="rank"]')).to_have_text(str(place))
        text = page.locator(".page-body").inner_text()
        assert "兰山街道" in text
        assert not [o for o in others if o in text], (
            "another township's name on 兰山街道's dashboard"
        )
        assert_fits(page)
        page.screenshot(path=screenshot_dir / f"dashboard-township-{name}.png", full_page=True)
        page.context.clear_cookies()


def test_it_opens_the_meeting_room_screen_from_its_link(
    page: Page, live_server, demo, screenshot_dir: Path, browser
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "office", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/boards/")
    page.get_by_role("link", name="大屏链接").click()
    page.get_by_label("用途").fill("三楼会议室")
    page.get_by_role("button", name="生成大屏链接").click()
    url = page.get_by_label("大屏链接").input_value()
    room = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = room.new_page()
    screen.goto(url)
    expect(screen.locator(".app-slide.is-active h1")).to_have_text(
        latest_bulletin().content["contests"][0]["task"]
    )
    assert screen.locator("a").count() == 0
    screen.screenshot(path=screenshot_dir / "screen-1920.png")
    screen.goto(f"{live_server.url}/")
    expect(screen).to_have_url(f"{live_server.url}/login/?next=/")
    room.close()

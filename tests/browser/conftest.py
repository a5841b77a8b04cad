"""Playwright on Debian's Chromium (never a downloaded browser), and the demo bureau."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",  # as on a bureau PC: the browser's own labels (file inputs) in Chinese
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("找不到 Debian 的 chromium：apt-get install -y chromium fonts-noto-cjk")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR", "artifacts")) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# The day the browser tests live: the demo is seeded on it and the server runs on it (the clock
# ticks on from 10:00), so the open month is 2026年12月 and the last dispatched 2026年11月.
DEMO_DAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OPEN_MONTH, LAST_MONTH = "2026年12月", "2026年11月"


@pytest.fixture
def demo(transactional_db: None) -> Iterator[None]:
    from django.core.management import call_command

    with time_machine.travel(DEMO_DAY, tick=True):
        call_command("seed_demo")
        yield

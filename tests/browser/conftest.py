"""Playwright on Debian's Chromium (never a downloaded browser), and the demo bureau."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture
def demo(transactional_db: None) -> None:
    from django.core.management import call_command

    call_command("seed_demo")

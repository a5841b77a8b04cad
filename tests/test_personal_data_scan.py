"""Every page and every export, rendered for roles that may not see a full ID number, scanned for
one: none is found. Files (xlsx, docx, zip) are opened and every part inside them is read.

A valid 居民身份证号码 is 17 digits and a check character that agrees with them, so the scan
finds real numbers only, not every long run of digits (tokens, signatures, timestamps).
"""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from relief import idnumber
from relief.models import IdNumberView
from tests.conftest import Plan, Tree, client_for
from tests.org.test_url_access import ALL_URLS, PUBLIC, TOKEN_PAGES, target_for
from tests.relief import factories as relief_factories

CANDIDATE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def readable(data: bytes) -> str:
    """What a body says: its text, and the text of every part of a zip container (xlsx, docx,
    zip), with XML character references resolved (openpyxl may write 甲 as &#30002;)."""
    parts = [data]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [readable(archive.read(entry)).encode() for entry in archive.infolist()]
    return html.unescape(b"\n".join(parts).decode("utf-8", errors="replace"))


def id_numbers_in(data: bytes) -> set[str]:
    """Valid ID numbers in a response body, looking inside zip containers."""
    return {
        m.upper() for m in CANDIDATE.findall(readable(data)) if not idnumber.problems(m.upper())
    }


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def persons(tree: Tree) -> list[str]:
    """Relief persons on both sides, in households, with support, visits and caregivers."""
    people = [
        relief_factories.person(
            tree.township_a, community=tree.community_a1, name="甲扫描一", household_number="A-1"
        ),
        relief_factories.person(
            tree.township_a, community=tree.community_a2, name="甲扫描二", household_number="A-2"
        ),
        relief_factories.person(
            tree.township_b, community=tree.village_b1, name="乙扫描一", household_number="B-1"
        ),
    ]
    return [p.id_number for p in people]


def test_the_scan_finds_a_number_where_there_is_one(persons: list[str]):
    """The scan itself can fail: a page or a workbook holding a number is caught."""
    page = f"<td>{persons[0]}</td>".encode()
    assert id_numbers_in(page) == {persons[0]}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("xl/sharedStrings.xml", f"<si><t>{persons[1]}</t></si>")
    assert id_numbers_in(archive.getvalue()) == {persons[1]}
    assert not id_numbers_in(b"token 12345678901234567890123 and 20200401000000000")


GET_URLS = [name for name, _ in ALL_URLS if name not in PUBLIC | TOKEN_PAGES]


@pytest.mark.parametrize("role", ["leader", "office", "section", "township_a", "township_b"])
def test_no_page_or_export_shows_a_full_id_number(
    request, tree: Tree, plan: Plan, persons: list[str], role: str, caplog
):
    """Every named URL (pages, exports, downloads, fragments), GET, for a role that has not
    asked for a number with a reason: zero numbers, and none in the log either."""
    caplog.set_level(logging.DEBUG)
    user = request.getfixturevalue(role)
    township_a = request.getfixturevalue("township_a")
    client = client_for(user)
    scanned = 0
    leaks: dict[str, set[str]] = {}
    for name in GET_URLS:
        url = reverse(name, kwargs=target_for(name, tree, township_a, plan, draft=False))
        response = client.get(url, {"q": "扫描"} if name.endswith("_list") else {})
        if response.status_code != 200:
            continue
        scanned += 1
        content = body(response)
        found = id_numbers_in(content)
        text = readable(content)
        if found:
            leaks[name] = found
        if role == "township_b":
            # List pages and exports never hold another township's people, masked or not.
            foreign = [w for w in ("甲扫描一", "甲扫描二", idnumber.mask(persons[0])) if w in text]
            if foreign:
                leaks[name] = set(foreign)
    assert not leaks, f"shown to {role}: {leaks}"
    assert scanned >= 20, f"only {scanned} pages answered {role}: the scan would prove little"
    assert not id_numbers_in(caplog.text.encode())
    assert not IdNumberView.objects.exists()


def test_the_relief_pages_and_roster_export_were_among_those_scanned(
    tree: Tree, persons: list[str], township_a, office
):
    """The pages that hold the numbers answer the roles above (so the scan really read them)."""
    for user in (township_a, office):
        client = client_for(user)
        listing = client.get(reverse("relief:person_list")).content.decode()
        assert "甲扫描一" in listing and idnumber.mask(persons[0]) in listing
        export = client.get(reverse("relief:person_export"))
        assert export.status_code == 200 and not id_numbers_in(export.content)
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert ("甲扫描一", idnumber.mask(persons[0])) in {(r[3], r[4]) for r in rows}
        assert "甲扫描一" in readable(export.content), "the scan reads inside workbooks"

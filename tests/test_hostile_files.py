"""Hostile files through every page that takes files of their kind, as a signed-in user.

Each is refused with a Chinese message, nothing is saved (no row, no file under MEDIA_ROOT), and
the refusal takes under 1 second and 50 MB. Two measures of memory:

- in process, around the request: `tracemalloc`'s peak (what Python allocates: request parsing,
  zlib output, openpyxl's and lxml's objects). It does not see C buffers such as Pillow's pixels;
- in a subprocess per file, around the same checks the pages run (`hostile_files.refuse`): the
  growth of the process's peak resident set (ru_maxrss), which sees everything. The file is read
  from disk after the imports, so neither making it nor importing the libraries counts.

A real JPEG named ../../x.jpg is accepted and stored under a random name inside MEDIA_ROOT.
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigns.excel.template import template_build
from campaigns.models import Campaign, Entry, Evidence, Report, Task, Transition
from eldercare.models import DisplayPost
from relief.models import Household, Person, SupportPeriod
from tests import hostile_files
from tests.conftest import Plan, Tree, client_for
from tests.eldercare.factories import institution as institution_profile
from tests.hostile_files import HOSTILE, Hostile

SECONDS = 1.0
MEMORY = 50 * 1024 * 1024
SHANGHAI = ZoneInfo("Asia/Shanghai")
STORED_NAME = re.compile(r"^[0-9a-f]{32}(_t)?\.jpg$")

# What each refusal must say (a fragment of the Chinese message).
SAYS = {
    "zip_bomb_xlsx": "解压后超过",
    "billion_laughs_xlsx": "DOCTYPE",
    "million_rows_xlsx": r"1000000 行|行数超过 20000 行",
    "xlsm": "文件含有宏",
    "html_as_xlsx": "网页（HTML）",
    "huge_png": "像素的上限",
    "zip_bomb_docx": "解压后超过",
    "billion_laughs_docx": "DOCTYPE",
    "html_as_docx": "网页（HTML）",
}


@pytest.fixture(autouse=True)
def april():
    """The plan's April 2020 period is open and before its due date."""
    with time_machine.travel(datetime(2020, 4, 20, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """MEDIA_ROOT two folders down in a fresh directory, so ../../ from it is still watched."""
    root = tmp_path / "outside" / "deeper" / "media"
    root.mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


@dataclass
class Pages:
    plan: Plan
    tree: Tree
    township: Client
    office: Client
    institution: Client


@pytest.fixture
def pages(plan: Plan, tree: Tree, township_a, office, institution, media) -> Pages:
    institution_profile(tree.institution_a)
    return Pages(plan, tree, client_for(township_a), client_for(office), client_for(institution))


def upload(hostile: Hostile) -> SimpleUploadedFile:
    return SimpleUploadedFile(hostile.name, hostile.data)


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _page(response: Any) -> str:
    return response.content.decode()


@dataclass(frozen=True)
class EntryPoint:
    """A page that takes uploads: the kind of file it takes, how to post one, its words back."""

    kind: str
    post: Callable[[Pages, Hostile], Any]
    words: Callable[[Any], str] = _page
    status: int = 200


def _report_upload(p: Pages, h: Hostile) -> Any:
    url = reverse("campaigns:report_upload", args=[p.plan.period.pk, p.tree.township_a.pk])
    return p.township.post(url, {"file": upload(h), "mode": "submit"})


def _bulk_upload(p: Pages, h: Hostile) -> Any:
    url = reverse("campaigns:reports_bulk_upload", args=[p.plan.period.pk])
    return p.office.post(url, {"files": [upload(h)], "mode": "submit"})


def _roster_import(p: Pages, h: Hostile) -> Any:
    return p.township.post(reverse("relief:roster_import"), {"file": upload(h)})


def _plan_import(p: Pages, h: Hostile) -> Any:
    return p.office.post(reverse("campaigns:campaign_import"), {"text": "", "file": upload(h)})


def _evidence(p: Pages, h: Hostile) -> Any:
    url = reverse("campaigns:evidence_upload", args=[p.plan.report_a.pk])
    return p.township.post(url, {"file": upload(h), "caption": "现场照片"})


def _display_photo(p: Pages, h: Hostile) -> Any:
    url = reverse("eldercare:institution_displays", args=[p.tree.institution_a.pk])
    return p.institution.post(url, {"item": "meals", "day": "2020-04-20", "photo": upload(h)})


ENTRY_POINTS = {
    "report_upload": EntryPoint("workbook", _report_upload),
    "bulk_upload": EntryPoint("workbook", _bulk_upload),
    "roster_import": EntryPoint("workbook", _roster_import),
    "plan_import": EntryPoint("document", _plan_import),
    "evidence": EntryPoint("image", _evidence, _messages, 302),
    "display_photo": EntryPoint("image", _display_photo),
}
CASES = [
    pytest.param(entry, label, id=f"{entry}-{label}")
    for label, make in HOSTILE.items()
    for entry, point in ENTRY_POINTS.items()
    if point.kind == make().kind
]


def stored(media: Path) -> dict[str, Any]:
    """Every row an upload could write, and every file under MEDIA_ROOT."""
    return {
        "reports": list(Report.objects.values_list("pk", "status", "version")),
        "entries": list(Entry.objects.values_list("pk", "value", "numerator", "denominator")),
        "history": (Report.history.count(), Entry.history.count(), Transition.objects.count()),
        "plans": (Campaign.objects.count(), Task.objects.count()),
        "relief": (
            Person.objects.count(),
            Household.objects.count(),
            SupportPeriod.objects.count(),
        ),
        "evidence": Evidence.all_objects.count(),
        "posts": DisplayPost.objects.count(),
        "files": sorted(str(path) for path in media.parent.parent.rglob("*") if path.is_file()),
    }


def measured(call: Callable[[], Any]) -> tuple[Any, float, int]:
    """(result, seconds, peak bytes Python allocated) of one call."""
    gc.collect()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def hostile_for(entry: str, label: str, pages: Pages) -> Hostile:
    if label == "million_rows_xlsx" and entry in ("report_upload", "bulk_upload"):
        # The unit's own signed template, its form sheet claiming a million rows: the signature
        # passes, so it is the row cap that refuses it.
        buffer = BytesIO()
        template_build(period=pages.plan.period, unit=pages.tree.township_a).save(buffer)
        return hostile_files.claim_million_rows(buffer.getvalue(), "月报.xlsx")
    return HOSTILE[label]()


@pytest.mark.parametrize(("entry", "label"), CASES)
def test_it_refuses_a_hostile_file_quickly_and_saves_nothing(
    pages: Pages, media: Path, entry: str, label: str
):
    point = ENTRY_POINTS[entry]
    hostile = hostile_for(entry, label, pages)
    point.post(pages, Hostile("预热.bin", b"warm-up: not a file of any kind", point.kind))
    before = stored(media)

    response, seconds, peak = measured(lambda: point.post(pages, hostile))

    assert response.status_code == point.status
    words = point.words(response)
    assert re.search(SAYS[label], words), words[:2000]
    assert stored(media) == before, "nothing saved"
    print(f"{entry} {label}: {seconds * 1000:.0f} ms, Python peak {peak / 1024 / 1024:.1f} MB")
    assert seconds < SECONDS, f"{seconds:.3f} s"
    assert peak < MEMORY, f"{peak / 1024 / 1024:.1f} MB"


@pytest.mark.parametrize("entry", ["evidence", "display_photo"])
def test_it_stores_a_photo_named_to_climb_out_under_a_random_name_inside_media(
    pages: Pages, media: Path, entry: str
):
    hostile = hostile_files.traversal_jpg()
    assert hostile.name == "../../x.jpg"
    outside = media.parent.parent  # where ../../x.jpg would land, and everything below it
    before = {path for path in outside.rglob("*") if path.is_file()}

    response, seconds, _peak = measured(lambda: ENTRY_POINTS[entry].post(pages, hostile))

    assert response.status_code == 302 and seconds < SECONDS
    new = {path for path in outside.rglob("*") if path.is_file()} - before
    assert new and all(path.is_relative_to(media) for path in new)
    assert all(STORED_NAME.match(path.name) for path in new), sorted(p.name for p in new)
    assert not any(path.name == "x.jpg" for path in outside.rglob("*"))
    if entry == "evidence":
        evidence = Evidence.objects.exclude(pk=pages.plan.evidence_a.pk).get()
        assert evidence.original_name == "x.jpg"  # the client's name, as a label only
        served = pages.township.get(reverse("campaigns:evidence_file", args=[evidence.pk]))
        assert 'filename="x.jpg"' in served["Content-Disposition"]
    else:
        post = DisplayPost.objects.get()
        served = pages.institution.get(reverse("eldercare:post_photo", args=[post.pk]))
        assert served["Content-Disposition"].startswith("inline;")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    for path in new:  # MEDIA_ROOT is never served as files: only the checking views serve them
        direct = f"{django_settings.MEDIA_URL}{path.relative_to(media).as_posix()}"
        assert pages.township.get(direct).status_code == 404


CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings.test")
from tests import hostile_files as h

name, kind, path = sys.argv[1:4]
h._warm()  # imports and settings are not the refusal's cost
hostile = h.Hostile(name, open(path, "rb").read(), kind)


def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":"))


# The warm-up's passing peak must not hide the refusal's growth: reset the high-water mark
# (Linux: clear_refs 5) and measure from the resident size now.
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before, peak = status("VmRSS"), lambda: status("VmHWM")
except OSError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
message = h.refuse(hostile)
seconds = time.perf_counter() - started
grown = peak() - before
print(json.dumps({"message": message, "seconds": seconds, "grown_kb": grown}))
"""


def in_a_process_of_its_own(hostile: Hostile, tmp_path: Path) -> dict[str, Any]:
    """What CHILD measured of `hostile_files.refuse` on `hostile`."""
    path = tmp_path / "upload.bin"
    path.write_bytes(hostile.data)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, hostile.name, hostile.kind, str(path)],
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    measure: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measure


@pytest.mark.parametrize("label", list(HOSTILE))
def test_it_refuses_each_file_within_the_limits_in_a_process_of_its_own(label: str, tmp_path):
    measure = in_a_process_of_its_own(HOSTILE[label](), tmp_path)
    assert re.search(SAYS[label], measure["message"]), measure
    print(f"{label}: {measure['seconds'] * 1000:.0f} ms, peak RSS +{measure['grown_kb']} KB")
    assert measure["seconds"] < SECONDS, measure
    assert measure["grown_kb"] * 1024 < MEMORY, measure


def test_the_process_measure_sees_memory_when_there_is_some(tmp_path):
    """The measure can fail: a real 38-megapixel photo (under the 40-million cap) is accepted,
    and decoding it (115 MB of pixels) shows."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (7000, 5500), (90, 140, 200)).save(buffer, "PNG")
    measure = in_a_process_of_its_own(Hostile("大照片.png", buffer.getvalue(), "image"), tmp_path)
    assert measure["message"] == ""
    assert measure["grown_kb"] * 1024 > MEMORY, measure


def test_the_files_are_small_on_disk_and_the_bombs_large_inside():
    import zipfile

    for make in (hostile_files.zip_bomb_xlsx, hostile_files.zip_bomb_docx):
        bomb = make()
        with zipfile.ZipFile(BytesIO(bomb.data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        assert len(bomb.data) < 1024 * 1024 and inflated > 300 * 1024 * 1024
    assert len(hostile_files.huge_png().data) < 10_000
    assert len(hostile_files.million_rows_xlsx().data) < 20_000

"""Junk bytes and junk cell values through the upload page: never a server error, never a partial save."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Report
from tests.conftest import Plan, Tree

from .conftest import (
    as_bytes,
    snapshot,
    upload,
)

# Junk never gets a 500 or a partial save.

JUNK_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _mutated(good: bytes) -> st.SearchStrategy[bytes]:
    """A real template with a stretch of its bytes overwritten, cut short or grown.

    The drawn position does not depend on the file's length (a saved workbook carries the time it
    was written, so its length can change between examples, and Hypothesis needs the same
    strategy every time): it is folded into the file with a modulo.
    """

    def mutate(t: tuple[int, bytes, bool]) -> bytes:
        at = t[0] % len(good)
        return good[:at] + t[1] + (good[at + len(t[1]) :] if t[2] else b"")

    return st.tuples(
        st.integers(0, 1 << 20), st.binary(min_size=1, max_size=64), st.booleans()
    ).map(mutate)


@JUNK_SETTINGS
@given(data=st.data())
def test_it_survives_junk_bytes(filled, plan: Plan, tree: Tree, data):
    client, workbook, _typed = filled
    good = as_bytes(workbook)
    junk = data.draw(st.one_of(st.binary(max_size=4096), _mutated(good)), label="junk")
    before = snapshot()
    response = upload(client, plan, tree.township_a, junk, submit=data.draw(st.booleans()))
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before


CELL_JUNK = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    # A cell's date and time has no time zone (Excel keeps none, openpyxl writes naive ones).
    st.datetimes(
        min_value=datetime.combine(date(1990, 1, 1), time()),
        max_value=datetime.combine(date(2030, 1, 1), time()),
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=400),
    st.sampled_from(
        ["开工", "选址", "投入运营", "=1+1", "=SUM(A1:A3)", "60%", "１８", "-0", "1e3"]
    ),
)


@JUNK_SETTINGS
@given(data=st.data())
def test_it_saves_all_or_nothing_whatever_the_cells_hold(filled, plan: Plan, tree: Tree, data):
    client, workbook, typed = filled
    good = as_bytes(workbook)
    junk = load_workbook(io.BytesIO(good))
    sheet = junk[FORM_SHEET]
    spoiled = data.draw(st.lists(st.sampled_from(sorted(typed)), max_size=4, unique=True))
    for ref in spoiled:
        sheet[ref] = data.draw(CELL_JUNK, label=ref)
    before = snapshot()
    versions = dict(Report.objects.values_list("pk", "version"))
    response = upload(
        client, plan, tree.township_a, as_bytes(junk), submit=data.draw(st.booleans())
    )
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before
    else:  # every report of the file saved, none of another unit's
        for report in Report.objects.all():
            bump = 1 if report.unit_id == tree.township_a.pk else 0
            assert report.version == versions[report.pk] + bump

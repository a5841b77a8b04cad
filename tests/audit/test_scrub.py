"""An ID number typed into a reason is masked in the audit trail however it was typed
(issue 18, finding 4): spaced, dashed, in full-width digits, 18 or 15 characters."""

from __future__ import annotations

import io
import logging

import pytest

from audit.models import Event
from audit.services import record, scrub
from org.logfilters import MaskPersonalData, mask_id_numbers

TYPED = [
    "371302194211111774",
    "371302 19421111 1774",
    "371302-19421111-1774",
    "371302－19421111－1774",
    "371302—19421111—1774",
    "371302\u300019421111\u30001774",
    "３７１３０２１９４２１１１１１７７４",
    "３７１３０２ １９４２１１１１ １７７４",
]


@pytest.mark.parametrize("typed", TYPED)
def test_the_audit_trail_masks_a_number_however_typed(db, typed: str):
    event = record(None, "view_id", detail={"reason": f"核对低保对象 {typed} 的信息"})
    stored = Event.objects.get(pk=event.pk).detail["reason"]
    assert stored == "核对低保对象 371302********1774 的信息"


@pytest.mark.parametrize("typed", TYPED)
def test_the_log_filter_masks_a_number_however_typed(typed: str):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("dalei.scrub")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("查询 %s", typed)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().strip() == "查询 371302********1774"


def test_old_15_digit_numbers_and_a_final_x_are_masked():
    assert mask_id_numbers("旧证 371302 421111 177") == "旧证 371302********1177"
    assert mask_id_numbers("号码37130219421111177ｘ。") == "号码371302********177X。"


@pytest.mark.parametrize(
    "text",
    [
        "电话 138 1234 5678",
        "2026-12-07 10:00",
        "金额 1,234,567.89 元",
        "22 位流水号 1234567890123456789012",
        "第 371302 号文件",
        "户编号 A-9",
    ],
)
def test_other_numbers_stay_as_they_are(text: str):
    assert mask_id_numbers(text) == text
    assert scrub(text) == text

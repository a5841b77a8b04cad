"""An ID number typed into a reason is masked in the audit trail however it was typed:
spaced, dashed, in full-width digits, 18 or 15 characters."""

from __future__ import annotations

import io
import logging
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    "371302 - 19421111 - 1774",
    "371302\u00a019421111\u00a01774",
    "371302\t19421111\t1774",
    "3713 0219 4211 1117 74",
    "𝟑𝟕𝟏𝟑𝟎𝟐𝟏𝟗𝟒𝟐𝟏𝟏𝟏𝟏𝟏𝟕𝟕𝟒",
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
    assert mask_id_numbers("371302-19421111-177x") == "371302********177X"


def test_only_the_number_is_rewritten():
    text = "（一）ID371302 19421111 1774，电话 13812345678；２０２６年"
    assert mask_id_numbers(text) == "（一）ID371302********1774，电话 13812345678；２０２６年"
    both = "371302194211111774 13812345678 / 0539-8123456 371302-19421111-177X"
    assert (
        mask_id_numbers(both) == "371302********1774 13812345678 / 0539-8123456 371302********177X"
    )


def test_a_number_in_any_digits_nfkc_makes_ascii_is_masked():
    number = "371302194211111774"
    for code in range(sys.maxunicode + 1):
        digit = unicodedata.normalize("NFKC", chr(code))
        if len(digit) != 1 or not "0" <= digit <= "9" or chr(code) == digit:
            continue
        typed = number.replace(digit, chr(code))
        assert mask_id_numbers(f"号 {typed} 号") == "号 371302********1774 号", hex(code)


@pytest.mark.parametrize(
    "text",
    [
        "电话 138 1234 5678",
        "2026-12-07 10:00",
        "金额 1,234,567.89 元",
        "22 位流水号 1234567890123456789012",
        "第 371302 号文件",
        "户编号 A-9",
        "电话 0539-8123456 13812345678",
        "2026-12-07 2026-12-08 13812345678",
        "金额 100 200 300 400 500 元",
        "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8",
        "合计 12 345 678 901 234 元",
        "371302194211111774371302194211111774",
    ],
)
def test_other_numbers_stay_as_they_are(text: str):
    assert mask_id_numbers(text) == text
    assert scrub(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789１９Xx -－—\u3000\t号a。"), max_size=60))
def test_any_text_is_masked_without_an_error_and_the_words_around_kept(text: str):
    def words(value: str) -> str:
        return "".join(ch for ch in value if ch in "号a。")

    assert words(mask_id_numbers(text)) == words(text)

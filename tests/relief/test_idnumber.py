"""ID numbers: the GB 11643 check digit, a real birth date, 18 characters, and the mask."""

from __future__ import annotations

from datetime import date

import pytest

from relief import idnumber

# 11010519491231002X is the standard's own example.
EXAMPLE = "11010519491231002X"


def test_it_accepts_the_standards_example():
    assert idnumber.problems(EXAMPLE) == []
    assert idnumber.check_digit(EXAMPLE[:17]) == "X"
    assert idnumber.birth_date(EXAMPLE) == date(1949, 12, 31)
    assert idnumber.gender(EXAMPLE) == "F"


def test_it_names_the_right_check_digit():
    wrong = EXAMPLE[:17] + "5"
    assert idnumber.problems(wrong) == ["身份证号校验位不正确，应为 X"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写身份证号"),
        ("3713021950", "身份证号应为 18 位，现为 10 位"),
        ("37130219500A07123X", "身份证号前 17 位应为数字，最后一位为数字或 X"),
        (
            idnumber.make("371302", date(1950, 1, 1), 1)[:10] + "0230" + "0011",
            "身份证号中的出生日期不是有效日期",
        ),
    ],
)
def test_it_refuses_malformed_numbers(value, message):
    assert idnumber.problems(value) == [message]


def test_it_refuses_a_birth_date_in_the_future():
    number = idnumber.make("371302", date(2031, 1, 1), 12)
    assert idnumber.problems(number, today=date(2026, 1, 1)) == ["身份证号中的出生日期晚于今天"]


def test_it_reads_full_width_and_lower_case_forms():
    assert idnumber.normalize(" １１０１０５１９４９１２３１００２ｘ ") == EXAMPLE


def test_it_masks_all_but_the_first_six_and_last_four():
    assert idnumber.mask(EXAMPLE) == "110105********002X"


def test_it_makes_valid_fictional_numbers():
    for sequence in range(0, 1000, 37):
        number = idnumber.make("371302", date(1960, 5, 17), sequence)
        assert idnumber.problems(number) == []

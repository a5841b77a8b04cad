"""Indicators computed from 社会救助 records, registered for campaigns to use by key.

The figures themselves are computed once the records exist (the Records issue adds `compute`).
"""

from decimal import Decimal

from org.computed import ComputedIndicator, register

CONCENTRATED_CARE_RATE = ComputedIndicator(
    key="relief.concentrated_care_rate",
    label="特困人员集中供养率",
    kind="rate",
    unit_of_measure="%",
    description="完全及部分不能自理的特困人员中，集中供养（入住供养机构）的人数占比；按镇街统计，截至调度期末。",
    default_target=Decimal("60"),
)
VISIT_RATE = ComputedIndicator(
    key="relief.dispersed_visit_rate",
    label="分散供养特困人员月探访率",
    kind="rate",
    unit_of_measure="%",
    description="分散供养特困人员中，当月有探访记录的人数占比；按镇街统计。",
    default_target=Decimal("100"),
)


def register_all() -> None:
    register(CONCENTRATED_CARE_RATE)
    register(VISIT_RATE)

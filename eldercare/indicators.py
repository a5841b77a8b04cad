"""Indicators computed from 养老服务 records, registered for campaigns to use by key.

The figures themselves are computed once the records exist (the Records issue adds `compute`).
"""

from decimal import Decimal

from org.computed import ComputedIndicator, register

FACILITY_COVERAGE = ComputedIndicator(
    key="eldercare.community_facility_rate",
    label="城市社区养老服务设施配建率",
    kind="rate",
    unit_of_measure="%",
    description="街道所辖城市社区中，养老服务设施面积达标（2014年5月前建成小区每百户不少于15平方米，之后不少于20平方米）的社区占比。",
    default_target=Decimal("70"),
)
FOUR_CONTESTS_SCORE = ComputedIndicator(
    key="eldercare.four_contests_score",
    label="“四赛”平均得分",
    kind="quantity",
    unit_of_measure="分",
    description="精细管理、营养膳食、厨房卫生、环境卫生四项检查在调度期内的平均得分（百分制），按养老机构统计。",
)
SIX_DISPLAYS_RATE = ComputedIndicator(
    key="eldercare.six_displays_rate",
    label="“六晒”完成率",
    kind="rate",
    unit_of_measure="%",
    description="调度期内应晒照片（每天晒膳食、食品留样，每周晒厨房、活动场所、老人居室、服务照片）中按时晒出的占比，按养老机构统计。",
    default_target=Decimal("100"),
)


def register_all() -> None:
    register(FACILITY_COVERAGE)
    register(FOUR_CONTESTS_SCORE)
    register(SIX_DISPLAYS_RATE)

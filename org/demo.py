"""The Lanshan bureau of seed 000 (临沂市兰山区民政局, 临兰民〔2020〕22号), as demo data.

Sections, leaders, streets, towns and the development zone are the plan's own. The plan names
68 communities under the 4 streets and 17 elder-care institutions without listing them; the names
below are stand-ins of the usual shape, marked as such on the units themselves.
"""

from __future__ import annotations

from django.conf import settings
from pypinyin import lazy_pinyin

from . import services
from .models import Leader, Unit, UnitKind, User

BUREAU = ("临沂市兰山区民政局", "兰山区民政局")

SECTIONS = [
    "局办公室",
    "社会救助科",
    "养老服务科",
    "基层政权建设和社区治理科",
    "社会事务及社会组织管理科",
]

# The sections that keep the district's rosters: 社会救助科 the relief ones, 养老服务科 eldercare's.
SECTION_RECORDS = {"社会救助科": "relief", "养老服务科": "eldercare"}

LEADERS = ["于万秀", "马仕敏", "范建勋", "张琦", "汤有秀", "范金龙", "徐萌"]

STREETS = ["兰山街道", "银雀山街道", "金雀山街道", "柳青街道"]
TOWNS = ["白沙埠镇", "半程镇", "枣园镇", "义堂镇", "李官镇", "方城镇", "汪沟镇", "马厂湖镇"]
DEVZONE = "兰山经济开发区"

# 68 城市社区 under the 4 streets (18 + 17 + 16 + 17).
COMMUNITIES = {
    "兰山街道": [
        "沂州路社区",
        "北园社区",
        "解放路社区",
        "兰山路社区",
        "启阳路社区",
        "书院社区",
        "西关社区",
        "东关社区",
        "北城社区",
        "河湾社区",
        "新华社区",
        "金盛社区",
        "育才社区",
        "文化路社区",
        "砚池社区",
        "临西社区",
        "华夏社区",
        "涑河社区",
    ],
    "银雀山街道": [
        "银雀山社区",
        "孝友路社区",
        "颐高社区",
        "通达路社区",
        "南坊社区",
        "沂蒙路社区",
        "平安社区",
        "泰和社区",
        "官庄社区",
        "南关社区",
        "红旗社区",
        "兴华社区",
        "桃园社区",
        "沂河社区",
        "和谐社区",
        "宏大社区",
        "青年路社区",
    ],
    "金雀山街道": [
        "金雀山社区",
        "开阳社区",
        "西郊社区",
        "金华社区",
        "广州路社区",
        "蒙山社区",
        "临园社区",
        "前园社区",
        "王庄社区",
        "翠园社区",
        "工业大道社区",
        "陶然社区",
        "银河社区",
        "锦绣社区",
        "双月湖社区",
        "金茂社区",
    ],
    "柳青街道": [
        "柳青社区",
        "孟园社区",
        "西安路社区",
        "兰田社区",
        "沂龙湾社区",
        "后园社区",
        "大山社区",
        "西城社区",
        "阳光社区",
        "柳园社区",
        "齐鲁园社区",
        "尚城社区",
        "富民社区",
        "祥和社区",
        "滨河社区",
        "曹王社区",
        "新城社区",
    ],
}

# 17 养老机构, each under the township where it stands (the district's own under the bureau).
INSTITUTIONS = [
    ("兰山区社会福利中心", None),
    ("白沙埠镇敬老院", "白沙埠镇"),
    ("半程镇敬老院", "半程镇"),
    ("枣园镇敬老院", "枣园镇"),
    ("义堂镇敬老院", "义堂镇"),
    ("李官镇敬老院", "李官镇"),
    ("方城镇敬老院", "方城镇"),
    ("汪沟镇敬老院", "汪沟镇"),
    ("马厂湖镇敬老院", "马厂湖镇"),
    ("兰山区福寿园养老院", "兰山街道"),
    ("银雀山街道颐养院", "银雀山街道"),
    ("金雀山街道康乐养老院", "金雀山街道"),
    ("柳青街道夕阳红养老院", "柳青街道"),
    ("兰山经济开发区颐和养老院", DEVZONE),
    ("义堂镇安康老年公寓", "义堂镇"),
    ("半程镇松鹤养老院", "半程镇"),
    ("枣园镇福康养老院", "枣园镇"),
]

# 简称 of the units that have a login: a login name is the 简称's pinyin (org.demo.login_name). A
# township's is its name without 街道 / 镇; the rest are the short names bureaus use.
SHORT_NAMES = {
    DEVZONE: "经开区",
    "社会救助科": "救助",
    "养老服务科": "养老",
    "基层政权建设和社区治理科": "基层",
    "社会事务及社会组织管理科": "事务",
    "兰山区社会福利中心": "福利中心",
    "兰山区福寿园养老院": "福寿园",
    "银雀山街道颐养院": "颐养院",
    "金雀山街道康乐养老院": "康乐",
    "柳青街道夕阳红养老院": "夕阳红",
    "兰山经济开发区颐和养老院": "颐和",
    "义堂镇安康老年公寓": "安康",
    "半程镇松鹤养老院": "松鹤",
    "枣园镇福康养老院": "福康",
}

# The two logins named by their role: the leader (于万秀) and the office (局办公室).
ROLE_LOGINS = [
    ("leader", "于万秀", "leader", BUREAU[0], "于万秀"),
    ("office", "局办公室", "office", BUREAU[0], None),
]


def short_name(name: str) -> str:
    """The 简称 a unit's login is made from: 兰山街道 → 兰山, 白沙埠镇敬老院 → 白沙埠敬老院."""
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    if name.endswith("敬老院"):
        return name.replace("镇敬老院", "敬老院")
    return name.removesuffix("街道").removesuffix("镇")


def login_name(name: str) -> str:
    """The demo's one rule for login names: the pinyin of the unit's 简称 (兰山街道 → lanshan)."""
    return "".join(lazy_pinyin(short_name(name))).lower()


def demo_logins() -> list[tuple[str, str, str, str, str | None]]:
    """Every demo login: (username, full name, role, scope unit, leader name), in listing order."""
    logins = list(ROLE_LOGINS)
    for name in SECTIONS[1:]:
        logins.append((login_name(name), name, "section", name, None))
    for name in [*STREETS, *TOWNS, DEVZONE]:
        logins.append((login_name(name), f"{name}民政办", "township", name, None))
    for name, _township in INSTITUTIONS:
        logins.append((login_name(name), name, "institution", name, None))
    return logins


def login_for(unit_name: str) -> str:
    """The demo login that acts for the unit."""
    return next(u for u, _f, _r, scope, _l in demo_logins() if scope == unit_name)


STAND_IN_NOTE = "演示数据：名称为示意，非真实名录。"


def _unit(
    name: str, kind: str, parent: Unit | None, order: int, note: str = ""
) -> tuple[Unit, int]:
    existing = Unit.objects.filter(name=name, parent=parent).first()
    if existing is not None:
        return existing, 0
    unit = services.unit_create(name=name, kind=kind, parent=parent, sort_order=order, note=note)
    return unit, 1


def seed_org() -> int:
    """Create what is missing of the demo bureau; return how many rows were created."""
    bureau, created = _unit(BUREAU[0], UnitKind.BUREAU, None, 0)
    if bureau.short_name != BUREAU[1]:
        services.unit_update(unit=bureau, short_name=BUREAU[1])
    units: dict[str, Unit] = {bureau.name: bureau}
    created += _seed_units(bureau, units)
    created += _seed_leaders(bureau)
    created += _seed_accounts(bureau, units)
    return created


def _seed_units(bureau: Unit, units: dict[str, Unit]) -> int:
    """Sections, townships, the development zone, communities and institutions, into `units`."""
    created = 0
    order = 0
    for name in SECTIONS:
        order += 1
        units[name], n = _unit(name, UnitKind.SECTION, bureau, order)
        created += n
        keeps = SECTION_RECORDS.get(name, "")
        if units[name].keeps_records != keeps:
            services.unit_update(unit=units[name], keeps_records=keeps)
    for names, kind in ((STREETS, UnitKind.STREET), (TOWNS, UnitKind.TOWN)):
        for name in names:
            order += 1
            units[name], n = _unit(name, kind, bureau, order)
            created += n
    order += 1
    units[DEVZONE], n = _unit(DEVZONE, UnitKind.DEVZONE, bureau, order)
    created += n
    for street, communities in COMMUNITIES.items():
        for i, name in enumerate(communities, start=1):
            _, n = _unit(name, UnitKind.COMMUNITY, units[street], i, STAND_IN_NOTE)
            created += n
    for i, (name, township) in enumerate(INSTITUTIONS, start=1):
        parent = units[township] if township else bureau
        units[name], n = _unit(name, UnitKind.INSTITUTION, parent, 100 + i, STAND_IN_NOTE)
        created += n
    return created


def _seed_leaders(bureau: Unit) -> int:
    created = 0
    for i, name in enumerate(LEADERS, start=1):
        if not Leader.objects.filter(unit=bureau, name=name).exists():
            services.leader_save(name=name, unit=bureau, sort_order=i)
            created += 1
    return created


def _seed_accounts(bureau: Unit, units: dict[str, Unit]) -> int:
    """An account per demo login not yet there, tied to its leader where it has one."""
    created = 0
    for username, full_name, role, unit_name, leader_name in demo_logins():
        if User.objects.filter(username=username).exists():
            continue
        user = services.user_create(
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            scope=[units[unit_name]],
            full_name=full_name,
            must_change_password=False,  # the demo's shared password is printed in the README
        )
        created += 1
        if leader_name:
            leader = Leader.objects.get(unit=bureau, name=leader_name)
            services.leader_save(
                leader=leader,
                name=leader.name,
                unit=bureau,
                user=user,
                sort_order=leader.sort_order,
            )
    return created


# The logins the README lists, one per role at least (the browser walks go through these).
MAIN_LOGINS = ("leader", "office", "jiuzhu", "yanglao", "lanshan", "baishabu", "fulizhongxin")
USERS = [login for login in demo_logins() if login[0] in MAIN_LOGINS]

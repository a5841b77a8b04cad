"""Turn a plan document into a draft campaign: parse, match names to units and leaders, save.

Nothing goes live here: the result is a draft the office corrects on the review page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from org.dates import cn_date
from org.models import TOWNSHIP_KINDS, Leader, Unit, UnitKind, User
from org.services import unit_create
from org.text import clean_document
from org.uploads import (
    DOCX,
    OLE_HEADER,
    check_docx,
    check_old_word,
    check_pdf,
    image_type,
    read_capped,
)

from ..models import LEADER_ROLES, UNMATCHED_ROLES, Campaign, IndicatorKind, Task, TaskKind
from ..plan_import import PlanDraft, TaskDraft, parse_plan, read_docx_text
from ..plan_import.convert import ConversionFailed, to_docx
from ..plan_import.pdf import PdfUnreadable, read_pdf_text
from . import plan as plan_services

NOT_A_PLAN = (
    "没有从这段文字里识别出任何任务。请粘贴工作方案的全文（带“一、”“（一）”或“1.”编号的任务，"
    "以及“任务目标”“牵头领导”“责任单位”等字样），或上传方案的 Word（.docx / .doc）、WPS（.wps）、"
    "PDF 或 .txt 文件。"
)
MAX_UPLOAD = 5 * 1024 * 1024
PLAN_FORMATS = (".docx", ".doc", ".wps", ".pdf", ".txt")
NOT_A_PLAN_FILE = "只支持 Word（.docx / .doc）、WPS（.wps）、PDF 和 .txt 文件"


def _txt_text(data: bytes) -> str:
    if image_type(data[:8]) is not None or data.startswith((b"%PDF-", b"PK\x03\x04", OLE_HEADER)):
        raise ValidationError("这不是文本（.txt）文件：请上传方案的 Word、PDF 文件，或粘贴文字")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("读不出这个 .txt 文件的文字编码，请另存为 UTF-8 后重试")


def _docx_text(data: bytes, name: str) -> str:
    check_docx(data, name)
    try:
        return read_docx_text(BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged part
        raise ValidationError(DOCX.damaged) from None


def _old_word_text(data: bytes, name: str) -> str:
    """A .doc or .wps: converted to .docx by LibreOffice, then read as one."""
    check_old_word(data)
    try:
        converted = to_docx(data, name[name.rindex(".") :])
    except ConversionFailed as error:
        raise ValidationError(str(error)) from None
    return _docx_text(converted, "converted.docx")


def _pdf_text(data: bytes) -> str:
    check_pdf(data)
    try:
        return read_pdf_text(data)
    except PdfUnreadable as error:
        raise ValidationError(str(error)) from None


def plan_file_text(upload: Any) -> str:
    """The text of an uploaded plan (.docx, .doc, .wps, .pdf or .txt), each checked by its bytes
    (org.uploads) before anything parses it; a ValidationError in Chinese for anything else."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(PLAN_FORMATS):
        raise ValidationError(NOT_A_PLAN_FILE)
    data = read_capped(upload, MAX_UPLOAD)
    if name.endswith(".txt"):
        return _txt_text(data)
    if name.endswith(".pdf"):
        return _pdf_text(data)
    if name.endswith((".doc", ".wps")):
        return _old_word_text(data, name)
    return _docx_text(data, name)


# Group names the documents use for "every township of this kind".
_GROUPS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (
        re.compile(
            r"^各?镇街道?[（(]经开区[）)]$|^各镇街[（(]?经开区[）)]?$|^各乡镇[（(]街道[）)]$"
        ),
        TOWNSHIP_KINDS,
    ),
    (re.compile(r"^各镇街道?$|^各镇街$"), TOWNSHIP_KINDS),
    (re.compile(r"^各街道(办事处)?$|^街道办事处$"), (UnitKind.STREET,)),
    (re.compile(r"^各(乡)?镇(人民政府)?$|^各乡镇人民政府$|^乡镇人民政府$"), (UnitKind.TOWN,)),
]


_LEADER_POST = re.compile(
    r"(?:同志)?$|(?:党组|党委)?(?:副)?(?:书记|局长|主任|调研员|区长|县长|市长|部长|科长)(?:同志)?$"
    r"|(?:一|二|三|四)级调研员$|纪检组长$"
)


@dataclass
class Matcher:
    """Names as the documents write them, looked up in one bureau's tree."""

    bureau: Unit

    def __post_init__(self) -> None:
        units = Unit.objects.filter(path__startswith=self.bureau.path, is_active=True)
        self.by_name: dict[str, Unit] = {}
        for unit in units.order_by("-depth"):  # the shallower unit wins a shared name
            for name in {unit.name, unit.short_name} - {""}:
                self.by_name[name] = unit
        self.townships: dict[str, list[Unit]] = {
            kind: [u for u in units.order_by("path") if u.kind == kind] for kind in TOWNSHIP_KINDS
        }
        self.leaders = {
            leader.name: leader
            for leader in Leader.objects.filter(unit=self.bureau, is_active=True)
        }

    def unit(self, name: str) -> list[Unit] | None:
        """The units a name stands for (a group stands for several), or None when unknown."""
        clean = name.strip().strip("等")
        for pattern, kinds in _GROUPS:
            if pattern.match(clean):
                return [u for kind in kinds for u in self.townships[kind]]
        for candidate in (clean, clean.removeprefix("区"), clean.removeprefix("全区")):
            if candidate in self.by_name:
                return [self.by_name[candidate]]
        # "民政局" in a plan a bureau imports is the bureau itself.
        if clean and self.bureau.name.endswith(clean):
            return [self.bureau]
        return None

    def units(self, names: list[str]) -> tuple[list[Unit], list[str]]:
        found: list[Unit] = []
        missing: list[str] = []
        for name in names:
            units = self.unit(name)
            if units is None:
                missing.append(name)
            else:
                found += [u for u in units if u not in found]
        return found, missing

    def leader(self, name: str) -> Leader | None:
        """The bureau's leader a name stands for: "阮斌" or "阮斌副局长" (the post written after)."""
        return self.leaders.get(name) or self.leaders.get(_LEADER_POST.sub("", name))

    def leader_list(self, names: list[str]) -> tuple[list[Leader], list[str]]:
        found: list[Leader] = []
        missing: list[str] = []
        for name in names:
            leader = self.leader(name)
            if leader is None:
                missing.append(name)
            elif leader not in found:
                found.append(leader)
        return found, missing


def participants_for(kind: str, responsible: list[Unit]) -> list[Unit]:
    """Who reports on a task: the units that carry it other than sections, else the sections."""
    doers = [u for u in responsible if u.kind not in (UnitKind.SECTION, UnitKind.BUREAU)]
    if doers or kind == TaskKind.CONTEST:
        return doers
    return [u for u in responsible if u.kind == UnitKind.SECTION]


def _campaign_dates(draft: PlanDraft) -> tuple[int, date, date]:
    """The plan's year and period: from its issue date; without one, the year its title or all its
    deadlines name (a 任务分解表 of 2020 runs through 2020), else from today to the year's end."""
    today = timezone.localdate()
    deadlines = [i.deadline for t in draft.tasks for i in t.indicators if i.deadline]
    deadlines += [t.deadline for t in draft.tasks if t.deadline]
    start = draft.issue_date or today
    if draft.issue_date is None:
        named = re.search(r"(20\d\d)\s*年", draft.title)
        years = {int(named[1])} if named else {d.year for d in deadlines}
        if len(years) == 1 and (year := years.pop()) != today.year and 2000 <= year <= 2100:
            start = date(year, 1, 1)
    end = max([date(start.year, 12, 31), *[d for d in deadlines if d >= start]])
    return start.year, start, end


def _weights(count: int) -> list[Decimal]:
    """Split 100 into `count` shares of two decimals that add up to exactly 100."""
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _save_task(campaign: Campaign, matcher: Matcher, draft: TaskDraft) -> Task:
    leaders, missing_leaders = matcher.leader_list(draft.lead_leaders)
    co_leaders, missing_co_leaders = matcher.leader_list(draft.co_leaders)
    leads, missing_leads = matcher.units(draft.lead_units)
    responsible, missing_responsible = matcher.units(draft.responsible_units)
    cooperating, missing_cooperating = matcher.units(draft.cooperating_units)
    carrying = leads + [u for u in responsible if u not in leads]
    participants = participants_for(draft.kind, carrying)
    kind = draft.kind
    if kind == TaskKind.CONTEST and len(participants) < 2:
        kind = TaskKind.KEY_TASK  # the review page says so; the office sets the participants
    deadline = draft.deadline
    if deadline is not None and not campaign.start <= deadline <= campaign.end:
        deadline = None  # kept as written in deadline_text
    task = plan_services.task_save(
        campaign=campaign,
        chapter=draft.chapter[:200],
        number=draft.number[:20],
        order=draft.order * 10,
        kind=kind,
        title=draft.title[:200],
        goal=draft.goal,
        content=draft.content,
        deadline=deadline,
        deadline_text=draft.deadline_text[:100],
        leaders_text="、".join(draft.lead_leaders)[:200],
        co_leaders_text="、".join(draft.co_leaders)[:200],
        lead_units_text="、".join(draft.lead_units)[:500],
        responsible_text="、".join(draft.responsible_units)[:500],
        cooperating_text="、".join(draft.cooperating_units)[:500],
        lead_leaders=leaders,
        co_leaders=[leader for leader in co_leaders if leader not in leaders],
        lead_units=leads,
        responsible_units=carrying,
        cooperating_units=[u for u in cooperating if u not in carrying],
        participants=participants,
    )
    unmatched = {
        "leaders": missing_leaders,
        "co_leaders": missing_co_leaders,
        "lead_units": missing_leads,
        "responsible": missing_responsible,
        "cooperating": missing_cooperating,
    }
    task.unmatched_names = {key: names for key, names in unmatched.items() if names}
    task.save(update_fields=["unmatched_names"])
    suggestions = [s for s in draft.indicators if s.kind in IndicatorKind.values]
    for suggestion, weight in zip(suggestions, _weights(len(suggestions)), strict=True):
        target = suggestion.target
        stages: list[str] = []
        if suggestion.kind == IndicatorKind.MILESTONE:
            stages, target = ["推进中", "已完成"], None
        if suggestion.kind == IndicatorKind.RATE and target is not None and target > 100:
            target = None
        plan_services.indicator_save(
            task=task,
            name=suggestion.name[:100],
            unit_of_measure=suggestion.unit[:20],
            kind=suggestion.kind,
            stages=stages,
            default_target=target,
            deadline=suggestion.deadline
            if suggestion.deadline and campaign.start <= suggestion.deadline <= campaign.end
            else None,
            weight=weight,
            scope_note=suggestion.scope[:100],
            source_text=suggestion.source_text[:300],
        )
    return task


@transaction.atomic
def campaign_import(*, text: str, bureau: Unit, user: User) -> Campaign:
    """Create a draft campaign from the text of a plan document; refuse text that is no plan."""
    text, dropped = clean_document(text)
    draft = parse_plan(text)
    if not draft.tasks:
        raise ValidationError(NOT_A_PLAN)
    year, start, end = _campaign_dates(draft)
    campaign = plan_services.campaign_save(
        bureau=bureau,
        user=user,
        title=(draft.title or "未命名工作方案")[:200],
        doc_number=draft.doc_number[:50],
        issuing_unit=draft.issuing_unit[:100],
        issue_date=draft.issue_date,
        addressees=draft.addressees[:300],
        year=year,
        start=start,
        end=end,
        preamble=draft.preamble,
        requirements=draft.requirements,
    )
    campaign.source_text = text
    campaign.import_warnings = list(draft.warnings)
    if dropped:
        campaign.import_warnings.append(
            f"原文中有 {dropped} 个看不见的特殊字符（控制字符等，多见于从 WPS、PDF 复制的文字），"
            "已删除，请核对相关文字"
        )
    campaign.save(update_fields=["source_text", "import_warnings"])
    matcher = Matcher(bureau)
    outside = []
    for task_draft in draft.tasks:
        task = _save_task(campaign, matcher, task_draft)
        if task_draft.deadline is not None and task.deadline is None:
            outside.append(f"“{task.title[:20]}”的“{task_draft.deadline_text}”")
    if outside:
        campaign.import_warnings.append(
            f"{'、'.join(outside)}不在方案期限（{cn_date(campaign.start)}至{cn_date(campaign.end)}）"
            "内，未设为完成日期：请先核对方案期限，再修改这些任务"
        )
        campaign.save(update_fields=["import_warnings"])
    return campaign


ROLE_FIELDS = {
    "leaders": "lead_leaders",
    "co_leaders": "co_leaders",
    "lead_units": "lead_units",
    "responsible": "responsible_units",
    "cooperating": "cooperating_units",
}


@transaction.atomic
def unmatched_name_resolve(
    *,
    campaign: Campaign,
    name: str,
    unit: Unit | None = None,
    leader: Leader | None = None,
    create_partner: bool = False,
    drop: bool = False,
) -> int:
    """Settle a name the import could not match, in every task that uses it; return how many.

    Map it to an existing unit or leader, create it as a partner department (配合单位), or drop it.
    """
    if sum([unit is not None, leader is not None, create_partner, drop]) != 1:
        raise ValidationError("请为这个名称选择一种处理方式")
    if create_partner:
        unit = Unit.objects.filter(parent=campaign.bureau, name=name).first() or unit_create(
            name=name, kind=UnitKind.PARTNER, parent=campaign.bureau
        )
    settled = 0
    for task in campaign.tasks.all():
        pending = dict(task.unmatched_names or {})
        for role, names in list(pending.items()):
            if name not in names:
                continue
            if role in LEADER_ROLES and unit is not None:
                raise ValidationError(f"“{name}”写在{UNMATCHED_ROLES[role]}里，只能对应到局领导")
            if role not in LEADER_ROLES and leader is not None:
                raise ValidationError(f"“{name}”写在{UNMATCHED_ROLES[role]}里，只能对应到单位")
            related = getattr(task, ROLE_FIELDS[role])
            if leader is not None:
                related.add(leader)
            elif unit is not None:
                related.add(unit)
                plan_services.carry_leads(task)
                if role in ("lead_units", "responsible") and unit.kind not in (
                    UnitKind.SECTION,
                    UnitKind.BUREAU,
                    UnitKind.PARTNER,
                ):
                    task.participants.add(unit)
            pending[role] = [n for n in names if n != name]
            settled += 1
        task.unmatched_names = {role: names for role, names in pending.items() if names}
        task.save(update_fields=["unmatched_names"])
    return settled


def unmatched_unit_names(pending: dict[str, list[str]]) -> list[str]:
    """The unit names (not leaders) among ``pending`` (unmatched_names), each once, in order."""
    names = [n for role, names in pending.items() if role not in LEADER_ROLES for n in names]
    return list(dict.fromkeys(names))


@transaction.atomic
def unmatched_units_create_partners(*, campaign: Campaign) -> tuple[int, int]:
    """Settle every unit name still unmatched by creating it as a partner (配合单位) of the
    bureau, or taking the partner of that name already there; returns (names, places)."""
    names = unmatched_unit_names(unmatched_names(campaign))
    places = sum(
        unmatched_name_resolve(campaign=campaign, name=name, create_partner=True) for name in names
    )
    return len(names), places


def unmatched_names(campaign: Campaign) -> dict[str, list[str]]:
    """The names still to settle, by role (in UNMATCHED_ROLES' order), each once, in document order."""
    result: dict[str, list[str]] = {role: [] for role in UNMATCHED_ROLES}
    for task in campaign.tasks.all():
        for role in result:
            names = (task.unmatched_names or {}).get(role, [])
            result[role] += [n for n in names if n not in result[role]]
    return {role: names for role, names in result.items() if names}

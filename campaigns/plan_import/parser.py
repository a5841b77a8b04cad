"""Read a bureau's plan document into a draft: chapters, tasks, their labels and indicators.

``parse_plan(text)`` never raises; whatever it could not read with confidence becomes a Chinese
message in ``PlanDraft.warnings`` for the office to check before the draft goes live.

Text normalisation (one rule, everywhere; see :mod:`campaigns.plan_import.text`): line-wraps are
joined; whitespace next to Chinese characters or Chinese punctuation is removed, except that one
space is kept between a Chinese character and an ASCII digit or letter, as the bureaus write it
("集中供养率达到 60%", "2020 年 10 月前"); punctuation is kept as written (half- or full-width).

How the structure is found:

* headings are "一、" (level 1), "（一）" / "(一)" (level 2) and "1." / "1、" / "1．" (level 3);
* the task level is the level whose items carry the labels (任务目标, 活动内容, 牵头领导, 责任科室,
  责任单位, 配合单位 …) directly; without labels it is the deepest numbered level. Deeper numbered
  lines are content; shallower ones are chapters, and a task's chapter is its innermost heading;
* a level-1 chapter named 工作要求 / 保障措施 / 组织保障 … that holds no labelled tasks is kept
  as ``requirements``; a chapter without tasks before the first task (总体要求) joins the preamble;
* a task's title is its heading, or for a numbered paragraph its first sentence (up to "。"); the
  rest is content, paragraphs separated by "\\n". A goal's paragraphs are joined into one text;
* a heading that carries the first task's text ("(一)强化…水平创新党建引领基层治理体制机制。聚焦…"
  followed by the task's labels and then by "2.") yields that task, numbered by inference.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .assign import Assignment, assignments_in, closing_deadline
from .front import read_front
from .indicators import SuggestedIndicator, deadline_of, suggest_indicators
from .lines import NAME_FIELDS, Para, clean_lines, first_sentence, paragraphs, split_names
from .pasted import tables_in_text

__all__ = ["PlanDraft", "TaskDraft", "parse_plan"]

_REQUIREMENTS = re.compile(
    r"工作要求|保障措施|组织保障|工作保障|有关要求|相关要求|保障机制|实施保障|组织实施"
)
_TITLE_VERBS = re.compile(
    "创新|提高|提升|完善|推动|推进|强化|加强|健全|实施|探索|加大|深化|加快|构建|建立|打造|落实"
    "|规范|培育|扩大|优化|做好|抓好|促进|保障|开展|引导|聚焦|围绕|突出|着眼|着力|夯实|统筹|全面"
)


@dataclass
class TaskDraft:
    chapter: str
    number: str
    order: int
    kind: str  # "contest" | "push" | "key_task"
    title: str
    goal: str
    content: str
    lead_leaders: list[str]
    responsible_units: list[str]
    cooperating_units: list[str]
    indicators: list[SuggestedIndicator]
    co_leaders: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    deadline_text: str = ""  # 完成时限 as written: "2025年12月底", "长期坚持"
    deadline: date | None = None  # the date it names, where it names one


@dataclass
class PlanDraft:
    title: str
    doc_number: str
    issuing_unit: str
    issue_date: date | None
    addressees: str
    preamble: str
    chapters: list[str]
    tasks: list[TaskDraft]
    requirements: str
    warnings: list[str]


@dataclass
class _Task:
    chapter: str
    number: str
    title: str
    paras: list[Para] = field(default_factory=list)
    goal: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    co_leaders: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    deadline: list[str] = field(default_factory=list)
    current: str = "content"
    labelled: bool = False
    implicit: bool = False

    def feed(self, para: Para) -> None:
        self.paras.append(para)
        if para.kind == "label":
            self.labelled = True
            self.current = para.field
            if para.field in NAME_FIELDS:
                getattr(self, para.field).extend(split_names(para.value_items()))
            elif para.field == "deadline":
                self.deadline.append(para.rest)
            elif para.rest:
                (self.goal if para.field == "goal" else self.content).append(para.rest)
            return
        if self.current == "deadline" and len(para.text) <= 30:
            self.deadline.append(para.text)  # a 完成时限 value on the label's next line
            return
        (self.goal if self.current == "goal" else self.content).append(para.text)

    def assigned(self) -> bool:
        return any(getattr(self, name) for name in NAME_FIELDS)

    def take(self, assignment: Assignment) -> None:
        for name, names in assignment.names.items():
            bucket = getattr(self, name)
            bucket.extend(n for n in names if n not in bucket)
        if assignment.deadline_text and not self.deadline:
            self.deadline.append(assignment.deadline_text)

    def brackets(self) -> list[Assignment]:
        """Take the assignment brackets out of the title, goal and content; return them."""
        found: list[Assignment] = []
        self.title, more = assignments_in(self.title)
        found += more
        for texts in (self.goal, self.content):
            for i, text in enumerate(texts):
                texts[i], more = assignments_in(text)
                found += more
            texts[:] = [t for t in texts if t]
        return found


def _arabic(number: str) -> bool:
    """ "12" is an item's number to count on; "①" is not (str.isdigit would say it is)."""
    return number.isascii() and number.isdigit()


def _kind(title: str) -> str:
    if "擂台赛" in title or "打擂赛" in title:
        return "contest"
    if title.endswith("攻坚战"):
        return "push"
    return "key_task"


def _top_chapters(paras: list[Para]) -> list[list[Para]]:
    chapters: list[list[Para]] = [[]]
    for para in paras:
        if para.kind == "L1":
            chapters.append([])
        chapters[-1].append(para)
    return [chapter for chapter in chapters if chapter]


_AIMS = re.compile(
    r"(?:总体要求|指导思想|工作目标|基本原则|总体目标|主要目标|发展目标|目标要求|工作原则|总体思路"
    r"|目标任务|任务目标)"
)


def _is_aims(chapter: list[Para]) -> bool:
    """一、指导思想 / 总体要求 / 工作目标 (and such headings joined by 和、与): the plan's aims,
    kept as its text; never tasks, unless the chapter assigns work with labels."""
    heading = chapter[0]
    if heading.kind != "L1" or any(p.kind == "label" for p in chapter):
        return False
    title = first_sentence(heading.rest)[0]
    parts = [part for part in re.split(r"[和与及、]", title) if part]
    return bool(parts) and all(_AIMS.fullmatch(part) for part in parts)


def _is_requirements(chapter: list[Para]) -> bool:
    heading = chapter[0]
    return (
        heading.kind == "L1"
        and bool(_REQUIREMENTS.search(first_sentence(heading.text)[0]))
        and not any(p.kind == "label" for p in chapter)
    )


def _labelled(paras: list[Para], i: int) -> bool:
    """Whether the item at ``i`` carries the work's labels directly (before the next numbered
    item), or assigns it in a bracket of its own."""
    if assignments_in(paras[i].text)[1]:
        return True
    for later in paras[i + 1 :]:
        if later.level:
            return False
        if later.kind == "label":
            return True
    return False


def _ratios(paras: list[Para], levels: tuple[int, ...]) -> dict[int, float]:
    ratios: dict[int, float] = {}
    for level in levels:
        items = [i for i, p in enumerate(paras) if p.level == level]
        if items:
            ratios[level] = sum(_labelled(paras, i) for i in items) / len(items)
    return ratios


def _task_level(paras: list[Para]) -> int:
    """The level whose items carry the labels directly; else the deepest of "一、" / "（一）" /
    "1." ("（1）" and "①" are tasks only where they carry the labels themselves)."""
    ratios = _ratios(paras, (1, 2, 3, 4, 5))
    best = max(((ratio, level) for level, ratio in ratios.items()), default=(0.0, 0))
    if best[0] > 0:
        return best[1]
    present = {p.level for p in paras if p.level}
    return max((level for level in present if level <= 3), default=max(present, default=0))


def _split_heading(heading: str) -> tuple[str, str]:
    """Cut "(一)强化“党建引领”,进一步提升…水平创新党建引领…机制" into chapter and task title."""
    comma = max(heading.rfind(","), heading.rfind("，"))
    clause_start = comma + 1 if comma >= 0 else 0
    verbs = [m.start() for m in _TITLE_VERBS.finditer(heading, clause_start)]
    if len(verbs) >= 2:
        for position in verbs[1:]:
            if position - verbs[0] >= 4 and len(heading) - position >= 4:
                return heading[:position], heading[position:]
    return heading, ""


class _Walker:
    """Walks the body's chapters, collecting tasks, preamble, requirements and warnings."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.stack: dict[int, str] = {}
        self.tasks: list[_Task] = []
        self.preamble: list[str] = []
        self.requirements: list[str] = []
        self.warnings: list[str] = []

    def _side_text(self, chapter: list[Para]) -> bool:
        """Keep a 工作要求 or 总体要求 chapter as the plan's text; True when it was one."""
        if _is_requirements(chapter):
            self.requirements.extend(p.text for p in chapter[1:])
        elif _is_aims(chapter):
            (self.requirements if self.tasks else self.preamble).extend(p.text for p in chapter)
        else:
            return False
        return True

    def chapter(self, chapter: list[Para]) -> None:
        if self._side_text(chapter):
            return
        found: list[_Task] = []
        orphans: list[Para] = []  # text before the chapter's first task
        late: list[Para] = []  # text after a heading that follows a task
        current: _Task | None = None
        for para in chapter:
            if para.level and para.level < self.level:
                current = self._heading(para, found)
            elif para.level == self.level:
                number = para.marker.strip("、") if para.kind != "L3" else para.marker
                title, rest = first_sentence(para.rest)
                current = _Task(self._chapter_name(), number, title, [para])
                if rest:
                    current.content.append(rest)
                found.append(current)
            elif current is None:
                (late if found else orphans).append(para)
            else:
                current.feed(para)
        found, before, after = self._settle_implicit(found)
        orphans += before
        late += after
        if not found:
            text = [p.text for p in chapter]
            if self.tasks:
                self.requirements.extend(text)
                self.warnings.append(f"“{text[0][:30]}”一节未识别到任务，已并入工作要求，请核对")
            else:
                self.preamble.extend(text)
            return
        if self.tasks:
            late = orphans + late
        else:
            self.preamble.extend(p.text for p in orphans if self._is_text(p))
        for para in late:
            if self._is_text(para):
                self.warnings.append(f"有一段文字未归入任何任务：“{para.text[:30]}…”，请核对")
        self.tasks.extend(found)

    def _is_text(self, para: Para) -> bool:
        """Text, or an item below the task level (both are read as a task's content)."""
        return not para.level or para.level > self.level

    def _chapter_name(self) -> str:
        return self.stack[max(self.stack)] if self.stack else ""

    def _heading(self, para: Para, found: list[_Task]) -> _Task | None:
        heading, body = first_sentence(para.text)
        for deeper in [level for level in self.stack if level >= para.level]:
            del self.stack[deeper]
        if not body:
            self.stack[para.level] = heading
            return None
        chapter, title = _split_heading(heading)
        self.stack[para.level] = chapter
        task = _Task(chapter, "", title or heading, [para], implicit=True)
        task.content.append(body)
        found.append(task)
        return task

    def _settle_implicit(self, found: list[_Task]) -> tuple[list[_Task], list[Para], list[Para]]:
        """Keep a task read from a heading only if it has labels or the next task follows it.

        Returns the tasks kept and the text of those dropped, before and after the first kept.
        """
        kept: list[_Task] = []
        before: list[Para] = []
        after: list[Para] = []
        for index, task in enumerate(found):
            if not task.implicit:
                kept.append(task)
                continue
            numbers = [t.number for t in [*self.tasks, *kept] if _arabic(t.number)]
            inferred = int(numbers[-1]) + 1 if numbers else 1
            following = found[index + 1].number if index + 1 < len(found) else ""
            if task.labelled or following == str(inferred + 1):
                task.number = str(inferred)
                self.warnings.append(
                    f"“{task.chapter}”之后的第一项任务没有编号，已推断为“{inferred}”，"
                    f"标题拆分为“{task.title}”，请核对"
                )
                kept.append(task)
            else:
                (after if kept else before).extend(Para("text", [c]) for c in task.content)
        return kept, before, after


def _merge(
    goal: list[SuggestedIndicator], more: list[SuggestedIndicator]
) -> list[SuggestedIndicator]:
    """Goal indicators, plus content ones that do not repeat them (a repeat lends its deadline)."""
    merged = list(goal)
    for extra in more:
        twin = next((g for g in merged if _same(g, extra)), None)
        if twin is None:
            merged.append(extra)
        elif twin.deadline is None:
            twin.deadline = extra.deadline
    return merged


def _same(a: SuggestedIndicator, b: SuggestedIndicator) -> bool:
    if (a.kind, a.unit, a.target, a.scope) != (b.kind, b.unit, b.target, b.scope):
        return False
    shorter, longer = sorted((set(a.name), set(b.name)), key=len)
    return bool(shorter) and len(shorter & longer) / len(shorter) >= 0.6


def _task_warnings(tasks: list[TaskDraft]) -> list[str]:
    """Labels most tasks carry but one lacks (a 配合单位 is optional), numbering gaps."""
    roles: dict[str, Callable[[TaskDraft], object]] = {
        "牵头领导": lambda t: t.lead_leaders,
        "责任单位": lambda t: t.responsible_units or t.lead_units,
        "任务目标": lambda t: t.goal,
        "完成时限": lambda t: t.deadline_text,
    }
    used = {
        label: sum(bool(get(t)) for t in tasks) * 2 >= len(tasks) for label, get in roles.items()
    }
    warnings: list[str] = []
    previous: TaskDraft | None = None
    for task in tasks:
        name = f"第 {task.order} 项任务（{task.title[:20]}）"
        if not task.title:
            warnings.append(f"第 {task.order} 项任务未找到标题")
        elif len(task.title) > 50:
            warnings.append(f"{name}标题过长，可能未正确拆分标题与内容")
        warnings += [
            f"{name}未找到{label}" for label, get in roles.items() if used[label] and not get(task)
        ]
        if previous and _arabic(task.number) and _arabic(previous.number):
            expected = {int(previous.number) + 1}
            if task.chapter != previous.chapter:
                expected.add(1)
            if int(task.number) not in expected:
                warnings.append(
                    f"{name}编号为“{task.number}”，上一项为“{previous.number}”，编号不连续，请核对"
                )
        previous = task
    if tasks and not any(t.responsible_units or t.lead_units for t in tasks):
        warnings.append(f"全部 {len(tasks)} 项任务均未标注责任单位，请逐项指定")
    return warnings


def _settle_assignments(tasks: list[_Task]) -> None:
    """Brackets assign the task they stand in; "…下同" and "以下…" the tasks after it too."""
    standing: Assignment | None = None
    for task in tasks:
        found = task.brackets()
        for assignment in found:
            if not assignment.later_only:
                task.take(assignment)
        if standing is not None and not task.assigned():
            task.take(standing)
        for assignment in found:
            if assignment.sticky:
                standing = assignment


def _draft(order: int, task: _Task, plan_year: int | None) -> TaskDraft:
    goal = "".join(task.goal)
    content = "\n".join(task.content)
    indicators = _merge(
        suggest_indicators(goal, plan_year=plan_year),
        suggest_indicators(content, plan_year=plan_year),
    )
    deadline_text = "；".join(task.deadline) or closing_deadline(f"{task.title}。{content}")
    return TaskDraft(
        chapter=task.chapter,
        number=task.number,
        order=order,
        kind=_kind(task.title),
        title=task.title,
        goal=goal,
        content=content,
        lead_leaders=task.leads,
        responsible_units=task.responsible,
        cooperating_units=task.cooperating,
        indicators=indicators,
        co_leaders=task.co_leaders,
        lead_units=task.lead_units,
        deadline_text=deadline_text,
        deadline=deadline_of(deadline_text, plan_year) if deadline_text else None,
    )


def parse_plan(text: str) -> PlanDraft:
    """Read the text of a plan document (or its notice) into a :class:`PlanDraft`."""
    text = tables_in_text(text)
    lines = clean_lines(text)
    front = read_front(text, lines)
    paras = paragraphs(front.body)
    chapters = _top_chapters(paras)
    level = _task_level(
        [p for c in chapters if not _is_requirements(c) and not _is_aims(c) for p in c]
    )
    walker = _Walker(level or 99)
    for chapter in chapters:
        walker.chapter(chapter)
    plan_year = front.issue_date.year if front.issue_date else None
    if plan_year is None and (year := re.search(r"(20\d\d)\s*年", front.title)):
        plan_year = int(year.group(1))
    _settle_assignments(walker.tasks)
    tasks = [_draft(order, task, plan_year) for order, task in enumerate(walker.tasks, start=1)]
    warnings = [*front.warnings, *walker.warnings, *_task_warnings(tasks)]
    if not tasks:
        warnings.append("未识别到任何任务，请检查文本是否完整，或手工录入任务")
    chapter_names = list(dict.fromkeys(t.chapter for t in tasks if t.chapter))
    return PlanDraft(
        title=front.title,
        doc_number=front.doc_number,
        issuing_unit=front.issuing_unit,
        issue_date=front.issue_date,
        addressees=front.addressees,
        preamble="\n".join(walker.preamble),
        chapters=chapter_names,
        tasks=tasks,
        requirements="\n".join(walker.requirements),
        warnings=warnings,
    )

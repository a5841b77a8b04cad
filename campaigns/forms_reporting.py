"""The report form: one group of fields per entry, the three texts, and the version seen.

Values are read and checked by the entry rules (`rules.entry`): the fields read what was typed,
`services.reporting.report_save` checks the whole report; the form keeps no rule of its own."""

from __future__ import annotations

from typing import Any

from django import forms

from org.forms import TextRuleForm, style_form

from .models import Campaign, Entry, Indicator, IndicatorKind, Report
from .rules.entry import (
    MAX_NOTE,
    MAX_TEXT,
    PARTS,
    TEXTS,
    EntryError,
    EntryInput,
    read_number,
    read_stage,
    subject,
)


class EntryField(forms.Field):
    """A number or a stage of one entry, read by the entry rules (`rules.entry`), so a bad value
    gets the message an Excel cell holding it gets."""

    def __init__(self, *, name: str, stages: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.subject, self.stages = name, stages

    def to_python(self, value: Any) -> Any:
        try:
            if self.stages is not None:
                return read_stage(value, self.stages, self.subject)
            return read_number(value, self.subject)
        except EntryError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


def _number(indicator: Indicator, field: str, initial: Any) -> EntryField:
    return EntryField(
        name=subject(indicator.name, field),
        label=PARTS[field] or indicator.unit_of_measure or "数值",
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


def _stage(entry: Entry) -> EntryField:
    stages = list(entry.indicator.stages or [])
    return EntryField(
        name=subject(entry.indicator.name, "stage"),
        stages=stages,
        label=PARTS["stage"],
        initial=entry.stage,
        widget=forms.Select(
            choices=[("", "—— 尚未开始 ——")]
            + [(i, f"{i}. {s}") for i, s in enumerate(stages, start=1)]
        ),
    )


def _text(label: str, rows: int) -> forms.CharField:
    """A report text; its length is the entry rules' (the browser stops typing at it too)."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": MAX_TEXT}),
    )


class ReportForm(TextRuleForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = _text(TEXTS["progress"], 4)
    problems = _text(TEXTS["problems"], 3)
    plans = _text(TEXTS["plans"], 3)

    def __init__(self, *args: Any, report: Report, entries: list[Entry], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": report.version,
                "progress": report.progress,
                "problems": report.problems,
                "plans": report.plans,
            },
        )
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            if entry.computed:
                continue
            indicator = entry.indicator
            prefix = f"e{entry.pk}_"
            if indicator.kind == IndicatorKind.RATE:
                for part in ("numerator", "denominator"):
                    self.fields[prefix + part] = _number(indicator, part, getattr(entry, part))
            elif indicator.kind == IndicatorKind.MILESTONE:
                self.fields[prefix + "stage"] = _stage(entry)
            else:
                self.fields[prefix + "value"] = _number(indicator, "value", entry.value)
            self.fields[prefix + "note"] = forms.CharField(
                label=PARTS["note"],
                required=False,
                initial=entry.note,
                widget=forms.TextInput(attrs={"maxlength": MAX_NOTE}),
            )
        style_form(self)

    def entry_fields(self, entry: Entry) -> list[forms.BoundField]:
        prefix = f"e{entry.pk}_"
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def entry_inputs(self) -> dict[int, EntryInput]:
        data = self.cleaned_data
        inputs = {}
        for entry in self.entries:
            if entry.computed:
                continue
            prefix = f"e{entry.pk}_"
            inputs[entry.pk] = EntryInput(
                value=data.get(prefix + "value"),
                numerator=data.get(prefix + "numerator"),
                denominator=data.get(prefix + "denominator"),
                stage=data.get(prefix + "stage"),
                note=data.get(prefix + "note") or "",
            )
        return inputs

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in TEXTS}


class ReturnForm(TextRuleForm, forms.Form):
    reason = forms.CharField(
        label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    field = forms.ChoiceField(label="涉及", required=False)

    def __init__(self, *args: Any, entries: list[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [  # type: ignore[attr-defined]
            ("", "整份月报"),
            *[(f"entry:{e.pk}", f"指标：{e.indicator.name}") for e in entries],
            ("progress", "工作进展"),
            ("problems", "存在问题"),
            ("plans", "下步打算"),
        ]
        style_form(self)


class ReopenForm(TextRuleForm, forms.Form):
    reason = forms.CharField(label="重新开放的原因", max_length=500)
    until = forms.DateField(label="开放至", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class EvidenceForm(TextRuleForm, forms.Form):
    file = forms.FileField(label="佐证材料", help_text="照片（JPG、PNG）或 PDF，每个不超过 10 MB")
    caption = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PeriodOpenForm(TextRuleForm, forms.Form):
    campaign: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), label="工作方案"
    )
    month = forms.DateField(
        label="调度期内的任一天",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="按方案的调度周期开启包含这一天的调度期，如选 2020年4月15日 开启 4 月",
    )

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        style_form(self)

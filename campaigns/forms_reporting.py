"""The report form: one group of fields per entry, the three texts, and the version seen."""

from __future__ import annotations

from typing import Any

from django import forms

from org.forms import TextRuleForm, style_form

from .models import Campaign, Entry, IndicatorKind, Report
from .services.reporting import EntryInput


def _number(label: str, initial: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=initial,
        error_messages={
            "invalid": "请填写数字",
            "max_decimal_places": "最多两位小数",
            "max_digits": "数字太大",
            "min_value": "不能是负数",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class ReportForm(TextRuleForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.CharField(
        label="工作进展", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    plans = forms.CharField(
        label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

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
            kind = entry.indicator.kind
            prefix = f"e{entry.pk}_"
            if kind == IndicatorKind.RATE:
                self.fields[prefix + "numerator"] = _number("分子", entry.numerator)
                self.fields[prefix + "denominator"] = _number("分母", entry.denominator)
            elif kind == IndicatorKind.MILESTONE:
                self.fields[prefix + "stage"] = forms.TypedChoiceField(
                    label="达到节点",
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—— 尚未开始 ——")]
                    + [(i, f"{i}. {s}") for i, s in enumerate(entry.indicator.stages, start=1)],
                    initial=entry.stage,
                )
            else:
                self.fields[prefix + "value"] = _number(
                    entry.indicator.unit_of_measure or "数值", entry.value
                )
            self.fields[prefix + "note"] = forms.CharField(
                label="说明", required=False, max_length=300, initial=entry.note
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
        return {key: self.cleaned_data.get(key) or "" for key in ("progress", "problems", "plans")}


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

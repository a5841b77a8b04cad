"""Forms of the plan pages. Rules that need the whole plan are checked in campaigns.services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from org import computed
from org.forms import TextRuleForm, UnitMultipleChoiceField, style_form
from org.models import Leader, Unit

from .models import LEADER_ROLES, UNMATCHED_ROLES, Campaign, Indicator, IndicatorSource, Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(TextRuleForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "doc_number",
            "issuing_unit",
            "issue_date",
            "slogan",
            "year",
            "start",
            "end",
            "cadence",
            "report_due_day",
            "dispatch_day",
            "grace_days",
            "reminder_days",
            "quarterly_summary",
            "yellow_gap",
            "red_gap",
            "peers_visible",
            "addressees",
            "preamble",
            "requirements",
        ]
        widgets = {
            "issue_date": DATE_WIDGET,
            "start": DATE_WIDGET,
            "end": DATE_WIDGET,
            "preamble": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def _post_clean(self) -> None:
        pass  # campaigns.services.plan.campaign_save validates with the tasks in view


class TaskForm(TextRuleForm, forms.ModelForm):
    lead_leaders = forms.ModelMultipleChoiceField(
        queryset=Leader.objects.none(),
        required=False,
        label="牵头领导",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    co_leaders = forms.ModelMultipleChoiceField(
        queryset=Leader.objects.none(),
        required=False,
        label="配合领导",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    lead_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="牵头单位",
        help_text="牵头单位同时算作责任单位。",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    responsible_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="责任单位",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    participants = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="参赛单位 / 实施主体",
        help_text="擂台赛在这些单位之间排名；每月由它们填报。按住 Ctrl 可多选。",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    cooperating_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="配合单位",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Task
        fields = [
            "chapter",
            "number",
            "kind",
            "title",
            "goal",
            "content",
            "lead_leaders",
            "co_leaders",
            "lead_units",
            "responsible_units",
            "participants",
            "cooperating_units",
            "task_force",
            "deadline",
            "deadline_text",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 6}),
            "task_force": forms.Textarea(attrs={"rows": 3}),
            "deadline": DATE_WIDGET,
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tree = Unit.objects.filter(path__startswith=campaign.bureau.path, is_active=True)
        for name in ("lead_units", "responsible_units", "participants", "cooperating_units"):
            self.fields[name].queryset = tree.order_by("path")  # type: ignore[attr-defined]
        for name in ("lead_leaders", "co_leaders"):
            self.fields[name].queryset = Leader.objects.filter(  # type: ignore[attr-defined]
                unit=campaign.bureau, is_active=True
            )
        style_form(self)

    def _post_clean(self) -> None:
        pass


class IndicatorForm(TextRuleForm, forms.ModelForm):
    stages_text = forms.CharField(
        label="节点",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="节点类指标填写，一行一个，按先后顺序，如：规划选址 / 开工建设 / 主体完工 / 投入运营",
    )
    computed_key = forms.ChoiceField(label="计算口径", required=False)
    applies_to = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="适用单位",
        help_text="不选则适用于任务的全部参赛单位",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "kind",
            "unit_of_measure",
            "direction",
            "default_target",
            "scope_note",
            "deadline",
            "weight",
            "source",
            "computed_key",
            "stages_text",
            "applies_to",
        ]
        widgets = {"deadline": DATE_WIDGET}

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["computed_key"].choices = [("", "—— 单位填报，不需要 ——")] + [  # type: ignore[attr-defined]
            (spec.key, f"{spec.label}（{spec.unit_of_measure}）")
            for spec in computed.all_indicators()
        ]
        self.fields["applies_to"].queryset = task.participants.order_by("path")  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.stages:
            self.initial["stages_text"] = "\n".join(self.instance.stages)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["stages"] = [
            line.strip() for line in data.pop("stages_text", "").splitlines() if line.strip()
        ]
        if data.get("source") == IndicatorSource.REPORTED:
            data["computed_key"] = ""
        return data

    def _post_clean(self) -> None:
        pass


class TargetsForm(TextRuleForm, forms.Form):
    """One row per applicable unit: its own target and deadline (empty = the default)."""

    def __init__(self, *args: Any, indicator: Indicator, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        existing = {t.unit_id: t for t in indicator.targets.all()}
        for unit in units:
            target = existing.get(unit.pk)
            self.fields[f"value_{unit.pk}"] = forms.DecimalField(
                label=unit.name,
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=target.value if target else None,
                widget=forms.NumberInput(attrs={"step": "any", "placeholder": _default(indicator)}),
            )
            self.fields[f"deadline_{unit.pk}"] = forms.DateField(
                label="完成时限",
                required=False,
                initial=target.deadline if target else None,
                widget=DATE_WIDGET,
            )
            self.fields[f"note_{unit.pk}"] = forms.CharField(
                label="说明", required=False, max_length=200, initial=target.note if target else ""
            )
        style_form(self)

    def rows(self) -> list[tuple[Unit, Any, Any, Any]]:
        return [
            (u, self[f"value_{u.pk}"], self[f"deadline_{u.pk}"], self[f"note_{u.pk}"])
            for u in self.units
        ]

    def values(self) -> dict[Unit, tuple[Decimal | None, Any, str]]:
        return {
            u: (
                self.cleaned_data[f"value_{u.pk}"],
                self.cleaned_data[f"deadline_{u.pk}"],
                self.cleaned_data[f"note_{u.pk}"],
            )
            for u in self.units
        }


def _default(indicator: Indicator) -> str:
    if indicator.default_target is None:
        return "未设默认值"
    return f"默认 {indicator.default_target.normalize():f}"


class ImportForm(TextRuleForm, forms.Form):
    cleaned_by_service = ("text",)  # campaign_import drops invisible characters with a note
    text = forms.CharField(
        label="粘贴方案全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="从 Word 或网页复制整篇通知（含附件方案）粘贴到这里；也可以直接上传文件。",
    )
    file = forms.FileField(
        label="或上传文件",
        required=False,
        help_text="支持 Word（.docx / .doc）、WPS（.wps）、可复制文字的 PDF 和 .txt，不超过 5 MB；"
        "任务分解表可以是 Word 或 PDF 里的表格",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.doc,.wps,.pdf,.txt"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        from .services.importing import plan_file_text

        data = super().clean() or {}
        upload: UploadedFile | None = data.get("file")
        text = (data.get("text") or "").strip()
        if upload is not None:
            text = plan_file_text(upload)
        if not text.strip():
            raise forms.ValidationError("请粘贴方案全文或上传方案文件")
        data["plan_text"] = text
        return data


class ResolveNameForm(TextRuleForm, forms.Form):
    """How to settle one name the import could not match."""

    name = forms.CharField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        choices=list(UNMATCHED_ROLES.items()),
        widget=forms.HiddenInput,
    )
    action = forms.ChoiceField(
        choices=[("map", "对应到已有"), ("create", "新建为配合单位"), ("drop", "忽略")],
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    leader = forms.ModelChoiceField(queryset=Leader.objects.none(), required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            path__startswith=campaign.bureau.path, is_active=True
        ).order_by("path")
        self.fields["leader"].queryset = Leader.objects.filter(  # type: ignore[attr-defined]
            unit=campaign.bureau, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        leader_role = data.get("role") in LEADER_ROLES
        if action == "map" and leader_role and not data.get("leader"):
            raise forms.ValidationError("请选择对应的局领导")
        if action == "map" and not leader_role and not data.get("unit"):
            raise forms.ValidationError("请选择对应的单位")
        if action == "create" and leader_role:
            raise forms.ValidationError("领导请先在“局领导”页面录入，再回来对应")
        return data

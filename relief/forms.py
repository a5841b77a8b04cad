"""Forms of the relief pages; the rules themselves live in relief.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from org.forms import TextRuleForm, UnitChoiceField, style_form
from org.models import Unit, UnitKind, User

from . import idnumber, selectors
from .models import Assistance, PersonStatus, SelfCare, SupportMode, VisitKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _institutions() -> Any:
    return Unit.objects.filter(kind=UnitKind.INSTITUTION, is_active=True).order_by("path")


class PersonForm(TextRuleForm, forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label="镇街")
    community = UnitChoiceField(queryset=Unit.objects.none(), label="社区（村）", required=False)
    household_number = forms.CharField(label="户编号", max_length=30, required=False)
    name = forms.CharField(label="姓名", max_length=30)
    id_number = forms.CharField(label="身份证号", max_length=20)
    relation = forms.CharField(label="与户主关系", max_length=20, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    assistance = forms.ChoiceField(label="保障类别", choices=Assistance.choices)
    support_mode = forms.ChoiceField(
        label="供养方式（特困人员）", choices=[("", "——"), *SupportMode.choices], required=False
    )
    self_care = forms.ChoiceField(
        label="自理能力", choices=[("", "——"), *SelfCare.choices], required=False
    )
    institution = UnitChoiceField(
        queryset=Unit.objects.none(), label="供养机构（集中供养）", required=False
    )
    since = forms.DateField(label="纳入日期", widget=DATE)
    monthly_amount = forms.DecimalField(
        label="月保障金额（元）", max_digits=8, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.townships_for(user, write=True)  # type: ignore[attr-defined]
        self.fields["community"].queryset = selectors.communities_for(user, write=True)  # type: ignore[attr-defined]
        self.fields["institution"].queryset = _institutions()  # type: ignore[attr-defined]
        style_form(self)

    def clean_id_number(self) -> str:
        number = idnumber.normalize(self.cleaned_data["id_number"])
        found = idnumber.problems(number)
        if found:
            raise forms.ValidationError(found[0])
        return number


class PersonEditForm(TextRuleForm, forms.Form):
    community = UnitChoiceField(queryset=Unit.objects.none(), label="社区（村）", required=False)
    name = forms.CharField(label="姓名", max_length=30)
    relation = forms.CharField(label="与户主关系", max_length=20, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    monthly_amount = forms.DecimalField(
        label="月保障金额（元）", max_digits=8, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            path__startswith=unit.path, kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)
        ).order_by("path")
        style_form(self)


class SupportChangeForm(TextRuleForm, forms.Form):
    effective = forms.DateField(label="变更生效日期", widget=DATE)
    status = forms.ChoiceField(label="状态", choices=PersonStatus.choices)
    assistance = forms.ChoiceField(label="保障类别", choices=Assistance.choices)
    support_mode = forms.ChoiceField(
        label="供养方式（特困人员）", choices=[("", "——"), *SupportMode.choices], required=False
    )
    self_care = forms.ChoiceField(
        label="自理能力", choices=[("", "——"), *SelfCare.choices], required=False
    )
    institution = UnitChoiceField(
        queryset=Unit.objects.none(), label="供养机构（集中供养）", required=False
    )
    note = forms.CharField(label="变更原因", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions()  # type: ignore[attr-defined]
        style_form(self)

    def clean_effective(self) -> date:
        day = self.cleaned_data["effective"]
        if day > timezone.localdate():
            raise forms.ValidationError("生效日期不能晚于今天")
        return day


class VisitForm(TextRuleForm, forms.Form):
    visited_on = forms.DateField(label="探访日期", widget=DATE)
    kind = forms.ChoiceField(label="方式", choices=VisitKind.choices)
    visitor = forms.CharField(label="探访人", max_length=50)
    findings = forms.CharField(
        label="探访情况", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class AidForm(TextRuleForm, forms.Form):
    paid_on = forms.DateField(label="救助日期", widget=DATE)
    amount = forms.DecimalField(label="金额（元）", max_digits=10, decimal_places=2, min_value=0.01)
    reason = forms.CharField(label="救助事由", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class CaregiverForm(TextRuleForm, forms.Form):
    name = forms.CharField(label="照料护理人姓名", max_length=30)
    relation = forms.CharField(label="与对象关系", max_length=20, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    agreement_number = forms.CharField(label="护理协议编号", max_length=50, required=False)
    agreement_start = forms.DateField(label="协议起始日期", widget=DATE)
    agreement_end = forms.DateField(label="协议截止日期", widget=DATE, required=False)
    monthly_fee = forms.DecimalField(
        label="护理费（元/月）", max_digits=8, decimal_places=2, required=False, min_value=0
    )
    replaced_reason = forms.CharField(
        label="更换原因（已有护理人时）", max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ImportForm(TextRuleForm, forms.Form):
    file = forms.FileField(label="台账文件（.xlsx）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        style_form(self)


class IdClaimDecisionForm(TextRuleForm, forms.Form):
    """The section's decision on a held registration; the buttons send `decision`."""

    decision = forms.ChoiceField(
        choices=[("accept", "同意转入"), ("reject", "不予登记")], widget=forms.HiddenInput
    )
    effective = forms.DateField(
        label="转入日期",
        widget=DATE,
        required=False,
        help_text="同意转入时：自哪天起由申请镇街保障",
    )
    note = forms.CharField(
        label="核实意见",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予登记时必填，镇街会在通知中看到；请勿写入其他镇街对象的信息",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "accept":
            effective = data.get("effective")
            if effective is None:
                self.add_error("effective", "同意转入请填写转入日期")
            elif effective > timezone.localdate():
                self.add_error("effective", "转入日期不能晚于今天")
        return data

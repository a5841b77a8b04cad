"""Forms of the eldercare pages; the rules live in eldercare.services."""

from __future__ import annotations

from typing import Any

from django import forms

from org.forms import TextRuleForm, UnitChoiceField, style_form
from org.models import Unit

from .models import CommunityFacility, ComprehensiveCentre, DisplayItem, Institution

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class InstitutionForm(TextRuleForm, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["ownership", "operator", "address", "beds", "nursing_beds", "residents"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def _post_clean(self) -> None:
        pass  # eldercare.services.institution_save validates


class FacilityForm(TextRuleForm, forms.ModelForm):
    community = UnitChoiceField(queryset=Unit.objects.none(), label="社区")

    class Meta:
        model = CommunityFacility
        fields = [
            "community",
            "name",
            "estate",
            "households",
            "estate_era",
            "area",
            "completed_on",
            "fire_safety_done",
            "fire_safety_done_on",
            "note",
        ]
        widgets = {
            "completed_on": DATE,
            "fire_safety_done_on": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"completed_on": "尚未建成的留空", "households": "按小区实际户数填写"}

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        style_form(self)

    def _post_clean(self) -> None:
        pass


class CentreForm(TextRuleForm, forms.ModelForm):
    street = UnitChoiceField(queryset=Unit.objects.none(), label="街道")

    class Meta:
        model = ComprehensiveCentre
        fields = [
            "street",
            "name",
            "address",
            "area",
            "beds",
            "full_care",
            "day_care",
            "home_service",
            "guidance",
            "opened_on",
            "note",
        ]
        widgets = {"opened_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"opened_on": "尚未投入运营的留空"}

    def __init__(self, *args: Any, streets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets  # type: ignore[attr-defined]
        style_form(self)

    def _post_clean(self) -> None:
        pass


def _score(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, max_digits=4, decimal_places=1
    )


class InspectionForm(TextRuleForm, forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    inspector = forms.CharField(label="检查人", max_length=50)
    fine_management = _score("一赛 精细管理")
    nutrition = _score("二赛 营养膳食")
    kitchen = _score("三赛 厨房卫生")
    environment = _score("四赛 环境卫生")
    note = forms.CharField(
        label="检查意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PostForm(TextRuleForm, forms.Form):
    item = forms.ChoiceField(label="项目", choices=DisplayItem.choices)
    day = forms.DateField(label="日期", widget=DATE, help_text="每周项目算在这一天所在的那一周")
    photo = forms.FileField(label="照片")
    caption = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"
        style_form(self)

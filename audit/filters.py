"""The office's filters over the audit trail (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from .models import Action, Event, Outcome
from .selectors import object_type_choices


class IPFilter(django_filters.CharFilter):
    field_class = forms.GenericIPAddressField


class EventFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(
        field_name="username", lookup_expr="icontains", label="用户", max_length=150
    )
    action = django_filters.ChoiceFilter(
        choices=Action.choices, label="操作", empty_label="全部操作"
    )
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, label="结果", empty_label="全部结果"
    )
    start = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="开始日期")
    end = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="结束日期")
    object_type = django_filters.ChoiceFilter(
        choices=object_type_choices, label="对象类型", empty_label="全部对象"
    )
    object_id = django_filters.CharFilter(label="对象编号", max_length=64)
    ip = IPFilter(label="来源地址")

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }
        placeholders = {"user": "登录名", "object_id": "对象编号", "ip": "来源地址"}
        for name, field in self.form.fields.items():
            if name in widgets:
                field.widget = widgets[name]
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update({"class": css, "aria-label": str(field.label)})
            if name in placeholders:
                field.widget.attrs["placeholder"] = placeholders[name]

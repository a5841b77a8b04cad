"""Forms for the office's pages. Validation that needs the tree lives in org.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from .access import MANAGE, bureaus_managed_by, units_visible_to, users_visible_to
from .models import Leader, Role, Unit, UnitKind, User
from .text import text_error


def style_form(form: forms.BaseForm) -> None:
    """Give every widget Tabler's classes, so templates render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class TextRuleForm(forms.BaseForm):
    """Every form the product shows: a text field holding a character no document can keep
    (org.text) is refused with a message naming the field, whatever else the form checks.
    A form whose service cleans such text with a note instead (a pasted plan) names those
    fields in `cleaned_by_service`."""

    cleaned_by_service: tuple[str, ...] = ()

    def full_clean(self) -> None:
        super().full_clean()
        for name, value in list(getattr(self, "cleaned_data", {}).items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or field is None or name in self.cleaned_by_service:
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue  # a password is never written into a document, and is never echoed
            if "\r" in value:  # a browser sends a textarea's line ends as CRLF: kept as "\n"
                value = self.cleaned_data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
                instance = getattr(self, "instance", None)
                if instance is not None and hasattr(instance, name):
                    setattr(instance, name, value)
            message = text_error(str(field.label or name), value)
            if message:
                self.add_error(name, message)
                field.widget.attrs["data-invisible-chars"] = ""  # app.js offers to remove them


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return f"{'　' * obj.depth}{obj.name}（{obj.get_kind_display()}）"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return f"{'　' * obj.depth}{obj.name}（{obj.get_kind_display()}）"


class UnitForm(TextRuleForm, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label="上级单位")

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "sort_order",
            "is_active",
            "contact_person",
            "contact_phone",
            "keeps_records",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = units_visible_to(user, MANAGE).order_by("path")
        if self.instance.pk:
            managed = managed.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = managed  # type: ignore[attr-defined]
        self.fields["parent"].required = True
        style_form(self)

    def _post_clean(self) -> None:
        # Placement and uniqueness are checked by org.services with the whole tree in view.
        pass


class UserForm(TextRuleForm, forms.Form):
    username = forms.RegexField(
        label="登录名",
        max_length=50,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "登录名只能由字母、数字和 _ . - 组成"},
    )
    full_name = forms.CharField(label="姓名", max_length=30)
    role = forms.ChoiceField(label="角色", choices=[("", "—— 请选择 ——"), *Role.choices])
    scope = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        label="所属单位",
        help_text="局领导、局办公室选局；科室人员选科室；镇街人员选镇街；机构人员选机构。按住 Ctrl 可多选。",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    phone = forms.RegexField(
        label="手机号码",
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": "手机号码应为 11 位数字，以 1 开头"},
    )
    email = forms.EmailField(label="电子邮箱", required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password1 = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        strip=False,
        help_text="本人首次登录时须改成只有自己知道的新密码。",
    )
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, user: User, editing: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        scope_field = self.fields["scope"]
        assert isinstance(scope_field, forms.ModelMultipleChoiceField)
        scope_field.queryset = (
            units_visible_to(user, MANAGE)
            .exclude(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE))
            .order_by("path")
        )
        if editing is not None:
            del self.fields["password1"], self.fields["password2"]
            self.fields["username"].disabled = True
        style_form(self)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if self.editing is not None:
            return self.editing.username
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("登录名“%(name)s”已被使用", params={"name": username})
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.editing is None and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif self.editing is None and data.get("password1"):
            probe = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SetPasswordForm(TextRuleForm, forms.Form):
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.target)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LeaderForm(TextRuleForm, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label="所在单位")
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="登录账号")

    class Meta:
        model = Leader
        fields = ["name", "title", "unit", "user", "sort_order", "is_active"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = bureaus_managed_by(user)  # type: ignore[attr-defined]
        self.fields["user"].queryset = users_visible_to(user).filter(  # type: ignore[attr-defined]
            role=Role.LEADER, is_active=True
        )
        style_form(self)

    def _post_clean(self) -> None:
        pass

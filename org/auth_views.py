"""Login, lockout and the user's own password: Django's views with our forms, words and rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import services
from .forms import TextRuleForm
from .models import User
from .passwords import password_change_reason


class LoginForm(TextRuleForm, AuthenticationForm):
    # One message for an unknown name, a wrong password and a disabled account alike: the page
    # never tells which login names exist.
    error_messages = {
        "invalid_login": "登录名或密码不正确，请检查后重试（密码区分大小写）。",
        "inactive": "登录名或密码不正确，请检查后重试（密码区分大小写）。",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "登录名"
        self.fields["username"].widget = forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        )
        self.fields["password"].widget.attrs["class"] = "form-control"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"登录失败次数过多，账号已锁定{minutes}分钟，请稍后再试或联系局办公室。"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked login name (AXES_LOCKOUT_CALLABLE): the login page.

    The page is the same for a real and an unknown name: an empty form (the typed name is not
    echoed) and one message.
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {"form": LoginForm(request), "lockout": lockout_message(), "next": next_url}
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


class PasswordChangeForm(TextRuleForm, DjangoPasswordChangeForm):
    """Django's form, plus: the new password differs from the old one; saved by org.services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        old, new = data.get("old_password"), data.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", "新密码不能与当前密码相同，请换一个。")
        return data

    def save(self, commit: bool = True) -> User:
        user = self.user
        assert isinstance(user, User)
        return services.user_change_own_password(
            user=user, password=self.cleaned_data["new_password1"]
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reason"] = password_change_reason(self.request.user)
        context["rules"] = password_validation.password_validators_help_texts()
        context["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return context

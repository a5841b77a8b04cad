"""Every form the product shows takes the one text rule (org.text through org.forms.TextRuleForm)."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

from org.forms import TextRuleForm

APPS = ("org", "campaigns", "relief", "eldercare", "audit", "minzheng")


def _our_forms() -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings")):
                continue
            importlib.import_module(info.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS and cls is not TextRuleForm:
            found.append(cls)
    return found


def test_every_form_of_the_product_refuses_invisible_characters():
    found = _our_forms()
    assert len(found) >= 25, "the walk found the product's forms"
    missing = [f"{c.__module__}.{c.__qualname__}" for c in found if not issubclass(c, TextRuleForm)]
    assert not missing, f"forms without the text rule: {missing}"


def test_a_password_is_never_judged_by_the_text_rule():
    class Login(TextRuleForm, forms.Form):
        name = forms.CharField(label="用户名")
        secret = forms.CharField(label="密码", widget=forms.PasswordInput)

    form = Login({"name": "甲\x0b乙", "secret": "pa\x0bss"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"] and "「用户名」" in form.errors["name"][0]

"""The shared view helpers of org/shortcuts.py: a service's refusal on its form, files as downloads."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import unquote

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from org.shortcuts import apply_errors, download_response, workbook_response
from org.xlsx import XLSX
from tests.conftest import Tree, client_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NameForm(forms.Form):
    name = forms.CharField()
    code = forms.CharField(required=False)


def checked_form() -> NameForm:
    form = NameForm({"name": "兰山街道", "code": ""})
    assert form.is_valid()  # a service refuses after the form's own checks have passed
    return form


def test_it_puts_a_services_field_errors_on_their_fields():
    form = checked_form()
    apply_errors(
        form, ValidationError({"name": "名称已被使用", "code": ["编码应为 6 位", "编码重复"]})
    )
    assert form.errors["name"] == ["名称已被使用"]
    assert form.errors["code"] == ["编码应为 6 位", "编码重复"]
    assert form.non_field_errors() == []
    assert "name" not in form.cleaned_data


def test_it_keeps_the_messages_for_fields_the_form_does_not_show_as_non_field_errors():
    form = checked_form()
    apply_errors(
        form,
        ValidationError(
            {"name": "名称已被使用", "parent": "上级单位不能是自己", "__all__": "请先停用下级单位"}
        ),
    )
    assert form.errors["name"] == ["名称已被使用"]
    assert sorted(form.non_field_errors()) == sorted(["上级单位不能是自己", "请先停用下级单位"])


@pytest.mark.parametrize(
    "error, expected",
    [
        (ValidationError("方案发布后才能做季度小结"), ["方案发布后才能做季度小结"]),
        (ValidationError(["第 3 行 C 列：不能超过 100%", "第 4 行缺少单位"]), None),
    ],
)
def test_it_puts_a_plain_refusal_among_the_non_field_errors(error, expected):
    form = checked_form()
    apply_errors(form, error)
    assert form.non_field_errors() == (expected or error.messages)
    assert "name" not in form.errors


def test_it_serves_bytes_as_an_attachment_with_its_chinese_name():
    name = "测试区民政局“打擂攻坚”通报（第3期）.docx"
    response = download_response(b"PK\x03\x04 docx", name, DOCX)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert disposition.isascii()
    assert unquote(disposition.removeprefix("attachment; filename*=UTF-8''")) == name
    assert response.content == b"PK\x03\x04 docx"


def test_it_never_lets_a_name_read_as_a_path_or_break_the_header():
    response = download_response(b"x", '1/2 季度；"小结"\r\n.xlsx', XLSX)
    encoded = response["Content-Disposition"].removeprefix("attachment; filename*=UTF-8''")
    assert not set(encoded) & set('/ ;"\r\n')
    assert unquote(encoded) == '1/2 季度；"小结"\r\n.xlsx'


def test_it_serves_a_workbook_or_its_bytes_as_xlsx():
    workbook = Workbook()
    workbook.active.title = "救助对象台账"
    from_book = workbook_response(workbook, "救助对象台账.xlsx")
    buffer = BytesIO()
    workbook.save(buffer)
    from_bytes = workbook_response(buffer.getvalue(), "救助对象台账.xlsx")
    for response in (from_book, from_bytes):
        assert response["Content-Type"] == XLSX
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "%E6%95%91%E5%8A%A9" in response["Content-Disposition"]  # 救助
        assert load_workbook(BytesIO(response.content)).sheetnames == ["救助对象台账"]


def test_it_serves_the_roster_template_through_the_shared_download(tree: Tree, township_a):
    response = client_for(township_a).get(reverse("relief:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert unquote(response["Content-Disposition"]).endswith("救助对象台账模板.xlsx")

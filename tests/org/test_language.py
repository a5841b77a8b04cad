"""One language: our strings are written in Chinese and Django's own messages come in Chinese,
whatever language the browser asks for."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept_language", ["en", "en-US,en;q=0.9", "zh-CN,zh;q=0.9", ""])
def test_it_answers_an_english_browser_in_chinese(accept_language: str):
    client = Client(headers={"accept-language": accept_language} if accept_language else {})
    response = client.post(reverse("login"), {"username": "office"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项。" in page  # Django's own message for the missing password
    assert "This field is required" not in page
    assert "登录名" in page  # ours
    assert not response.has_header("Content-Language")


def test_no_middleware_picks_a_language_from_the_request():
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.USE_I18N

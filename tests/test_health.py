"""/healthz: open without a login, 200 when the database (and Redis, with a broker) answer,
503 naming what failed otherwise; it never shows data."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from minzheng import health


@pytest.mark.django_db
def test_it_answers_ok_without_a_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert "redis" not in body["checks"]  # no broker configured in tests
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_503_when_the_database_fails(client, monkeypatch):
    def broken() -> None:
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_pings_redis_when_celery_has_a_broker(client, monkeypatch):
    pinged: list[str] = []
    monkeypatch.setattr(health, "_redis", pinged.append)
    assert client.get(reverse("healthz")).status_code == 200
    assert pinged == ["redis://127.0.0.1:1/0"]


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_when_redis_is_down(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_it_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405

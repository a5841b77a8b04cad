"""Logins, failed logins, lockouts and logouts, each a row with the name typed and the address."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import Event
from audit.services import client_ip
from tests.conftest import PASSWORD


def rows() -> list[tuple]:
    return list(
        Event.objects.order_by("id").values_list("action", "outcome", "user", "username", "ip")
    )


def test_it_records_a_login_and_a_logout(township_a):
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.post(reverse("login"), {"username": "township_a", "password": PASSWORD})
    client.post(reverse("logout"))
    assert rows() == [
        ("login", "success", township_a.pk, "township_a", "192.0.2.7"),
        ("logout", "success", township_a.pk, "township_a", "192.0.2.7"),
    ]
    assert Event.objects.filter(role="township").count() == 2


@pytest.mark.parametrize("username", ["township_a", "no_such_user"])
def test_it_records_a_failed_login_with_the_name_and_never_the_password(tree, township_a, username):
    secret = "Wrong-Password-9876"
    response = Client(REMOTE_ADDR="192.0.2.8").post(
        reverse("login"), {"username": username, "password": secret}
    )
    assert response.status_code == 200
    assert rows() == [("login_failed", "invalid", None, username, "192.0.2.8")]
    assert secret not in repr(list(Event.objects.values()))


def test_it_records_the_lockout(tree, township_a):
    client = Client(REMOTE_ADDR="192.0.2.9")
    for _ in range(8):
        client.post(reverse("login"), {"username": "township_a", "password": "Wrong-1234-abcd"})
        if Event.objects.filter(action="lockout").exists():
            break
    lockout = Event.objects.get(action="lockout")
    assert (lockout.outcome, lockout.username, lockout.ip) == ("refused", "township_a", "192.0.2.9")
    assert Event.objects.filter(action="login_failed").count() >= 1
    # Even the right password is turned away now, and that is recorded as well.
    client.post(reverse("login"), {"username": "township_a", "password": PASSWORD})
    assert not Event.objects.filter(action="login").exists()
    assert Event.objects.filter(action="lockout").count() == 2


def test_it_takes_the_address_from_the_proxy_only_when_told_to(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    settings.AUDIT_TRUSTED_PROXY = False
    assert client_ip(request) == "10.0.0.5"
    settings.AUDIT_TRUSTED_PROXY = True
    assert client_ip(request) == "203.0.113.9", "the entry our own proxy appended"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) == "10.0.0.5"
    request.META["REMOTE_ADDR"] = ""
    assert client_ip(request) is None

"""Login and session policy (等保): lockout, password rules and expiry, session limits, idle accounts.

Time is moved with time-machine; every refusal is checked for what it leaves in the database.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from org import services, tasks
from org.models import Role, User, UserSession
from org.signals import IDLE_ACCOUNTS_ENTRY
from tests.conftest import PASSWORD, Tree, client_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)
WRONG = "Cuowu-mima-2020"
LOCKED = "登录失败次数过多，账号已锁定30分钟，请稍后再试或联系局办公室。"
INVALID = "登录名或密码不正确"
IDLE = "长时间未操作，已自动退出，请重新登录。"


def log_in(client: Client, username: str, password: str) -> tuple[int, str]:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code, response.content.decode()


def plain(html: str, username: str) -> str:
    """The page without what differs by nature: the CSRF token and the typed login name."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(username, "NAME")


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


# Lockout


def test_it_locks_a_name_after_five_failures_even_against_the_right_password(
    township_a: User, township_b: User
):
    client = Client()
    for _ in range(4):
        status, text = log_in(client, "township_a", WRONG)
        assert status == 200 and INVALID in text and LOCKED not in text
    status, text = log_in(client, "township_a", WRONG)
    assert status == 429 and LOCKED in text
    status, text = log_in(client, "township_a", PASSWORD)
    assert status == 429 and LOCKED in text
    assert not is_logged_in(client)
    # Another browser, another address: the name itself is locked.
    other = Client(REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="another browser")
    assert log_in(other, "township_a", PASSWORD)[0] == 429
    # Other names are not.
    assert log_in(other, "township_b", PASSWORD)[0] == 302


def test_it_answers_an_unknown_name_exactly_as_a_real_one(township_a: User):
    real, unknown = Client(), Client()
    for attempt in range(7):
        password = PASSWORD if attempt == 6 else WRONG
        real_status, real_text = log_in(real, "township_a", password)
        unknown_status, unknown_text = log_in(unknown, "no-such-clerk", password)
        assert real_status == unknown_status == (200 if attempt < 4 else 429)
        assert plain(real_text, "township_a") == plain(unknown_text, "no-such-clerk")
    assert "township_a" not in real_text  # the lockout page does not echo the name


def test_it_lets_the_name_in_again_after_thirty_minutes(township_a: User):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            log_in(client, "township_a", WRONG)
        traveller.shift(timedelta(minutes=29, seconds=59))
        assert log_in(client, "township_a", PASSWORD)[0] == 429
        traveller.shift(timedelta(seconds=2))
        assert log_in(client, "township_a", PASSWORD)[0] == 302
        assert is_logged_in(client)
        # A success clears the count: four new failures do not lock.
        fresh = Client()
        for _ in range(4):
            assert log_in(fresh, "township_a", WRONG)[0] == 200


def test_the_office_lifts_a_lockout(township_a: User, office: User, township_b: User):
    for _ in range(5):
        log_in(Client(), "township_a", WRONG)
    edit = reverse("org:user_edit", args=[township_a.pk])
    unlock = reverse("org:user_unlock", args=[township_a.pk])
    assert "解除登录锁定" in client_for(office).get(edit).content.decode()
    # The outsider cannot, and learns nothing.
    assert client_for(township_b).post(unlock).status_code == 404
    assert log_in(Client(), "township_a", PASSWORD)[0] == 429
    assert client_for(office).get(unlock).status_code == 405
    response = client_for(office).post(unlock, follow=True)
    assert "已解除“township_a”的登录锁定" in response.content.decode()
    assert "解除登录锁定</button>" not in response.content.decode()
    assert log_in(Client(), "township_a", PASSWORD)[0] == 302


# Password rules


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Duan-mima-1", "密码太短：至少要 12 个字符"),
        ("zhiyouxiaoxiezimu", "小写字母、大写字母、数字、符号中的 3 种"),
        ("ZhiyouDaxiaoXiezimu", "小写字母、大写字母、数字、符号中的 3 种"),
        ("John!20130605at1753", "这是常见的弱密码"),
        ("Township_a-2020", "密码与用户名太相似"),
        ("2020061809001234", "密码不能全是数字"),
    ],
)
def test_it_refuses_each_weak_password_with_its_reason(
    tree: Tree, office: User, township_a: User, password: str, message: str
):
    before = User.objects.values_list("password", "must_change_password").get(pk=township_a.pk)
    response = client_for(office).post(
        reverse("org:user_password", args=[township_a.pk]),
        {"password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    after = User.objects.values_list("password", "must_change_password").get(pk=township_a.pk)
    assert after == before


def test_it_accepts_a_good_password_and_lists_the_rules(township_b: User):
    client = client_for(township_b)
    page = client.get(reverse("password_change")).content.decode()
    for rule in ("至少 12 个字符", "中的 3 种", "常见的弱密码", "账号信息相似", "全是数字"):
        assert rule in page
    new = "Hao-mima-2020-xin"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("password_change_done")
    township_b.refresh_from_db()
    assert township_b.check_password(new)


def test_it_refuses_the_same_password_again(township_b: User):
    response = client_for(township_b).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "新密码不能与当前密码相同" in response.content.decode()
    before = township_b.password
    township_b.refresh_from_db()
    assert township_b.password == before


# Forced and expired passwords


def test_a_password_set_by_the_office_must_be_changed_first(tree: Tree, office: User):
    clerk = services.user_create(
        username="jia-clerk", password=PASSWORD, role=Role.TOWNSHIP, scope=[tree.township_a]
    )
    assert clerk.must_change_password
    client = Client()
    assert log_in(client, "jia-clerk", PASSWORD)[0] == 302
    for url in (reverse("home"), reverse("org:unit_list"), reverse("org:notice_list")):
        assert client.get(url)["Location"] == reverse("password_change")
    htmx = client.get(reverse("org:unit_list"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "局办公室设置的" in page
    new = "Jia-ziji-mima-2020"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    clerk.refresh_from_db()
    assert not clerk.must_change_password and clerk.password_changed_at is not None
    assert is_logged_in(client)
    # A reset by the office asks for a change again, and only the owner's own change clears it.
    services.user_set_password(user=clerk, password="Chongshe-mima-2020")
    clerk.refresh_from_db()
    assert clerk.must_change_password


def test_a_password_expires_after_ninety_days(township_a: User):
    changed = township_a.password_changed_at
    assert changed is not None
    with time_machine.travel(changed + timedelta(days=89, hours=23), tick=False):
        assert is_logged_in(client_for(township_a))
    with time_machine.travel(changed + timedelta(days=90, minutes=1), tick=False):
        client = client_for(township_a)
        assert client.get(reverse("home"))["Location"] == reverse("password_change")
        assert "已使用超过 90 天" in client.get(reverse("password_change")).content.decode()
        assert client.post(reverse("logout")).status_code == 302  # logging out still works


def test_expiry_follows_the_setting(township_a: User, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    changed = township_a.password_changed_at
    assert changed is not None
    with time_machine.travel(changed + timedelta(days=400), tick=False):
        assert is_logged_in(client_for(township_a))
    settings.PASSWORD_MAX_AGE_DAYS = 30
    with time_machine.travel(changed + timedelta(days=31), tick=False):
        assert not is_logged_in(client_for(township_a))


def test_a_password_never_recorded_must_be_changed(township_a: User):
    User.objects.filter(pk=township_a.pk).update(password_changed_at=None)
    client = client_for(township_a)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


# Sessions


def test_a_session_ends_after_thirty_idle_minutes(township_a: User):
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        log_in(client, "township_a", PASSWORD)
        traveller.shift(timedelta(minutes=29))
        assert is_logged_in(client)
        traveller.shift(timedelta(minutes=29))  # 58 minutes in, but active 29 minutes ago
        assert is_logged_in(client)
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get(reverse("org:unit_list"))
        assert response["Location"] == f"{reverse('login')}?next={reverse('org:unit_list')}"
        login_page = client.get(response["Location"]).content.decode()
        assert IDLE in login_page
        assert not is_logged_in(client)
    assert not UserSession.objects.filter(user=township_a).exists()


def test_a_session_ends_after_twelve_hours_however_active(township_a: User):
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        log_in(client, "township_a", PASSWORD)
        for _ in range(12 * 3):
            traveller.shift(timedelta(minutes=20))
            assert is_logged_in(client)
        traveller.shift(timedelta(seconds=1))
        response = client.get(reverse("home"), follow=True)
        assert "登录已超过 12 小时，已自动退出" in response.content.decode()
        assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_an_htmx_request_on_an_ended_session_moves_the_whole_page(township_a: User):
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        log_in(client, "township_a", PASSWORD)
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("org:unit_list"), headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == reverse("login")
        # Once logged out, the login-required redirect is turned into the same header.
        again = client.get(reverse("org:unit_list"), headers={"HX-Request": "true"})
        assert again["HX-Redirect"].startswith(reverse("login"))


def test_login_and_logout_keep_the_session_record(township_a: User):
    client = Client()
    log_in(client, "township_a", PASSWORD)
    key = client.session.session_key
    assert list(UserSession.objects.values_list("user", "session_key")) == [(township_a.pk, key)]
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


# Deactivation


def test_disabling_a_user_ends_their_sessions(tree: Tree, office: User, township_a: User):
    browser, phone = Client(), Client()
    log_in(browser, "township_a", PASSWORD)
    # A password change rotates the session key; the record follows it.
    new = "Xin-ziji-mima-2020"
    browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    keys = {browser.session.session_key}
    assert set(UserSession.objects.values_list("session_key", flat=True)) == keys
    log_in(phone, "township_a", new)
    keys.add(phone.session.session_key)
    edit = reverse("org:user_edit", args=[township_a.pk])
    form = {"full_name": "甲", "role": Role.TOWNSHIP, "scope": [tree.township_a.pk]}
    client_for(office).post(edit, form)  # is_active left out: disabled
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=township_a).exists()
    for client in (browser, phone):
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    # Enabled again, the old sessions stay ended.
    client_for(office).post(edit, {**form, "is_active": "on"})
    assert not is_logged_in(browser)
    township_a.refresh_from_db()
    assert township_a.is_active and township_a.reactivated_at is not None


def test_disabling_outside_the_office_pages_ends_sessions_too(township_a: User):
    client = Client()
    log_in(client, "township_a", PASSWORD)
    township_a.is_active = False
    township_a.save()
    assert not Session.objects.exists()
    assert not is_logged_in(client)


# Idle accounts


def test_the_nightly_job_disables_idle_accounts_once(tree: Tree, office: User, settings):
    settings.ACCOUNT_IDLE_DAYS = 90
    now = T0
    people: dict[str, dict[str, Any]] = {
        "recent": dict(last_login=now - timedelta(days=89)),
        "idle": dict(last_login=now - timedelta(days=91)),
        "never": dict(last_login=None, date_joined=now - timedelta(days=91)),
        "new": dict(last_login=None, date_joined=now - timedelta(days=3)),
        "reenabled": dict(
            last_login=now - timedelta(days=200), reactivated_at=now - timedelta(days=5)
        ),
    }
    idle_client = Client()
    for name, fields in people.items():
        user = services.user_create(
            username=name, password=PASSWORD, role=Role.TOWNSHIP, scope=[tree.township_a]
        )
        if name == "idle":
            idle_client.force_login(user)  # a session still open (login time is set below)
        User.objects.filter(pk=user.pk).update(**fields)
    User.objects.filter(pk=office.pk).update(last_login=now)
    with time_machine.travel(now, tick=False):
        assert services.users_disable_idle() == ["idle", "never"]
        state = dict(User.objects.values_list("username", "is_active"))
        assert tasks.disable_idle_accounts() == [], "the Celery task runs the same service"
        assert dict(User.objects.values_list("username", "is_active")) == state
    assert {name for name, active in state.items() if not active} == {"idle", "never"}
    assert not UserSession.objects.filter(user__username="idle").exists()
    assert not is_logged_in(idle_client)


def test_the_idle_accounts_command_reports_what_it_did(tree: Tree, township_a: User, settings):
    User.objects.filter(pk=township_a.pk).update(last_login=T0 - timedelta(days=120))
    with time_machine.travel(T0, tick=False):
        out = []
        for _ in range(2):
            call_command("disable_idle_accounts", stdout=(buffer := StringIO()))
            out.append(buffer.getvalue())
    assert "已停用 1 个超过 90 天未登录的账号：township_a" in out[0]
    assert "没有超过 90 天未登录的账号" in out[1]
    settings.ACCOUNT_IDLE_DAYS = 0
    User.objects.filter(pk=township_a.pk).update(is_active=True)
    call_command("disable_idle_accounts", stdout=StringIO())
    assert User.objects.get(pk=township_a.pk).is_active


def test_the_idle_accounts_job_is_scheduled_daily(plan, django_capture_on_commit_callbacks):
    from campaigns.schedule import schedule_sync

    schedule_sync()  # the campaigns' own entries are rewritten; this one is left alone
    entry = PeriodicTask.objects.select_related("crontab").get(name=IDLE_ACCOUNTS_ENTRY)
    assert entry.task == "org.disable_idle_accounts" and entry.enabled
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_month) == (
        "2",
        "30",
        "*",
    )
    assert str(entry.crontab.timezone) == "Asia/Shanghai"
    assert tasks.disable_idle_accounts.name == entry.task

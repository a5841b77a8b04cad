"""Receivers for the login policy, connected in OrgConfig.ready.

A login starts the session's clocks and records which session belongs to whom (org.UserSession),
so disabling an account can end every session it has; a logout removes the record. The nightly
idle-account job gets its beat entry after every migrate.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.db.models.signals import post_save

from .middleware import LOGIN_AT, REGISTERED_KEY, SEEN_AT
from .models import User, UserSession

IDLE_ACCOUNTS_TASK = "org.disable_idle_accounts"
# Not under campaigns' "打擂攻坚：" prefix: campaigns.schedule.schedule_sync owns those entries.
IDLE_ACCOUNTS_ENTRY = "账号：每日停用长期未登录的账号"


def session_started(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[LOGIN_AT] = session[SEEN_AT] = now
    key = session.session_key
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})
        session[REGISTERED_KEY] = key


def session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if key:
        UserSession.objects.filter(session_key=key).delete()


def user_saved(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    """A disabled account keeps no session, whoever disabled it (office page, admin, job)."""
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    from .services import user_sessions_end

    user_sessions_end(user_ids=[instance.pk])


def schedule_idle_accounts(
    sender: Any, apps: Any = None, using: str = "default", **kwargs: Any
) -> None:
    """Keep one daily beat entry for the idle-account job (02:30, the bureau's time)."""
    if apps is None:  # `flush` sends the signal without the migration state
        from django.apps import apps
    try:
        apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:  # django-celery-beat is not migrated yet
        return
    # The real models, not the migration state's: their save() tells a running beat to reload.
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.using(using).update_or_create(
        name=IDLE_ACCOUNTS_ENTRY,
        defaults={
            "task": IDLE_ACCOUNTS_TASK,
            "crontab": crontab,
            "interval": None,
            "kwargs": json.dumps({}),
            "enabled": True,
        },
    )


def connect(config: Any) -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import post_migrate

    user_logged_in.connect(session_started, dispatch_uid="org.session_started")
    user_logged_out.connect(session_ended, dispatch_uid="org.session_ended")
    post_save.connect(user_saved, sender=User, dispatch_uid="org.user_saved")
    post_migrate.connect(schedule_idle_accounts, sender=config, dispatch_uid="org.schedule")

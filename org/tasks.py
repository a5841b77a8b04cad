"""Celery tasks of org: thin wrappers over org.services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="org.disable_idle_accounts")
def disable_idle_accounts() -> list[str]:
    """Disable accounts idle for ACCOUNT_IDLE_DAYS (daily, entry kept by org.signals)."""
    return services.users_disable_idle()

"""The Celery app: broker from CELERY_BROKER_URL, tasks found in every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings.local")

app = Celery("minzheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

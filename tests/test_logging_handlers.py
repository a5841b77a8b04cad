"""Every log handler masks, Django's own included, under every settings module.

runserver's request lines (`django.server`) printed `GET /relief/?q=<full ID number>`; under
DEBUG `django.request` errors were printed twice, once unmasked; `mail_admins` had no filter.
Each settings module is loaded in a fresh interpreter, as Django configures logging at start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMBER = "371302194211111774"

PROBE = r"""
import json, logging, sys
import django
django.setup()
from org.logfilters import MaskPersonalData

loggers = [logging.getLogger()] + [
    l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)
]
handlers = {}
for logger in loggers:
    for handler in logger.handlers:
        if type(handler) is logging.NullHandler:
            continue  # writes nowhere (libraries' default)
        masked = any(isinstance(f, MaskPersonalData) for f in handler.filters)
        handlers[f"{logger.name}:{type(handler).__name__}"] = masked


def reaches_a_handler(logger):
    while logger:
        if logger.handlers:
            return True
        logger = logger.parent if logger.propagate else None
    return False


# A logger that reaches no handler has its warnings written by logging.lastResort, unfiltered.
handlers["lastResort"] = all(reaches_a_handler(l) for l in loggers if not l.disabled)
number = sys.argv[1]
# runserver's own request line, as its request handler logs it.
from django.core.servers.basehttp import WSGIRequestHandler
server = WSGIRequestHandler.__new__(WSGIRequestHandler)
server.request = None
server.log_message('"%s" %s %s', f"GET /relief/?q={number} HTTP/1.1", "200", "512")
try:
    raise ValueError(f"row {number}")
except ValueError:
    logging.getLogger("django.request").error("Internal Server Error: /relief/?q=%s", number,
                                              exc_info=True)
print(json.dumps(handlers))
"""

SETTINGS = {
    "minzheng.settings.local": {"DJANGO_DEBUG": "1"},
    "minzheng.settings.test": {},
    "minzheng.settings.production": {
        "DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnop-XYZ",
        "DJANGO_ALLOWED_HOSTS": "dalei.example.gov.cn",
    },
}


def run_probe(module: str) -> tuple[dict[str, bool], str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(SETTINGS[module], DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, NUMBER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.mark.parametrize("module", list(SETTINGS))
def test_every_handler_of_every_logger_masks(module: str):
    handlers, output = run_probe(module)
    assert handlers, "the console at least"
    unmasked = [name for name, masked in handlers.items() if not masked]
    assert not unmasked, f"handlers without the masking filter under {module}: {unmasked}"
    assert NUMBER not in output and NUMBER[6:14] not in output
    assert "371302********1774" in output, "the request line is still written, masked"


def test_runserver_s_request_lines_and_errors_are_written_once_under_debug():
    _handlers, output = run_probe("minzheng.settings.local")
    assert output.count("GET /relief/?q=371302********1774") == 1
    assert output.count("Internal Server Error: /relief/?q=371302********1774") == 1


def test_the_error_mail_is_masked(settings, mailoutbox):
    import logging

    from django.test import RequestFactory

    settings.ADMINS = [("运维", "ops@example.gov.cn")]
    settings.DEBUG = False
    request = RequestFactory().get(f"/relief/?q={NUMBER}")
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.get_full_path(), extra={"request": request}
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert NUMBER not in mail.subject and NUMBER not in mail.body
    assert "371302********1774" in mail.body

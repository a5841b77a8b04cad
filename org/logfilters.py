"""Nothing personal or secret reaches a log: ID numbers masked, passwords and session keys cut.

Attached to every handler in settings.LOGGING, so a message from Django, Celery or our own code
(an exception that quotes a spreadsheet cell, a request line with a query string) is cleaned
before it is written anywhere.
"""

from __future__ import annotations

import logging
import re

# An 18-character 居民身份证号码 standing alone: 17 digits and a digit or X.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# password=..., "password": "...", sessionid=..., csrftoken=... in query strings, dicts, cookies.
SECRET = re.compile(
    r"""(?i)((?:password\d?|passwd|secret|sessionid|session_key|csrftoken|csrfmiddlewaretoken)"""
    r"""['"]?\s*[:=]\s*['"]?)([^\s'",;&}]+)"""
)


def clean(text: str) -> str:
    text = ID_NUMBER.sub(r"\1********\2", text)
    return SECRET.sub(r"\1[已隐去]", text)


class MaskPersonalData(logging.Filter):
    """Rewrites the record's message once, with its arguments merged in, then cleans it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is, never dropped
            return True
        cleaned = clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = clean(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True

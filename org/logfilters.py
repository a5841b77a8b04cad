"""Nothing personal or secret reaches a log: ID numbers masked, passwords and session keys cut.

Attached to every handler in settings.LOGGING, so a message from Django, Celery or our own code
(an exception that quotes a spreadsheet cell, a request line with a query string) is cleaned
before it is written anywhere.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from django.utils.log import AdminEmailHandler

# A 居民身份证号码 however it is typed: 18 characters (17 digits and a digit or X) or the old 15
# digits, in ASCII or full-width digits, with a space, a tab or a dash of any kind between
# groups ("371302 19421111 1774", "371302-19421111-1774", "３７１３０２…"), standing alone.
_SEP = "[ \t\u3000\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]?"
_DIGIT = "[0-9\uff10-\uff19]"
_LAST = "[0-9\uff10-\uff19XxＸｘ]"
ID_NUMBER = re.compile(
    f"(?<![0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])"
    f"({_DIGIT}(?:{_SEP}{_DIGIT}){{16}}{_SEP}{_LAST}|{_DIGIT}(?:{_SEP}{_DIGIT}){{14}})"
    f"(?![0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])"
)
_NOT_DIGIT = re.compile(r"[^0-9X]")


def _masked(match: re.Match[str]) -> str:
    number = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", match.group()).upper())
    return f"{number[:6]}********{number[-4:]}"


def mask_id_numbers(text: str) -> str:
    """`text` with every ID number in it, however typed, as its first 6 and last 4 characters
    (the rest of the text as it was): the one rule for logs and the audit trail."""
    return ID_NUMBER.sub(_masked, text)


# password=..., "password": "...", sessionid=..., csrftoken=... in query strings, dicts, cookies.
SECRET = re.compile(
    r"""(?i)((?:password\d?|passwd|secret|sessionid|session_key|csrftoken|csrfmiddlewaretoken)"""
    r"""['"]?\s*[:=]\s*['"]?)([^\s'",;&}]+)"""
)


def clean(text: str) -> str:
    text = mask_id_numbers(text)
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


class MaskedAdminEmailHandler(AdminEmailHandler):
    """Django's error mail, its subject and body (the traceback and the request's GET, POST
    and headers) masked like every log line before it is sent."""

    def send_mail(self, subject: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("html_message"):
            kwargs["html_message"] = clean(kwargs["html_message"])
        super().send_mail(clean(str(subject)), clean(str(message)), *args, **kwargs)

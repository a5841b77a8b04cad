"""Nothing personal or secret reaches a log: ID numbers masked, passwords and session keys cut.

Attached to every handler in settings.LOGGING, so a message from Django, Celery or our own code
(an exception that quotes a spreadsheet cell, a request line with a query string) is cleaned
before it is written anywhere.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from typing import Any

from django.utils.log import AdminEmailHandler

# A 居民身份证号码 however it is typed: 18 characters (17 digits and a digit or X) or the old 15
# digits, in any digits NFKC makes ASCII (full-width ３, 𝟑, ...), whole or in groups joined by up
# to three spaces, tabs or dashes ("371302 19421111 1774", "371302 - 19421111 - 1774").
# The text is matched as it is and only the number is rewritten, so the rest stays unchanged.
_DIGIT = (
    "0-9\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u24ea"
    "\uff10-\uff19\U0001d7ce-\U0001d7ff\U0001fbf0-\U0001fbf9"
)
_X = "Xx\uff38\uff58\u2169\u2179"  # X, ｘ, Ⅹ: NFKC makes them X or x
_SPACE_OR_DASH = (
    "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # every Unicode space, the tab
    "\\-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"  # hyphens, dashes, minus
)
_ALNUM = f"A-Za-z{_DIGIT}\uff21-\uff3a\uff41-\uff5a"
# A run of digit groups standing alone (no digit before it, no letter or digit after it), the
# last one perhaps ending in an X; the lookahead skips runs too short to hold a number, cheaply.
_RUN = re.compile(
    f"(?<![{_DIGIT}])(?=[{_DIGIT}{_SPACE_OR_DASH}]{{14}})"
    f"[{_DIGIT}]+(?:[{_SPACE_OR_DASH}]{{1,3}}[{_DIGIT}]+)*[{_X}]?(?![{_ALNUM}])"
)
_GROUP = re.compile(f"[{_DIGIT}]+[{_X}]?")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")
_MASK = "********"


def _born(number: str) -> bool:
    """Whether the birth date an ID number carries (YYYYMMDD, or YYMMDD in the 15-digit
    numbers of 19xx) is a real day."""
    if len(number) == 18:
        year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    else:
        year, month, day = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1850 <= year <= 2100


def _masked_run(run: re.Match[str]) -> str:
    """The run with every number in it masked.

    1. One group of 15 or 18 characters is a number by its shape alone (as it always was).
    2. Consecutive groups of two or more characters adding up to 15 or 18 are one only if they
       carry a real birth date, so a landline next to a mobile, two dates or a list of amounts
       stay as they are.
    3. From each group on, the longest number wins; the groups it took are not looked at again.
    """
    text = run.group()
    groups = list(_GROUP.finditer(text))
    normal = [unicodedata.normalize("NFKC", g.group()).upper() for g in groups]
    pieces, done, i = [], 0, 0
    while i < len(groups):
        found, number, single_digit = None, "", False
        for j in range(i, len(groups)):
            number += normal[j]
            single_digit = single_digit or len(normal[j]) < 2  # "1 2 3 4 …" counts
            if len(number) > 18:
                break
            if _ID_SHAPE.fullmatch(number) and (i == j or (not single_digit and _born(number))):
                found = j, number
        if found is None:
            i += 1
            continue
        j, number = found
        pieces += [text[done : groups[i].start()], f"{number[:6]}{_MASK}{number[-4:]}"]
        done, i = groups[j].end(), j + 1
    return "".join(pieces) + text[done:]


def mask_id_numbers(text: str) -> str:
    """`text` with every ID number in it, however typed, as its first 6 and last 4 characters
    (371302********1774), the rest as it was: the one rule for logs and the audit trail."""
    return _RUN.sub(_masked_run, text)


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

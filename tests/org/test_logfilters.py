"""No ID number, password or session key is written to a log, whoever logs it."""

from __future__ import annotations

import importlib
import io
import logging
from collections.abc import Iterator

import pytest

from minzheng.settings import base

ID_NUMBER = "371302199001011234"  # shape of a real number; the filter masks by shape


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose handler carries the filter exactly as base.LOGGING names it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = base.LOGGING["filters"]["personal_data"]["()"]
    module, _, name = spec.rpartition(".")
    handler.addFilter(getattr(importlib.import_module(module), name)())
    logger = logging.getLogger("dalei.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_every_configured_handler_masks_personal_data():
    assert base.LOGGING["handlers"], "the console at least"
    for name, handler in base.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    assert base.CELERY_WORKER_HIJACK_ROOT_LOGGER is False, "the worker logs through them too"


def test_it_masks_id_numbers_in_messages_arguments_and_tracebacks(log):
    logger, stream = log
    logger.info("导入第 3 行：身份证号 %s 重复", ID_NUMBER)
    logger.warning(f"cell B7={ID_NUMBER.lower()[:-1]}x; path=/relief/?q={ID_NUMBER}")
    try:
        raise ValueError(f"bad row {ID_NUMBER}")
    except ValueError:
        logger.exception("roster import failed")
    text = stream.getvalue()
    assert ID_NUMBER not in text and ID_NUMBER[:-1] not in text
    assert "371302********1234" in text, "the masked form stays, so staff can still find the row"
    assert "roster import failed" in text and "ValueError" in text


def test_it_cuts_passwords_and_session_keys(log):
    logger, stream = log
    logger.info("POST /login/ username=zhangsan&password=Secret-Pass-2020&next=/")
    logger.info("cookies %s", {"sessionid": "abcd1234efgh", "csrftoken": "tok123"})
    logger.info('{"password1": "Another-Pass-2020"}')
    text = stream.getvalue()
    for secret in ("Secret-Pass-2020", "abcd1234efgh", "tok123", "Another-Pass-2020"):
        assert secret not in text
    assert "username=zhangsan" in text and "[已隐去]" in text


def test_it_leaves_other_long_numbers_alone(log):
    logger, stream = log
    logger.info("period 20200401 report 12345 bytes 1234567890123456789012")
    assert "1234567890123456789012" in stream.getvalue(), "not an ID number: 22 digits"

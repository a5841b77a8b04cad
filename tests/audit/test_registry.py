"""Every URL says what it stands for in the audit trail: a new URL must be classified."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from audit.registry import RULES
from tests.conftest import Plan, Tree
from tests.org.test_url_access import ALL_URLS, target_for

NAMES = {name for name, _ in ALL_URLS}


def test_every_url_has_a_rule():
    missing = sorted(NAMES - set(RULES))
    assert not missing, f"classify these URLs in audit/registry.py (post / get action): {missing}"


def test_every_rule_names_a_url():
    assert not sorted(set(RULES) - NAMES), "audit/registry.py names URLs that are gone"


def test_the_rules_say_truly_which_urls_take_a_post(tree: Tree, plan: Plan, office, township_a):
    """A URL without a POST action answers a POST with 405; one with a POST action takes it."""
    client = Client(raise_request_exception=False)
    client.force_login(office)
    wrong = []
    for name, _ in ALL_URLS:
        rule = RULES.get(name)
        if rule is None or rule.signals:
            continue  # unclassified (the test above) or login / logout (the auth signals)
        url = reverse(name, kwargs=target_for(name, tree, township_a, plan))
        status = client.post(url, {}).status_code
        if (rule.post is None) != (status == 405):
            wrong.append(f"{name}: POST answered {status}, rule.post={rule.post!r}")
    assert not wrong, "\n".join(wrong)

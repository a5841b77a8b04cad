"""Every URL, walked as each persona: who is let in, who is sent away, and nothing written."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from org import services
from org.models import User
from tests.conftest import Plan, Tree, client_for

PUBLIC = {"login", "logout", "healthz"}
# Open without a login by design, each guarded by its own secret and tested where it is built.
TOKEN_PAGES = {"screen"}  # the meeting-room screen: a revocable display link (test_boards.py)
# A user's own password is theirs to change, whatever their role.
OWN_ACCOUNT = {"password_change", "password_change_done", "org:notice_list"}
# Read-only pages for the office alone: a leader is refused them (tests/audit/test_page.py).
# Bulk exports of personal data need the export permission, which leaders do not hold.
OFFICE_ONLY_PAGES = {"audit:event_list", "relief:person_export"}
# The desk of registrations held for review (身份证号核实): the 社会救助科 and the office; nobody
# else opens it.
RELIEF_DESK_PAGES = {"relief:claim_list", "relief:claim_detail"}


def walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin has its own staff check, tested by Django.
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


ALL_URLS = sorted(walk(get_resolver()), key=lambda item: item[0])


def target_for(
    name: str, tree: Tree, victim: User, plan: Plan, *, draft: bool = True
) -> dict[str, int]:
    """Fill a URL's ids with objects of township A's side (the victim's), or a draft plan."""
    pattern = dict(ALL_URLS)[name]
    if name == "screen":
        return {"token": "no-such-link"}
    if "pk" not in pattern.pattern.converters:
        return {}
    if name.startswith(("campaigns:bulletin_", "campaigns:summary_", "campaigns:assessment_")):
        return _campaign_document_target(name, tree, plan, draft)
    app = name.split(":", 1)[0]
    finders = {
        "campaigns": _campaigns_target,
        "org": _org_target,
        "relief": _relief_target,
        "eldercare": _eldercare_target,
    }
    if app not in finders:
        raise AssertionError(f"{name}: tell this test which object its id names")
    return finders[app](name, tree, victim, plan, draft)


def _campaign(plan: Plan, draft: bool) -> int:
    return (plan.draft if draft else plan.published).pk


def _campaign_document_target(name: str, tree: Tree, plan: Plan, draft: bool) -> dict[str, int]:
    if name.startswith("campaigns:bulletin_"):
        # A campaign that keeps peers' figures private: its bulletins stay with the bureau.
        from datetime import date

        from campaigns.services.dispatch import period_dispatch
        from campaigns.services.reporting import period_open

        type(plan.published).objects.filter(pk=plan.published.pk).update(peers_visible=False)
        may = period_open(campaign=plan.published, day=date(2020, 5, 15))
        return {"pk": period_dispatch(period=may).pk}
    if name.startswith("campaigns:summary_"):
        if name in ("campaigns:summary_list", "campaigns:summary_create"):
            return {"pk": _campaign(plan, draft)}
        # A published 季度小结 of a campaign that keeps peers' figures private.
        from datetime import date

        from campaigns.services.dispatch import period_dispatch
        from campaigns.services.quarterly import quarter_summarize, summary_publish
        from campaigns.services.reporting import period_open

        type(plan.published).objects.filter(pk=plan.published.pk).update(peers_visible=False)
        for month in (4, 5, 6):
            period_dispatch(period=period_open(campaign=plan.published, day=date(2020, month, 1)))
        summary = quarter_summarize(plan.published, 2020, 2)
        office = User.objects.get(username="office")
        return {"pk": summary_publish(bulletin=summary, user=office).pk}
    if name == "campaigns:assessment_adjustment_delete":
        from campaigns.services.assessment import adjustment_add

        office = User.objects.get(username="office")
        item = adjustment_add(plan.published, 2020, tree.township_a, "2", "经验推广", office)
        return {"pk": item.pk}
    return {"pk": _campaign(plan, draft), "year": 2020}  # campaigns:assessment_*


def _campaigns_target(
    name: str, tree: Tree, victim: User, plan: Plan, draft: bool
) -> dict[str, int]:
    if name in ("campaigns:report_template", "campaigns:report_upload"):
        return {"pk": plan.period.pk, "unit_pk": tree.township_a.pk}
    if name == "campaigns:reports_bulk_upload":
        return {"pk": plan.period.pk}
    if name.startswith("campaigns:report_") or name == "campaigns:evidence_upload":
        return {"pk": plan.report_a.pk}
    if name.startswith("campaigns:evidence_"):
        return {"pk": plan.evidence_a.pk}
    if name.startswith("campaigns:period_"):
        return {"pk": plan.period.pk}
    if name.startswith("campaigns:task_") and name != "campaigns:task_create":
        return {"pk": plan.task_a.pk}
    if name.startswith("campaigns:indicator_") and name != "campaigns:indicator_create":
        return {"pk": plan.indicator_a.pk}
    if name == "campaigns:indicator_create":
        return {"pk": plan.task_a.pk}
    return {"pk": _campaign(plan, draft)}


def _org_target(name: str, tree: Tree, victim: User, plan: Plan, draft: bool) -> dict[str, int]:
    if name.startswith("org:unit"):
        return {"pk": tree.community_a1.pk}
    if name.startswith("org:leader"):
        leader = services.leader_save(name="甲领导", unit=tree.bureau)
        return {"pk": leader.pk}
    if name.startswith("org:user"):
        return {"pk": victim.pk}
    raise AssertionError(f"{name}: tell this test which object its id names")


def _relief_target(name: str, tree: Tree, victim: User, plan: Plan, draft: bool) -> dict[str, int]:
    from tests.relief import factories as relief_factories

    if name == "relief:claim_detail":
        return {"pk": relief_factories.claim(victim, tree.township_b).pk}

    person = relief_factories.person(
        tree.township_a, community=tree.community_a1, household_number="A-0001"
    )
    return {"pk": person.household_id if "household" in name else person.pk}


def _eldercare_target(
    name: str, tree: Tree, victim: User, plan: Plan, draft: bool
) -> dict[str, int]:
    from tests.eldercare import factories as eldercare_factories

    if name.startswith("eldercare:facility"):
        return {"pk": eldercare_factories.facility(tree.community_a1).pk}
    if name.startswith("eldercare:centre"):
        return {"pk": eldercare_factories.centre(tree.township_a).pk}
    if name == "eldercare:post_photo":
        return {"pk": eldercare_factories.post(tree.institution_a).pk}
    eldercare_factories.institution(tree.institution_a)
    return {"pk": tree.institution_a.pk}


# Rows that a refused request may rightly leave behind: the audit trail of the refusal, the
# login lockout counters and the session tables.
NOT_STATE = ("audit_", "axes_", "django_session", "org_usersession")


def db_fingerprint() -> str:
    """A digest of every row of every table but NOT_STATE: equal digests, unchanged database."""
    digest = hashlib.sha256()
    tables = sorted(
        t for t in connection.introspection.table_names() if not t.startswith(NOT_STATE)
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            digest.update(table.encode() + repr(sorted(map(repr, cursor.fetchall()))).encode())
    return digest.hexdigest()


def test_it_knows_every_url_pattern():
    names = {name for name, _ in ALL_URLS}
    assert {"home", "org:unit_detail", "org:user_edit", "org:leader_edit"} <= names


@pytest.mark.parametrize("name", [n for n, _ in ALL_URLS if n not in PUBLIC | TOKEN_PAGES])
def test_it_sends_anonymous_visitors_to_login_everywhere(
    client, tree: Tree, township_a, plan: Plan, name
):
    url = reverse(name, kwargs=target_for(name, tree, township_a, plan))
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for n, p in ALL_URLS if "pk" in p.pattern.converters])
def test_it_never_shows_township_a_to_township_b(
    tree: Tree, township_a, township_b, plan: Plan, name
):
    url = reverse(name, kwargs=target_for(name, tree, township_a, plan))
    client = client_for(township_b)
    before = db_fingerprint()
    for method in ("get", "post"):
        response = getattr(client, method)(url, {"name": "改名", "full_name": "改名"})
        # 405 (a method the page never takes) is refused before any lookup, so it confirms nothing.
        allowed = (404, 405)
        assert response.status_code in allowed, f"{method} {url}: {response.status_code}"
        assert "甲一社区" not in response.content.decode()
    assert before == db_fingerprint(), f"a refused request changed the database: {url}"


# The pages target_for fills with the institution's own objects (its 四赛 page, its 六晒 photo).
INSTITUTIONS_OWN = {"eldercare:post_photo"} | {
    n for n, _ in ALL_URLS if n.startswith("eldercare:institution")
}


@pytest.mark.parametrize(
    "name",
    [n for n, p in ALL_URLS if "pk" in p.pattern.converters and n not in INSTITUTIONS_OWN],
)
def test_it_never_shows_township_a_to_an_institution_inside_it(
    tree: Tree, township_a, institution, plan: Plan, name
):
    """The institution stands under 甲街道 but sees only itself: the township's reports, plans,
    people, communities and users are out of its scope, and refused writes change nothing."""
    url = reverse(name, kwargs=target_for(name, tree, township_a, plan))
    client = client_for(institution)
    before = db_fingerprint()
    for method in ("get", "post"):
        response = getattr(client, method)(url, {"name": "改名", "full_name": "改名"})
        assert response.status_code in (403, 404, 405), f"{method} {url}: {response.status_code}"
        assert "甲一社区" not in response.content.decode()
    assert before == db_fingerprint(), f"a refused request changed the database: {url}"


@pytest.mark.parametrize(
    "name", [n for n, _ in ALL_URLS if n not in PUBLIC | OWN_ACCOUNT | TOKEN_PAGES]
)
def test_it_lets_a_leader_read_but_never_write(tree: Tree, leader, township_a, plan: Plan, name):
    url = reverse(name, kwargs=target_for(name, tree, township_a, plan, draft=False))
    client = client_for(leader)
    before = db_fingerprint()
    response = client.post(url, {"name": "改名", "kind": "community", "parent": tree.bureau.pk})
    assert response.status_code in (403, 404, 405), f"{url}: {response.status_code}"
    assert before == db_fingerprint(), f"a refused write changed the database: {url}"
    get = client.get(url)
    writes = (
        "new",
        "edit",
        "password",
        "create",
        "import",
        "review",
        "publish",
        "delete",
        "targets",
        "history",
        "resolve",
        "open",
        "upload",
        "close",
        "remind",
        "dispatch",
        "links",
    )
    if (
        any(word in name for word in writes)
        or name.startswith("org:user")
        or name in OFFICE_ONLY_PAGES | RELIEF_DESK_PAGES
    ):
        assert get.status_code in (403, 404, 405), url
    else:
        # The menu's 擂台榜 forwards to the board of the only published plan.
        assert (
            get.status_code in (200, 302) if name == "campaigns:boards" else get.status_code == 200
        ), url


# The meeting-room screen notes when it was last seen (shown on the office's link list).
GET_STAMPS = {"screen"}


@pytest.mark.parametrize("role", ["office", "township_a"])
def test_a_get_never_changes_anything(request, tree: Tree, plan: Plan, role):
    """Every URL, GET, by the role that may do most (the office) and by a reporting township."""
    user = request.getfixturevalue(role)
    township_a = request.getfixturevalue("township_a")
    client = client_for(user)
    for name, _ in ALL_URLS:
        if name in GET_STAMPS | {"logout"}:
            continue
        url = reverse(name, kwargs=target_for(name, tree, township_a, plan, draft=False))
        before = db_fingerprint()
        client.get(url)
        assert before == db_fingerprint(), f"GET {url} changed the database"


def test_every_state_change_needs_the_csrf_token(tree: Tree, plan: Plan, office, township_a):
    """A POST without the token is refused everywhere, even for the office, and changes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    anonymous = Client(enforce_csrf_checks=True)
    for name, _ in ALL_URLS:
        url = reverse(name, kwargs=target_for(name, tree, township_a, plan))
        before = db_fingerprint()
        response = (anonymous if name in PUBLIC else client).post(url, {"name": "改名"})
        assert response.status_code in (403, 405), f"POST {url}: {response.status_code}"
        assert before == db_fingerprint(), f"POST {url} without a token changed the database"

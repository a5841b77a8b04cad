"""Which audit action every URL stands for, by URL name.

Every named URL is listed (tests/audit/test_registry.py fails on a new one that is not):
`post` is the action of a POST (None: the page takes no POST, or its POST is recorded
elsewhere, as logins are); `get` is the action of a GET worth a row (the downloads: exports of
data, evidence files); `model` is what the URL's pk names, or what a create makes; `parent` is
set when the pk names the container a create adds to (a task's campaign). Refused requests
(403, 404) are recorded for every URL, whatever its rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import ResolverMatch

from .models import Action

ActionFor = str | Callable[[HttpRequest], str] | None


@dataclass(frozen=True)
class Rule:
    model: str = ""
    post: ActionFor = None
    get: str | None = None
    parent: str = ""  # the pk names this container; the created object comes from the redirect
    renders: bool = False  # a 200 answer to its POST is the result page, not the form again
    fields: tuple[str, ...] = ()  # POST fields copied into the row's detail (reasons, choices)
    signals: bool = field(default=False)  # its POST is recorded by the auth signals

    def action_for(self, request: HttpRequest) -> str | None:
        return self.post(request) if callable(self.post) else self.post


def _report_save(request: HttpRequest) -> str:
    return Action.SUBMIT if "submit" in request.POST else Action.UPDATE


def _report_review(request: HttpRequest) -> str:
    return Action.ACCEPT if request.POST.get("decision") == "accept" else Action.RETURN


def _claim_decision(request: HttpRequest) -> str:
    return Action.ACCEPT if request.POST.get("decision") == "accept" else Action.RETURN


READ = Rule()
CREATE, UPDATE, DELETE, EXPORT = Action.CREATE, Action.UPDATE, Action.DELETE, Action.EXPORT

RULES: dict[str, Rule] = {
    # Project pages
    "home": READ,
    "login": Rule("org.user", signals=True),
    "logout": Rule("org.user", signals=True),
    "password_change": Rule("org.user", post=UPDATE),
    "password_change_done": READ,
    "screen": Rule("campaigns.displaylink"),
    "healthz": READ,  # the load balancer's probe: no login, no data
    # org
    "org:unit_list": READ,
    "org:unit_create": Rule("org.unit", post=CREATE),
    "org:unit_detail": Rule("org.unit"),
    "org:unit_edit": Rule("org.unit", post=UPDATE),
    "org:leader_list": READ,
    "org:leader_create": Rule("org.leader", post=CREATE),
    "org:leader_edit": Rule("org.leader", post=UPDATE),
    "org:notice_list": Rule("org.notice", post=UPDATE),
    "org:user_list": READ,
    "org:user_create": Rule("org.user", post=CREATE),
    "org:user_edit": Rule("org.user", post=UPDATE),
    "org:user_password": Rule("org.user", post=UPDATE),
    "org:user_unlock": Rule("org.user", post=UPDATE),
    # campaigns: the plan
    "campaigns:campaign_list": READ,
    "campaigns:campaign_create": Rule("campaigns.campaign", post=CREATE),
    "campaigns:campaign_import": Rule("campaigns.campaign", post=Action.IMPORT),
    "campaigns:campaign_detail": Rule("campaigns.campaign"),
    "campaigns:campaign_edit": Rule("campaigns.campaign", post=UPDATE),
    "campaigns:campaign_review": Rule("campaigns.campaign"),
    "campaigns:campaign_resolve_name": Rule("campaigns.campaign", post=UPDATE),
    "campaigns:campaign_resolve_all_partners": Rule("campaigns.campaign", post=UPDATE),
    "campaigns:campaign_publish": Rule("campaigns.campaign", post=Action.PUBLISH),
    "campaigns:campaign_matrix": Rule("campaigns.campaign"),
    "campaigns:campaign_export": Rule("campaigns.campaign", get=EXPORT),
    "campaigns:campaign_history": Rule("campaigns.campaign"),
    "campaigns:task_create": Rule("campaigns.task", post=CREATE, parent="campaigns.campaign"),
    "campaigns:task_edit": Rule("campaigns.task", post=UPDATE),
    "campaigns:task_delete": Rule("campaigns.task", post=DELETE, fields=("reason",)),
    "campaigns:indicator_create": Rule("campaigns.indicator", post=CREATE, parent="campaigns.task"),
    "campaigns:indicator_edit": Rule("campaigns.indicator", post=UPDATE),
    "campaigns:indicator_delete": Rule("campaigns.indicator", post=DELETE, fields=("reason",)),
    "campaigns:indicator_targets": Rule("campaigns.indicator", post=UPDATE),
    # campaigns: the month
    "campaigns:my_reports": READ,
    "campaigns:report_detail": Rule("campaigns.report", post=_report_save),
    "campaigns:report_review": Rule(
        "campaigns.report", post=_report_review, fields=("decision", "reason", "field")
    ),
    "campaigns:report_reopen": Rule(
        "campaigns.report", post=Action.REOPEN, fields=("reason", "until")
    ),
    "campaigns:evidence_upload": Rule("campaigns.evidence", post=CREATE, parent="campaigns.report"),
    "campaigns:evidence_file": Rule("campaigns.evidence", get=EXPORT),
    # Thumbnails are drawn inside the report page: not a download of their own.
    "campaigns:evidence_thumb": Rule("campaigns.evidence"),
    "campaigns:evidence_delete": Rule("campaigns.evidence", post=DELETE, fields=("reason",)),
    "campaigns:period_open": Rule("campaigns.period", post=CREATE, fields=("month",)),
    "campaigns:period_detail": Rule("campaigns.period"),
    "campaigns:period_close": Rule("campaigns.period", post=Action.CLOSE),
    "campaigns:period_remind": Rule("campaigns.period", post=Action.REMIND),
    "campaigns:period_dispatch": Rule("campaigns.period", post=Action.DISPATCH),
    # campaigns: boards and documents
    "campaigns:boards": READ,
    "campaigns:board": Rule("campaigns.campaign"),
    "campaigns:display_links": Rule(
        "campaigns.displaylink",
        post=lambda r: UPDATE if r.POST.get("revoke") else CREATE,
        parent="campaigns.campaign",
        fields=("revoke", "label"),
    ),
    "campaigns:bulletin_list": READ,
    "campaigns:bulletin_detail": Rule("campaigns.bulletin"),
    "campaigns:bulletin_docx": Rule("campaigns.bulletin", get=EXPORT),
    "campaigns:bulletin_xlsx": Rule("campaigns.bulletin", get=EXPORT),
    "campaigns:summary_list": Rule("campaigns.campaign"),
    "campaigns:summary_create": Rule(
        "campaigns.bulletin", post=CREATE, parent="campaigns.campaign", fields=("quarter",)
    ),
    "campaigns:summary_detail": Rule("campaigns.bulletin"),
    "campaigns:summary_edit": Rule("campaigns.bulletin", post=UPDATE),
    "campaigns:summary_publish": Rule("campaigns.bulletin", post=Action.PUBLISH),
    "campaigns:assessment_detail": Rule("campaigns.campaign"),
    "campaigns:assessment_create": Rule(
        "campaigns.assessment", post=CREATE, parent="campaigns.campaign"
    ),
    "campaigns:assessment_adjustment_create": Rule(
        "campaigns.adjustmentitem",
        post=CREATE,
        parent="campaigns.campaign",
        fields=("unit", "points", "reason"),
    ),
    "campaigns:assessment_adjustment_delete": Rule(
        "campaigns.adjustmentitem", post=DELETE, fields=("reason",)
    ),
    "campaigns:assessment_xlsx": Rule("campaigns.campaign", get=EXPORT),
    "campaigns:assessment_docx": Rule("campaigns.campaign", get=EXPORT),
    "campaigns:report_template": Rule("campaigns.period", get=EXPORT),
    "campaigns:report_upload": Rule("campaigns.period", post=Action.IMPORT, fields=("mode",)),
    "campaigns:reports_bulk_upload": Rule(
        "campaigns.period", post=Action.IMPORT, renders=True, fields=("mode",)
    ),
    # relief
    "relief:person_list": READ,
    "relief:person_export": Rule("relief.person", get=EXPORT),
    "relief:roster_import": Rule("relief.person", post=Action.IMPORT),
    "relief:roster_template": READ,  # the empty template carries no one's data
    "relief:person_create": Rule("relief.person", post=CREATE),
    # The POST that shows the full ID number; the view marks the row a success when it did.
    "relief:person_detail": Rule("relief.person", post=Action.VIEW_ID, fields=("reason",)),
    "relief:person_edit": Rule("relief.person", post=UPDATE),
    "relief:person_support_edit": Rule("relief.person", post=UPDATE),
    "relief:visit_create": Rule("relief.visit", post=CREATE, parent="relief.person"),
    "relief:aid_create": Rule("relief.temporaryaid", post=CREATE, parent="relief.person"),
    "relief:caregiver_create": Rule("relief.caregiver", post=CREATE, parent="relief.person"),
    "relief:household_list": READ,
    "relief:household_detail": Rule("relief.household"),
    # 身份证号核实: the section's desk; a POST on a claim is its decision (同意 / 不予登记).
    "relief:claim_list": READ,
    "relief:claim_detail": Rule(
        "relief.idclaim", post=_claim_decision, fields=("decision", "effective", "note")
    ),
    # eldercare (an institution's pk is its unit's)
    "eldercare:index": READ,
    "eldercare:institution_detail": Rule("eldercare.institution"),
    "eldercare:institution_edit": Rule("eldercare.institution", post=UPDATE),
    "eldercare:institution_displays": Rule(
        "eldercare.displaypost", post=CREATE, parent="eldercare.institution"
    ),
    "eldercare:inspection_create": Rule(
        "eldercare.inspection", post=CREATE, parent="eldercare.institution"
    ),
    # 六晒 photos are drawn inside the institution's pages.
    "eldercare:post_photo": Rule("eldercare.displaypost"),
    "eldercare:facility_list": READ,
    "eldercare:facility_create": Rule("eldercare.communityfacility", post=CREATE),
    "eldercare:facility_edit": Rule("eldercare.communityfacility", post=UPDATE),
    "eldercare:centre_list": READ,
    "eldercare:centre_create": Rule("eldercare.comprehensivecentre", post=CREATE),
    "eldercare:centre_edit": Rule("eldercare.comprehensivecentre", post=UPDATE),
    # audit
    "audit:event_list": READ,
}

ADMIN_ACTIONS = {"add": CREATE, "change": UPDATE, "delete": DELETE}


def rule_for(match: ResolverMatch | None) -> Rule | None:
    """The rule of a resolved URL; Django admin pages are read from their model admin."""
    if match is None:
        return None
    if match.view_name in RULES:
        return RULES[match.view_name]
    if match.view_name.startswith("admin:"):
        model_admin = getattr(match.func, "model_admin", None)
        model = model_admin.model._meta.label_lower if model_admin is not None else ""
        op = match.view_name.rpartition("_")[2]
        return Rule(model, post=ADMIN_ACTIONS.get(op, UPDATE))
    return None

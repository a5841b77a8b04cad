"""Bulletin downloads, the quarterly summary (季度小结) and the year-end assessment (年终考核).

Access: a bulletin's files follow the bulletin (`get_bulletin_for_user`), and a summary the office
has not published yet is the office's alone (404 for everyone else). Summary lists are for the
bureau's own staff; the assessment is read by leaders and the office and kept by the office.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from org.current import acting_user as _user
from org.models import Role, User
from org.shortcuts import download_response, workbook_response

from .. import documents
from ..documents.quarterly import contest_charts
from ..documents.typesetting import text_blocks
from ..documents.wording import issue_text
from ..models import Bulletin, BulletinKind, Campaign, CampaignStatus
from ..selectors import plan as plan_selectors
from ..selectors import ranking as ranking_selectors
from ..services import assessment as assessment_services
from ..services import quarterly as quarterly_services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STAFF = (Role.LEADER, Role.OFFICE, Role.SECTION)
ASSESSMENT_READERS = (Role.LEADER, Role.OFFICE)


def _bulletin(user: User, pk: int, *, quarterly: bool = False) -> Bulletin:
    """The bulletin if the user may see it; an unpublished summary only for the office."""
    bulletin = ranking_selectors.get_bulletin_for_user(user, pk)
    if bulletin.published_at is None and not plan_selectors.can_manage_campaign(
        user, bulletin.campaign
    ):
        raise Http404("通报不存在或无权查看")
    if quarterly and bulletin.kind != BulletinKind.QUARTERLY:
        raise Http404("季度小结不存在")
    return bulletin


def _campaign(user: User, pk: int, roles: tuple[str, ...]) -> Campaign:
    campaign = plan_selectors.get_campaign_for_user(user, pk)
    if user.role not in roles or campaign.status != CampaignStatus.PUBLISHED:
        raise Http404("方案不存在或无权查看")
    return campaign


def _filename(bulletin: Bulletin, ext: str) -> str:
    issue = bulletin.content.get("issue", issue_text(bulletin.number))
    return f"{bulletin.title}（{issue}）.{ext}"


@require_GET
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(_user(request), pk)
    return download_response(documents.bulletin_docx(bulletin), _filename(bulletin, "docx"), DOCX)


@require_GET
def bulletin_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(_user(request), pk)
    return workbook_response(documents.bulletin_xlsx(bulletin), _filename(bulletin, "xlsx"))


# 季度小结


@require_GET
def summary_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = _campaign(user, pk, STAFF)
    office = plan_selectors.can_manage_campaign(user, campaign)
    summaries = campaign.bulletins.filter(kind=BulletinKind.QUARTERLY).order_by(
        "-period__starts", "-revision"
    )
    if not office:
        summaries = summaries.exclude(published_at=None)
    return render(
        request,
        "campaigns/summary_list.html",
        {
            "campaign": campaign,
            "summaries": summaries,
            "quarters": quarterly_services.campaign_quarters(campaign),
            "can_run": office,
        },
    )


@require_POST
def summary_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = _campaign(user, pk, STAFF)
    if not plan_selectors.can_manage_campaign(user, campaign):
        raise PermissionDenied("只有局办公室可以做季度小结")
    try:
        year, quarter = quarterly_services.parse_quarter(request.POST.get("quarter", ""))
        before = campaign.bulletins.filter(kind=BulletinKind.QUARTERLY).count()
        summary = quarterly_services.quarter_summarize(campaign, year, quarter, user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("campaigns:summary_list", pk=campaign.pk)
    if campaign.bulletins.filter(kind=BulletinKind.QUARTERLY).count() == before:
        messages.info(request, "数据没有变化，季度小结保持不变")
    else:
        messages.success(request, "已生成季度小结初稿，请修改正文后发布")
    return redirect("campaigns:summary_detail", pk=summary.pk)


@require_GET
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from ..documents.charts import data_uri  # matplotlib loads only for this page

    user = _user(request)
    bulletin = _bulletin(user, pk, quarterly=True)
    office = plan_selectors.can_manage_campaign(user, bulletin.campaign)
    c = bulletin.content
    revisions = Bulletin.objects.filter(
        period=bulletin.period, kind=BulletinKind.QUARTERLY
    ).order_by("revision")
    if not office:
        revisions = revisions.exclude(published_at=None)
    return render(
        request,
        "campaigns/summary_detail.html",
        {
            "bulletin": bulletin,
            "c": c,
            "trends": [
                (contest, data_uri(png))
                for contest, png in zip(c["contests"], contest_charts(c), strict=True)
            ],
            "can_edit": office and bulletin.published_at is None,
            "revisions": revisions,
            "blocks": text_blocks(bulletin.text or c["draft_text"]),
        },
    )


@require_POST
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    bulletin = _bulletin(user, pk, quarterly=True)
    try:
        quarterly_services.summary_text_save(
            bulletin=bulletin, text=request.POST.get("text", ""), user=user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "小结正文已保存")
    return redirect("campaigns:summary_detail", pk=bulletin.pk)


@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    bulletin = _bulletin(user, pk, quarterly=True)
    try:
        quarterly_services.summary_publish(bulletin=bulletin, user=user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"《{bulletin.title}》已发布")
    return redirect("campaigns:summary_detail", pk=bulletin.pk)


# 年终考核


def _assessment_campaign(user: User, pk: int, year: int) -> Campaign:
    campaign = _campaign(user, pk, ASSESSMENT_READERS)
    if not campaign.start.year <= year <= campaign.end.year:
        raise Http404("该年度不在方案期限内")
    return campaign


@require_GET
def assessment_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    user = _user(request)
    campaign = _assessment_campaign(user, pk, year)
    return render(
        request,
        "campaigns/assessment_detail.html",
        {
            **documents.assessment_table(campaign, year),
            "can_manage": plan_selectors.can_manage_campaign(user, campaign),
            "units": documents.assessable_units(campaign),
            "max_points": assessment_services.MAX_POINTS,
        },
    )


@require_POST
def assessment_create(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    user = _user(request)
    campaign = _assessment_campaign(user, pk, year)
    if not plan_selectors.can_manage_campaign(user, campaign):
        raise PermissionDenied("只有局办公室可以进行年终考核")
    try:
        rows = assessment_services.year_assess(campaign, year)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已完成{year}年度考核，共 {len(rows)} 个单位")
    return redirect("campaigns:assessment_detail", pk=campaign.pk, year=year)


@require_POST
def assessment_adjustment_create(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    user = _user(request)
    campaign = _assessment_campaign(user, pk, year)
    if not plan_selectors.can_manage_campaign(user, campaign):
        raise PermissionDenied("只有局办公室可以录入加扣分")
    unit = documents.assessable_units(campaign).filter(pk=request.POST.get("unit") or 0).first()
    try:
        if unit is None:
            raise ValidationError("请选择单位")
        assessment_services.adjustment_add(
            campaign,
            year,
            unit,
            request.POST.get("points", ""),
            request.POST.get("reason", ""),
            user,
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已为{unit.name}录入加扣分")
    return redirect("campaigns:assessment_detail", pk=campaign.pk, year=year)


@require_POST
def assessment_adjustment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = documents.get_adjustment_for_user(user, pk)
    try:
        assessment_services.adjustment_remove(
            item=item, user=user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已删除该加扣分项")
    return redirect("campaigns:assessment_detail", pk=item.campaign_id, year=item.year)


@require_GET
def assessment_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    campaign = _assessment_campaign(_user(request), pk, year)
    table = documents.assessment_table(campaign, year)
    return workbook_response(documents.assessment_xlsx(table), f"{table['title']}.xlsx")


@require_GET
def assessment_docx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    campaign = _assessment_campaign(_user(request), pk, year)
    table = documents.assessment_table(campaign, year)
    return download_response(documents.assessment_docx(table), f"{table['title']}.docx", DOCX)

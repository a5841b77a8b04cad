"""擂台榜 for the bureau, and the meeting-room screen (大屏) opened by a display link."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from org.current import acting_user as _user
from org.models import Role

from ..models import CampaignStatus, DisplayLink, Period
from ..selectors import plan as plan_selectors
from ..selectors.boards import board_for

BOARD_ROLES = (Role.LEADER, Role.OFFICE, Role.SECTION)


@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = plan_selectors.get_campaign_for_user(user, pk)
    if user.role not in BOARD_ROLES:
        raise PermissionDenied("擂台榜供局领导、局办公室和科室查看；本单位的名次在首页")
    period = None
    if chosen := request.GET.get("period"):
        period = Period.objects.filter(
            campaign=campaign, pk=chosen if chosen.isdigit() else 0
        ).first()
        if period is None:
            raise Http404("没有这个调度期")
    return render(
        request,
        "campaigns/board.html",
        {
            "board": board_for(campaign, period),
            "campaign": campaign,
            "can_manage": plan_selectors.can_manage_campaign(user, campaign),
        },
    )


@login_not_required
@require_GET
def screen(request: HttpRequest, token: str) -> HttpResponse:
    """The board, full screen, for whoever holds a live display link; nothing else is reachable."""
    link = (
        DisplayLink.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("campaign")
        .first()
    )
    if link is None:
        raise Http404("大屏链接无效或已停用")
    DisplayLink.objects.filter(pk=link.pk).update(last_seen_at=timezone.now())
    response = render(request, "campaigns/screen.html", {"board": board_for(link.campaign)})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def display_links(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = plan_selectors.get_campaign_for_user(user, pk, write=True)
    if request.method == "POST":
        if revoke := request.POST.get("revoke"):
            count = DisplayLink.objects.filter(
                campaign=campaign, pk=revoke if revoke.isdigit() else 0, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            messages.success(
                request, "链接已停用，打开它的大屏将不再显示" if count else "链接已是停用状态"
            )
        else:
            label = (request.POST.get("label") or "").strip()[:100] or "会议室大屏"
            DisplayLink.objects.create(
                campaign=campaign, label=label, token=secrets.token_urlsafe(24), created_by=user
            )
            messages.success(request, f"已生成“{label}”的大屏链接")
        return redirect("campaigns:display_links", pk=campaign.pk)
    return render(
        request,
        "campaigns/display_links.html",
        {"campaign": campaign, "links": campaign.display_links.select_related("created_by")},
    )


@require_GET
def boards_home(request: HttpRequest) -> HttpResponse:
    """The menu's 擂台榜: the board of the newest published plan (a list when there are more)."""
    user = _user(request)
    if user.role not in BOARD_ROLES:
        raise PermissionDenied("擂台榜供局领导、局办公室和科室查看；本单位的名次在首页")
    campaigns = list(
        plan_selectors.campaigns_visible_to(user)
        .filter(status=CampaignStatus.PUBLISHED)
        .order_by("-year", "-published_at")
    )
    if len(campaigns) == 1:
        return redirect("campaigns:board", pk=campaigns[0].pk)
    return render(request, "campaigns/boards_home.html", {"campaigns": campaigns})

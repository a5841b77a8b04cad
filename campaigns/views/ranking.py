"""Bulletins and the dispatch button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from org.current import acting_user as _user

from ..models import BulletinKind
from ..selectors import ranking as selectors
from ..selectors import reporting as reporting_selectors
from ..services.dispatch import period_dispatch


@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    bulletins = selectors.bulletins_visible_to(_user(request)).order_by("-issued_on", "-id")
    return render(request, "campaigns/bulletin_list.html", {"bulletins": bulletins})


@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.get_bulletin_for_user(_user(request), pk)
    if bulletin.kind == BulletinKind.QUARTERLY:
        return redirect("campaigns:summary_detail", pk=bulletin.pk)
    return render(
        request,
        "campaigns/bulletin_detail.html",
        {"bulletin": bulletin, "c": bulletin.content, "corrections": bulletin.corrections.all()},
    )


@require_POST
def period_dispatch_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = reporting_selectors.get_period_for_user(user, pk)
    if not reporting_selectors.can_run_periods(user, period):
        raise PermissionDenied("只有局办公室可以调度")
    before = period.bulletins.count()
    bulletin = period_dispatch(period=period, user=user)
    if period.bulletins.count() == before:
        messages.info(request, "数据没有变化，通报保持不变")
    else:
        messages.success(request, f"已印发《{bulletin.title}》{bulletin.content['issue']}")
    return redirect("campaigns:bulletin_detail", pk=bulletin.pk)

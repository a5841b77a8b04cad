"""Who may download a unit's template and who may upload it: the checks every Excel path calls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.access import MANAGE, REPORT, get_or_404, has_unit_perm, home_bureaus, units_visible_to
from org.models import Role, Unit, User

from ..models import CampaignStatus, Period
from ..selectors.reporting import reports_visible_to


def may_upload(user: User, unit: Unit) -> bool:
    """The unit's own reporting staff, or the office that manages it."""
    if user.role in (Role.TOWNSHIP, Role.INSTITUTION) and has_unit_perm(user, unit, REPORT):
        return True
    return user.role == Role.OFFICE and has_unit_perm(user, unit, MANAGE)


def get_template_target(
    user: User, period_pk: Any, unit_pk: Any, *, upload: bool = False
) -> tuple[Period, Unit]:
    """The period and unit of a template: 404 unless the user sees the unit's reports of the
    period (its own staff, the bureau's office and leaders), 403 to upload without the right."""
    missing = "调度期或单位不存在，或无权查看"
    unit = get_or_404(units_visible_to(user), unit_pk, missing)
    periods = Period.objects.select_related("campaign__bureau").filter(
        campaign__status=CampaignStatus.PUBLISHED, campaign__bureau__in=home_bureaus(user)
    )
    period = get_or_404(periods, period_pk, missing)
    if not reports_visible_to(user).filter(period=period, unit=unit).exists():
        raise Http404("这个单位本期没有月报，或无权查看")
    if upload and not may_upload(user, unit):
        raise PermissionDenied("只有本单位的填报人员或局办公室可以上传月报")
    return period, unit

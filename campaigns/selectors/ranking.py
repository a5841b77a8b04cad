"""Reads of rankings and bulletins."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from org.access import bureaus_managed_by, get_or_404, home_bureaus
from org.models import Role, User

from ..models import Bulletin, CampaignStatus


def bulletins_visible_to(user: User) -> QuerySet[Bulletin]:
    """Bulletins circulate across the district; a campaign that keeps peers' values private
    shows them to the bureau's own staff only."""
    if not user.is_authenticated or not user.is_active:
        return Bulletin.objects.none()
    bulletins = Bulletin.objects.filter(
        campaign__bureau__in=home_bureaus(user), campaign__status=CampaignStatus.PUBLISHED
    )
    # A summary the office has not published yet (its text still a draft) is the office's alone.
    bulletins = bulletins.filter(
        Q(published_at__isnull=False) | Q(campaign__bureau__in=bureaus_managed_by(user))
    )
    if user.role not in (Role.LEADER, Role.OFFICE, Role.SECTION):
        bulletins = bulletins.filter(Q(campaign__peers_visible=True))
    return bulletins.select_related("campaign", "period")


def get_bulletin_for_user(user: User, pk: Any) -> Bulletin:
    return get_or_404(bulletins_visible_to(user), pk, "通报不存在或无权查看")

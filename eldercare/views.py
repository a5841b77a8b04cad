"""养老服务 pages: thin views over eldercare.selectors and eldercare.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from org.current import acting_user as _user
from org.models import Unit, User
from org.shortcuts import apply_errors
from org.uploads import file_response

from . import indicators, photos, selectors, services
from .forms import CentreForm, FacilityForm, InspectionForm, InstitutionForm, PostForm
from .models import DisplayPost, Institution


def _month(request: HttpRequest, default: date) -> date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return default.replace(day=1)


def _month_end(first: date) -> date:
    from datetime import timedelta

    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Institutions with the month's 六晒 rate and 四赛 score; links to facilities and centres."""
    user = _user(request)
    units = list(selectors.institution_units(user))
    latest = (
        DisplayPost.objects.filter(institution__unit__in=units)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    month = _month(request, latest or timezone.localdate())
    end = min(_month_end(month), timezone.localdate())
    rates = indicators.six_displays_rate(units, end, start=month) if end >= month else {}
    scores = indicators.four_contests_score(units, _month_end(month), start=month)
    rows = [
        {
            "unit": u,
            "profile": getattr(u, "eldercare_profile", None),
            "rate": rates.get(u.pk),
            "score": scores.get(u.pk),
        }
        for u in units
    ]
    return render(
        request,
        "eldercare/index.html",
        {
            "rows": rows,
            "month": month,
            "facility_count": selectors.facilities_visible_to(user).count(),
            "centre_count": selectors.centres_visible_to(user).count(),
        },
    )


def _detail_url(unit: Unit) -> str:
    return reverse("eldercare:institution_detail", args=[unit.pk])


def _institution(user: User, pk: int, *, write: bool = False) -> tuple[Unit, Institution | None]:
    unit = selectors.get_institution_unit(user, pk, write=write)
    return unit, getattr(unit, "eldercare_profile", None)


@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    unit, profile = _institution(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "eldercare/institution_detail.html",
        {
            "unit": unit,
            "profile": profile,
            "inspections": selectors.inspections_of(profile)[:24] if profile else [],
            "months": selectors.displays_by_month(profile, today) if profile else [],
            "can_write": selectors.can_write(user, unit),
            "can_inspect": selectors.can_inspect(user, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    unit, profile = _institution(user, pk, write=True)
    form = InstitutionForm(request.POST or None, instance=profile or Institution(unit=unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(unit=unit, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "机构信息已保存。")
            return redirect("eldercare:institution_detail", pk=unit.pk)
    return render(
        request,
        "eldercare/form.html",
        {"form": form, "title": f"{unit.name} · 机构信息", "back": _detail_url(unit)},
    )


@require_http_methods(["GET", "POST"])
def institution_displays(request: HttpRequest, pk: int) -> HttpResponse:
    """六晒: this month's grid for the institution; a POST here posts one photo."""
    user = _user(request)
    unit, profile = _institution(user, pk)
    can_write = selectors.can_write(user, unit)
    today = timezone.localdate()
    form = PostForm(initial={"day": today})
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("只有本机构可以晒照片")
        form = PostForm(request.POST, request.FILES)
        if profile is None:
            form.add_error(None, "请先登记机构信息")
        elif form.is_valid():
            upload = form.cleaned_data["photo"]
            try:
                services.post_create(
                    institution=profile,
                    item=form.cleaned_data["item"],
                    day=form.cleaned_data["day"],
                    caption=form.cleaned_data["caption"],
                    stream=upload.file,
                    size=upload.size,
                    user=user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "照片已晒出。")
                return redirect("eldercare:institution_displays", pk=unit.pk)
    latest = selectors.latest_post_month(profile) if profile else None
    month = _month(request, latest or today)
    grid = selectors.displays_month(profile, month, today) if profile else None
    return render(
        request,
        "eldercare/displays.html",
        {
            "unit": unit,
            "profile": profile,
            "grid": grid,
            "month": month,
            "form": form,
            "can_write": can_write and profile is not None,
            "missing": selectors.todays_missing(unit, today) if profile else [],
            "months": selectors.displays_by_month(profile, today) if profile else [],
        },
    )


@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    unit, profile = _institution(user, pk)
    if not selectors.can_inspect(user, unit):
        raise PermissionDenied("“四赛”检查由养老服务科和镇街打分")
    form = InspectionForm(
        request.POST or None,
        initial={"inspected_on": timezone.localdate(), "inspector": user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        if profile is None:
            form.add_error(None, "请先登记机构信息")
        else:
            try:
                services.inspection_create(institution=profile, user=user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "检查得分已登记。")
                return redirect("eldercare:institution_detail", pk=unit.pk)
    return render(
        request,
        "eldercare/form.html",
        {"form": form, "title": f"{unit.name} · “四赛”检查打分", "back": _detail_url(unit)},
    )


@require_GET
def post_photo(request: HttpRequest, pk: int) -> FileResponse:
    post = selectors.get_post(_user(request), pk)
    relative = post.thumbnail if request.GET.get("thumb") else post.photo
    try:
        path = photos.media_path(relative)
        handle = path.open("rb")
    except (OSError, ValueError):
        raise Http404("照片不存在") from None
    label = f"{post.day:%Y-%m-%d}-{post.get_item_display()}.jpg"
    return file_response(handle, content_type="image/jpeg", filename=label, inline=True)


@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    facilities = list(selectors.facilities_visible_to(user))
    street = request.GET.get("street", "")
    shown = (
        [f for f in facilities if str(f.community.parent_id) == street] if street else facilities
    )
    return render(
        request,
        "eldercare/facility_list.html",
        {
            "facilities": shown,
            "summaries": selectors.facility_summary(user, facilities),
            "street": street,
            "can_write": selectors.communities_for(user, write=True).exists(),
        },
    )


def _facility_form(request: HttpRequest, facility: Any = None) -> HttpResponse:
    user = _user(request)
    communities = selectors.communities_for(user, write=True)
    if facility is None and not communities.exists():
        raise PermissionDenied("只有街道和养老服务科可以登记社区养老服务设施")
    form = FacilityForm(request.POST or None, instance=facility, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data.pop("community")
        try:
            services.facility_save(community=community, facility=facility, user=user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "设施信息已保存。")
            return redirect("eldercare:facility_list")
    title = f"修改“{facility.name}”" if facility else "登记社区养老服务设施"
    back = reverse("eldercare:facility_list")
    return render(request, "eldercare/form.html", {"form": form, "title": title, "back": back})


@require_http_methods(["GET", "POST"])
def facility_create(request: HttpRequest) -> HttpResponse:
    return _facility_form(request)


@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _facility_form(request, selectors.get_facility(_user(request), pk, write=True))


@require_GET
def centre_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "eldercare/centre_list.html",
        {
            "centres": selectors.centres_visible_to(user),
            "can_write": selectors.streets_for(user, write=True).exists(),
        },
    )


def _centre_form(request: HttpRequest, centre: Any = None) -> HttpResponse:
    user = _user(request)
    streets = selectors.streets_for(user, write=True)
    if centre is None and not streets.exists():
        raise PermissionDenied("只有街道和养老服务科可以登记综合养老服务中心")
    form = CentreForm(request.POST or None, instance=centre, streets=streets)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        street = data.pop("street")
        try:
            services.centre_save(street=street, centre=centre, user=user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "中心信息已保存。")
            return redirect("eldercare:centre_list")
    title = f"修改“{centre.name}”" if centre else "登记街道综合养老服务中心"
    back = reverse("eldercare:centre_list")
    return render(request, "eldercare/form.html", {"form": form, "title": title, "back": back})


@require_http_methods(["GET", "POST"])
def centre_create(request: HttpRequest) -> HttpResponse:
    return _centre_form(request)


@require_http_methods(["GET", "POST"])
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _centre_form(request, selectors.get_centre(_user(request), pk, write=True))

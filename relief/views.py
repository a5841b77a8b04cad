"""社会救助 pages: thin views over relief.selectors (reads) and relief.services (writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import audit
from audit.models import Action, Outcome
from audit.services import record
from org.current import acting_user as _user
from org.models import User
from org.shortcuts import apply_errors

from . import exports, roster, selectors, services
from .forms import (
    AidForm,
    CaregiverForm,
    IdClaimDecisionForm,
    ImportForm,
    PersonEditForm,
    PersonForm,
    SupportChangeForm,
    VisitForm,
)
from .models import Assistance, IdClaim, IdClaimStatus, Person, PersonStatus, SelfCare, SupportMode


def _filters(request: HttpRequest) -> selectors.PersonFilter:
    get = request.GET

    def choice(name: str, values: list[str]) -> str:
        value = get.get(name, "")
        return value if value in values else ""

    try:
        unit = int(get.get("unit", "") or 0) or None
    except ValueError:
        unit = None
    status = get.get("status", PersonStatus.ACTIVE)
    return selectors.PersonFilter(
        query=get.get("q", "").strip()[:30],
        unit=unit,
        assistance=choice("assistance", Assistance.values),
        support_mode=choice("support_mode", SupportMode.values),
        self_care=choice("self_care", SelfCare.values),
        status=status if status in PersonStatus.values else "",
        unvisited=get.get("unvisited") == "1",
    )


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = _filters(request)
    persons = selectors.person_list(user, filters, today=timezone.localdate())
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "relief/person_list.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.person_counts(user),
            "units": selectors.filter_units(user),
            "assistances": Assistance.choices,
            "modes": SupportMode.choices,
            "self_cares": SelfCare.choices,
            "statuses": PersonStatus.choices,
            "can_write": selectors.townships_for(user, write=True).exists(),
            "can_export": selectors.can_export_roster(user),
            "claims_pending": (
                selectors.pending_claims(user).count()
                if selectors.keeps_relief_desk(user)
                else None
            ),
        },
    )


@require_GET
def person_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.can_export_roster(user):
        raise PermissionDenied("导出救助对象台账需要导出个人信息的权限，请联系局办公室")
    persons = selectors.person_list(user, _filters(request), today=timezone.localdate())
    persons = persons.select_related("household", "institution")
    return exports.export_response(persons.iterator(chunk_size=2000), "救助对象台账.xlsx")


@require_GET
def roster_template(request: HttpRequest) -> HttpResponse:
    return exports.template_response()


@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.townships_for(user, write=True).exists():
        raise PermissionDenied("只有镇街和社会救助科可以导入救助对象台账")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = roster.roster_import(
            user=user, name=upload.name, size=upload.size, stream=upload.file
        )
        _audit_held(request, result)
        if result.ok:
            messages.success(
                request,
                f"已导入 {result.created_persons} 名救助对象（新建 {result.created_households} 户）。",
            )
            if result.held_lines:
                messages.info(request, "；".join(result.held_lines) + "。")
            return redirect("relief:person_list")
    return render(request, "relief/import.html", {"form": form, "result": result})


def _audit_held(request: HttpRequest, result: roster.ImportResult) -> None:
    """One audit row per roster row held for the section or refused by the day's limit."""
    for claim in result.claims:
        record(request, Action.CREATE, claim, detail={"source": "import", "line": claim.line})
    for held in result.refused:
        record(
            request,
            Action.REFUSED,
            outcome=Outcome.REFUSED,
            object_type="relief.idclaim",
            detail={"reason": "id_claim_limit", "line": held.line, "person": held.existing.pk},
        )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.townships_for(user, write=True).exists():
        raise PermissionDenied("只有镇街和社会救助科可以登记救助对象")
    form = PersonForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_register_or_claim(user=user, **form.cleaned_data)
        except services.ClaimLimitReached:
            form.add_error(None, services.ID_CLAIM_REFUSED)
            audit.annotate(
                request,
                action=Action.REFUSED,
                outcome=Outcome.REFUSED,
                detail={"reason": "id_claim_limit"},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if isinstance(saved, IdClaim):
                # The same answer whichever roster the number is on, and nothing of it: a blank
                # form again, and the note that the section will tell the result.
                audit.annotate(request, obj=saved, detail={"held_for_review": True})
                messages.info(request, f"“{saved.name}”的登记{services.ID_CLAIM_HELD}。")
                return redirect("relief:person_create")
            messages.success(request, f"已登记救助对象 {saved.name}。")
            return redirect("relief:person_detail", pk=saved.pk)
    return render(request, "relief/person_form.html", {"form": form, "person": None})


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The person page; a POST here shows the full ID number once, and records that it did."""
    user = _user(request)
    person = selectors.get_person(user, pk)
    may_reveal = selectors.can_see_full_id(user, person)
    full_id = None
    reason_error = None
    if request.method == "POST":
        if not may_reveal:
            raise PermissionDenied("您的角色不能查看完整身份证号")
        try:
            services.id_number_view_record(
                user=user,
                person=person,
                ip=_client_ip(request),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            reason_error = "；".join(error.messages)
        else:
            full_id = person.id_number
            audit.annotate(request, obj=person, outcome="success")
    today = timezone.localdate()
    can_write = selectors.can_write(user, person.unit)
    context = {
        "person": person,
        "full_id": full_id,
        "may_reveal": may_reveal,
        "reason_error": reason_error,
        "can_write": can_write,
        "periods": person.periods.select_related("unit", "institution").order_by("-starts_on"),
        "visits": person.visits.all()[:12],
        "visited_this_month": person.visits.filter(
            visited_on__gte=today.replace(day=1), visited_on__lte=today
        ).exists(),
        "aids": person.aids.all()[:12],
        "caregivers": person.caregivers.all(),
        "history": selectors.person_history(person),
        "id_views": person.id_number_views.select_related("user")[:10] if may_reveal else [],
        "household_members": (
            person.household.members.exclude(pk=person.pk).order_by("name")
            if person.household
            else []
        ),
    }
    response = render(request, "relief/person_detail.html", context)
    if full_id:
        response["Cache-Control"] = "no-store"
    return response


def _person_form_page(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    title: str,
    save: Any,
    initial: dict[str, Any] | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    user = _user(request)
    person = selectors.get_person(user, pk, write=True)
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
    else:
        form = form_class(initial=initial or {}, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form.cleaned_data, user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{title}已保存。")
            return redirect("relief:person_detail", pk=person.pk)
    return render(
        request, "relief/person_subform.html", {"form": form, "person": person, "title": title}
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person(_user(request), pk, write=True)
    initial = {
        f: getattr(person, f) for f in ("name", "relation", "phone", "monthly_amount", "note")
    }
    initial["community"] = person.community_id

    def save(p: Person, data: dict[str, Any], user: User) -> None:
        services.person_update(person=p, user=user, **data)

    return _person_form_page(
        request, pk, PersonEditForm, "基本信息", save, initial, unit=person.unit
    )


@require_http_methods(["GET", "POST"])
def person_support_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person(_user(request), pk, write=True)
    initial = {
        "effective": timezone.localdate(),
        "status": person.status,
        "assistance": person.assistance,
        "support_mode": person.support_mode,
        "self_care": person.self_care,
        "institution": person.institution_id,
    }

    def save(p: Person, data: dict[str, Any], user: User) -> None:
        services.person_change_support(person=p, user=user, **data)

    return _person_form_page(request, pk, SupportChangeForm, "保障状态变更", save, initial)


@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(p: Person, data: dict[str, Any], user: User) -> None:
        services.visit_create(person=p, user=user, today=timezone.localdate(), **data)

    initial = {"visited_on": timezone.localdate(), "visitor": _user(request).display_name}
    return _person_form_page(request, pk, VisitForm, "探访记录", save, initial)


@require_http_methods(["GET", "POST"])
def aid_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(p: Person, data: dict[str, Any], user: User) -> None:
        services.aid_create(person=p, user=user, **data)

    return _person_form_page(
        request, pk, AidForm, "临时救助", save, {"paid_on": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
def caregiver_create(request: HttpRequest, pk: int) -> HttpResponse:
    def save(p: Person, data: dict[str, Any], user: User) -> None:
        services.caregiver_assign(person=p, user=user, **data)

    return _person_form_page(
        request, pk, CaregiverForm, "照料护理人", save, {"agreement_start": timezone.localdate()}
    )


@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()[:30]
    households = (
        selectors.households_visible_to(user)
        .select_related("unit", "community")
        .annotate(member_count=Count("members"))
        .order_by("unit__sort_order", "unit_id", "number")
    )
    if query:
        households = households.filter(head_name__contains=query) | households.filter(number=query)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "relief/household_list.html", {"page": page, "query": query})


@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.get_household(_user(request), pk)
    return render(
        request,
        "relief/household_detail.html",
        {
            "household": household,
            "members": household.members.select_related("community").order_by("name"),
            "history": household.history.select_related("history_user").order_by("-history_date")[
                :20
            ],
            "today": timezone.localdate(),
        },
    )


@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    """The 社会救助科's desk: registrations held because their number is on another roster."""
    user = _user(request)
    if not selectors.keeps_relief_desk(user):
        raise Http404("页面不存在")  # a township is not told the desk exists
    decided = request.GET.get("status") == "decided"
    claims = selectors.claims_for_desk(user).select_related("unit", "requested_by", "decided_by")
    if decided:
        claims = claims.exclude(status=IdClaimStatus.PENDING).order_by("-decided_at", "-id")
    else:
        claims = claims.filter(status=IdClaimStatus.PENDING).order_by("created_at", "id")
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "relief/claim_list.html",
        {"page": page, "decided": decided, "pending": selectors.pending_claims(user).count()},
    )


@require_http_methods(["GET", "POST"])
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One held registration beside the record its number belongs to; a POST decides it."""
    user = _user(request)
    claim = selectors.get_claim(user, pk)
    person = selectors.claim_person(user, claim)
    initial = {"effective": timezone.localdate()}
    form = IdClaimDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.id_claim_accept(
                    claim=claim, user=user, effective=data["effective"], note=data["note"]
                )
            else:
                services.id_claim_reject(claim=claim, user=user, note=data["note"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            done = (
                "已同意并通知申请镇街"
                if data["decision"] == "accept"
                else "已不予登记并通知申请镇街"
            )
            messages.success(request, f"“{claim.name}”{done}。")
            return redirect("relief:claim_list")
    since = timezone.now() - services.ID_CLAIM_WINDOW
    return render(
        request,
        "relief/claim_detail.html",
        {
            "claim": claim,
            "person": person,
            "form": form,
            "rows": selectors.claim_comparison(claim, person),
            "same_number": selectors.claims_for_desk(user)
            .filter(id_number=claim.id_number, status=IdClaimStatus.PENDING)
            .exclude(pk=claim.pk)
            .select_related("unit"),
            "recent": selectors.claims_by_requester(claim, since=since),
            "limit": services.ID_CLAIM_LIMIT,
        },
    )

"""Organisation admins manage their staff: list, invite, change role and scope, deactivate, reactivate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts import services
from kompis.accounts.access import get_staff_for_admin, org_admin_required
from kompis.accounts.models import User
from kompis.accounts.requests import StaffRequest
from kompis.organisations.access import own_organisation
from kompis.organisations.staff_forms import InviteForm, StaffForm


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@org_admin_required
def staff_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    staff = (
        User.objects.filter(organisation=own_organisation(user))
        .order_by("-is_active", "role", "username")
        .prefetch_related("regions", "projects")
    )
    rows = [(member, services.is_invited(member)) for member in staff]
    return render(request, "organisations/staff_list.html", {"nav": "staff", "rows": rows})


@org_admin_required
def staff_invite(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = InviteForm(request.POST or None, organisation=own_organisation(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.invite_staff(
            actor=user,
            organisation=own_organisation(user),
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            regions=data["regions"],
            projects=data["projects"],
            language=get_language() or "sv",
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return redirect("team:list")
    return render(request, "organisations/staff_invite.html", {"nav": "staff", "form": form})


@org_admin_required
def staff_detail(request: StaffRequest, user_id: str) -> HttpResponse:
    admin = request.user
    member = get_staff_for_admin(admin, user_id)
    initial = {
        "role": member.role,
        "regions": list(member.regions.all()),
        "projects": list(member.projects.all()),
    }
    form = StaffForm(request.POST or None, organisation=own_organisation(admin), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_staff(
                actor=admin,
                user=member,
                role=form.cleaned_data["role"],
                regions=form.cleaned_data["regions"],
                projects=form.cleaned_data["projects"],
            )
        except ValidationError as exc:
            form.add_error("role", exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("team:list")
    return render(
        request,
        "organisations/staff_detail.html",
        {"nav": "staff", "member": member, "form": form, "invited": services.is_invited(member)},
    )


@org_admin_required
@require_POST
def staff_deactivate(request: StaffRequest, user_id: str) -> HttpResponse:
    member = get_staff_for_admin(request.user, user_id)
    try:
        services.deactivate_staff(actor=request.user, user=member)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s can no longer log in.") % {"name": member.get_username()})
    return redirect("team:detail", user_id=member.uid)


@org_admin_required
@require_POST
def staff_reactivate(request: StaffRequest, user_id: str) -> HttpResponse:
    member = get_staff_for_admin(request.user, user_id)
    services.reactivate_staff(actor=request.user, user=member)
    messages.success(request, _("%(name)s can log in again.") % {"name": member.get_username()})
    return redirect("team:detail", user_id=member.uid)


@org_admin_required
@require_POST
def staff_resend(request: StaffRequest, user_id: str) -> HttpResponse:
    member = get_staff_for_admin(request.user, user_id)
    try:
        services.resend_invitation(actor=request.user, user=member, language=get_language() or "sv")
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("A new invitation was sent; the earlier link no longer works."))
    return redirect("team:detail", user_id=member.uid)

"""Organisation admin pages: the organisation's settings, its regions and its projects."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import org_admin_required
from kompis.accounts.requests import StaffRequest
from kompis.organisations import services
from kompis.organisations.access import get_project_for_admin, get_region_for_admin, own_organisation
from kompis.organisations.forms import ProjectForm, RegionForm, SettingsForm
from kompis.organisations.models import Organisation, Project, Region
from kompis.organisations.selectors import projects_of, regions_of


def _organisation(request: StaffRequest) -> Organisation:
    return own_organisation(request.user)


@org_admin_required
def settings_page(request: StaffRequest) -> HttpResponse:
    organisation = _organisation(request)
    return render(
        request,
        "organisations/settings.html",
        {
            "nav": "organisation",
            "organisation": organisation,
            "regions": regions_of(organisation=organisation),
            "projects": projects_of(organisation=organisation),
            "staff_count": organisation.staff.filter(is_active=True).count(),
        },
    )


@org_admin_required
def settings_edit(request: StaffRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = SettingsForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
        services.update_settings(
            actor=request.user, organisation=organisation, data=data, logo=form.cleaned_data.get("logo")
        )
        messages.success(request, _("Settings saved."))
        return redirect("organisations:settings")
    if form.is_bound:
        organisation.refresh_from_db()  # the header shows the saved name, not the rejected one
    return render(
        request,
        "organisations/settings_edit.html",
        {"nav": "organisation", "organisation": organisation, "form": form},
    )


@org_admin_required
@require_POST
def logo_remove(request: StaffRequest) -> HttpResponse:
    if services.remove_logo(actor=request.user, organisation=_organisation(request)):
        messages.success(request, _("The logo was removed."))
    return redirect("organisations:edit")


def _region_page(request: StaffRequest, region: Region | None) -> HttpResponse:
    organisation = _organisation(request)
    form = RegionForm(request.POST or None, instance=region, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.REGION_FIELDS}
        if region is None:
            services.create_region(
                actor=request.user,
                organisation=organisation,
                data=data,
                municipalities=form.cleaned_data["municipalities"],
            )
            messages.success(request, _("Region created."))
        else:
            services.update_region(
                actor=request.user,
                region=region,
                data=data,
                municipalities=form.cleaned_data["municipalities"],
            )
            messages.success(request, _("Region saved."))
        return redirect("organisations:settings")
    return render(
        request,
        "organisations/region_form.html",
        {"nav": "organisation", "form": form, "region": region, "counties": form.counties()},
    )


@org_admin_required
def region_new(request: StaffRequest) -> HttpResponse:
    return _region_page(request, None)


@org_admin_required
def region_edit(request: StaffRequest, region_id: str) -> HttpResponse:
    return _region_page(request, get_region_for_admin(request.user, region_id))


def _project_page(request: StaffRequest, project: Project | None) -> HttpResponse:
    organisation = _organisation(request)
    form = ProjectForm(request.POST or None, instance=project, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        if project is None:
            services.create_project(
                actor=request.user,
                organisation=organisation,
                data=form.project_data(),
                targets=form.targets(),
            )
            messages.success(request, _("Project created."))
        else:
            services.update_project(
                actor=request.user, project=project, data=form.project_data(), targets=form.targets()
            )
            messages.success(request, _("Project saved."))
        return redirect("organisations:settings")
    return render(
        request, "organisations/project_form.html", {"nav": "organisation", "form": form, "project": project}
    )


@org_admin_required
def project_new(request: StaffRequest) -> HttpResponse:
    return _project_page(request, None)


@org_admin_required
def project_edit(request: StaffRequest, project_id: str) -> HttpResponse:
    return _project_page(request, get_project_for_admin(request.user, project_id))

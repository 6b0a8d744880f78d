from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kompis.accounts.access import org_admin_required
from kompis.organisations.selectors import projects_of, regions_of


@org_admin_required
def settings_page(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None  # org_admin_required
    return render(
        request,
        "organisations/settings.html",
        {
            "nav": "organisation",
            "organisation": organisation,
            "regions": regions_of(organisation=organisation),
            "projects": projects_of(organisation=organisation),
            "staff": organisation.staff.order_by("role", "username").prefetch_related("regions", "projects"),
        },
    )

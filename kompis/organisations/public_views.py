"""Public organisation pages: the logo, and the first-run page (/setup/) of a fresh server."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kompis.municipalities.models import Municipality
from kompis.organisations import setup
from kompis.organisations.forms import municipality_counties
from kompis.organisations.models import OrganisationLogo

YEAR = 365 * 24 * 3600


@require_GET
def logo(request: HttpRequest, org: str, version: str) -> HttpResponse:
    row = get_object_or_404(
        OrganisationLogo.objects.only("content_type", "data", "version"), organisation__uid=org
    )
    if row.version != version:  # an older address: send to the current one
        moved = redirect("organisation_public:logo", org=org, version=row.version)
        moved["Cache-Control"] = "no-cache"
        return moved
    response = HttpResponse(bytes(row.data), content_type=row.content_type)
    # The version is part of the address, so the image never changes under it.
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response["ETag"] = f'"{row.version}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


class FirstRunForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    slug = forms.CharField(
        label=_("Address name"),
        max_length=50,
        help_text=_(
            "Lower-case letters, digits and hyphens; the sign-up page will be /<address name>/signup/."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "none"}),
    )
    region = forms.CharField(
        label=_("First region (local office)"),
        max_length=200,
        help_text=_("More regions can be added later."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities of this region"),
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    admin_email = forms.EmailField(
        label=_("Your e-mail (the first admin)"),
        help_text=_("You get a mail with a link to set your password."),
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checks = (("slug", setup.check_slug), ("admin_email", setup.check_email))
        for name, check in checks:
            if data.get(name):
                try:
                    data[name] = check(data[name])
                except setup.SetupError as exc:
                    self.add_error(name, str(exc))
        return data


@never_cache
def first_run(request: HttpRequest) -> HttpResponse:
    """Only with the one-time token printed by the server; gone (404) once used or once an organisation exists."""
    token = request.POST.get("token", "") if request.method == "POST" else request.GET.get("token", "")
    if setup.first_run_token(token) is None:
        raise Http404()
    form = FirstRunForm(request.POST or None, initial={"token": token})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = setup.create_organisation_from_first_run(
                token=token,
                name=data["name"],
                slug=data["slug"],
                region=setup.RegionSpec(data["region"], [m.code for m in data["municipalities"]]),
                admin_email=data["admin_email"],
                language=get_language() or "sv",
            )
        except setup.SetupError as exc:
            form.add_error(None, str(exc))
        else:
            if result is None:
                raise Http404()
            organisation, admin = result
            return render(
                request,
                "organisations/first_run_done.html",
                {"organisation": organisation, "email": admin.email},
            )
    checked = request.POST.getlist("municipalities") if request.method == "POST" else []
    counties = municipality_counties(organisation=None, region=None, checked=checked)
    return render(request, "organisations/first_run.html", {"form": form, "counties": counties})

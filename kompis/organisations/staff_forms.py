"""Forms for managing an organisation's staff: invite, and change a member's role and scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import Role, User
from kompis.organisations.models import Organisation, Project, Region


class _ScopeForm(forms.Form):
    role = forms.ChoiceField(
        label=pgettext_lazy("staff role", "Role"), choices=Role.choices, widget=forms.RadioSelect
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Coordinators see the participants of these regions …"),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("… and of these projects. Admins and viewers see the whole organisation."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        regions = self.fields["regions"]
        projects = self.fields["projects"]
        assert isinstance(regions, forms.ModelMultipleChoiceField)
        assert isinstance(projects, forms.ModelMultipleChoiceField)
        regions.queryset = Region.objects.filter(organisation=organisation)
        projects.queryset = Project.objects.filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.COORDINATOR and not (data.get("regions") or data.get("projects")):
            self.add_error("regions", gettext("A coordinator needs at least one region or project."))
        return data


class InviteForm(_ScopeForm):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"})
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = ["email", "first_name", "last_name", "role", "regions", "projects"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        existing = (
            User.objects.filter(username__iexact=email).first()
            or User.objects.filter(email__iexact=email).first()
        )
        if existing is not None:
            if existing.organisation_id == self.organisation.pk and not existing.is_active:
                raise ValidationError(
                    gettext(
                        "%(email)s has a deactivated account here: open it in the staff list to reactivate it."
                    )
                    % {"email": email}
                )
            raise ValidationError(
                gettext("There is already a staff account with the e-mail %(email)s.") % {"email": email}
            )
        return email


class StaffForm(_ScopeForm):
    pass

"""Staff forms: enrol a person in a cohort; a dropout with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.programmes.models import DropoutReason, Field, Role
from kompis.programmes.services import EnrolmentData


class EnrolForm(forms.Form):
    participant = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    field = forms.ChoiceField(label=_("field of work"), choices=[("", "—"), *Field.choices], required=False)
    field_other = forms.CharField(label=_("field of work (other)"), max_length=100, required=False)
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("field") == Field.OTHER and not (data.get("field_other") or "").strip():
            self.add_error("field_other", gettext("Say which field of work."))
        return data

    def enrolment_data(self) -> EnrolmentData:
        d = self.cleaned_data
        return EnrolmentData(
            role=d["role"],
            field=d.get("field") or "",
            field_other=(d.get("field_other") or "").strip(),
            goals=(d.get("goals") or "").strip(),
        )


class DropOutForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=DropoutReason.choices)
    note = forms.CharField(label=_("note"), max_length=1000, required=False)

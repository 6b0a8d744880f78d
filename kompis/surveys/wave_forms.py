"""The form of a new wave: what it is about (a cohort, friend matches in a period, a filtered group, a public
link), when it closes, reminders and phone follow-up."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.organisations.models import Region
from kompis.participants.selectors import ParticipantFilter
from kompis.programmes.access import programmes_for_user
from kompis.programmes.models import Cohort
from kompis.surveys.models import WaveKind
from kompis.surveys.waves import WaveError


def _date(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class WaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=WaveKind.choices)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        to_field_name="uid",
        help_text=_("Baseline, final or follow-up of a programme cohort. Leave empty for friend matches."),
    )
    include_active = forms.BooleanField(label=_("Final: also those still active at the end"), required=False)
    matches_from = forms.DateField(label=_("Friend matches approved from"), required=False, widget=_date())
    matches_to = forms.DateField(label=_("Friend matches approved until"), required=False, widget=_date())
    months_after = forms.IntegerField(
        label=_("Follow-up: months after the end"), required=False, min_value=1, max_value=60
    )
    region = forms.ModelChoiceField(
        label=_("Ad hoc: region"), queryset=Region.objects.none(), required=False, to_field_name="uid"
    )
    language = forms.ChoiceField(label=_("Ad hoc: speaks"), required=False)
    closes_on = forms.DateField(label=_("Closes after"), widget=_date())
    reminder_days = forms.IntegerField(label=_("Remind after (days)"), min_value=1, max_value=60, initial=7)
    max_reminders = forms.TypedChoiceField(
        label=_("Reminders at most"), choices=[(0, "0"), (1, "1"), (2, "2")], coerce=int, initial=2
    )
    phone_follow_up = forms.BooleanField(
        label=_("Staff call those who have not answered (and those without e-mail)"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cohorts = Cohort.objects.filter(programme__in=programmes_for_user(user)).select_related("programme")
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cohorts.order_by("-starts_on")
        field.label_from_instance = lambda obj: f"{obj.programme.name} · {obj.name}"  # type: ignore[method-assign]
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.filter(organisation=user.organisation)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", "—"), *settings.LANGUAGES]

    def clean_closes_on(self) -> date:
        day: date = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The wave must close today or later."))
        return day

    def closes_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["closes_on"], time(23, 59)))

    def filters(self) -> ParticipantFilter:
        region = self.cleaned_data.get("region")
        return ParticipantFilter(
            region=str(region.uid) if region else "", language=self.cleaned_data.get("language") or ""
        )

    def wave_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "closes_at": self.closes_at(),
            "cohort": data.get("cohort"),
            "include_active": bool(data.get("include_active")),
            "months_after": data.get("months_after"),
            "matches_from": data.get("matches_from"),
            "matches_to": data.get("matches_to"),
            "filters": self.filters(),
            "reminder_days": data["reminder_days"],
            "max_reminders": data["max_reminders"],
            "phone_follow_up": bool(data.get("phone_follow_up")),
        }

    def add_wave_error(self, error: WaveError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error))
        if error.field == "closes_at":
            self.add_error("closes_on", str(error))

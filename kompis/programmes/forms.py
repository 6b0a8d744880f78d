"""Staff forms: a new programme, a new cohort, enrol a person in a cohort; a dropout with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.organisations.models import Project, Region
from kompis.participants.access import regions_for_writing
from kompis.participants.vocab import MeetingMode
from kompis.programmes.models import Cohort, DropoutReason, Field, Programme, Role
from kompis.programmes.services import CohortData, EnrolmentData, ProgrammeData


def projects_for_writing(user: User) -> QuerySet[Project]:
    """Projects a user may give a programme or cohort: admins the organisation's, coordinators their own."""
    qs = Project.objects.filter(organisation=user.organisation)
    return qs if user.is_org_admin else qs.filter(pk__in=user.projects.all())


def _limit_scope(form: forms.ModelForm[Any], user: User) -> None:
    """Region and project choices: those the user may write to (both optional on the form)."""
    region = form.fields["region"]
    project = form.fields["project"]
    assert isinstance(region, forms.ModelChoiceField)
    assert isinstance(project, forms.ModelChoiceField)
    region.queryset = regions_for_writing(user).order_by("name")
    project.queryset = projects_for_writing(user).order_by("name")


class ProgrammeForm(forms.ModelForm[Programme]):
    """A new programme; a coordinator's must be in one of their regions or projects."""

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "region",
            "project",
            "pair_duration_months",
            "min_meetings_per_month",
            "silent_pair_days",
            "min_sessions_attended",
            "public_enrolment",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _limit_scope(self, user)
        # the model's check constraints: at least one month, at least one day
        for name in ("pair_duration_months", "silent_pair_days"):
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.min_value = 1
            field.widget.attrs["min"] = 1
            field.validators.append(MinValueValidator(1))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        in_no_scope = not data.get("region") and not data.get("project")
        # an invalid choice (someone else's region or project) already has its own error
        chose_badly = self.has_error("region") or self.has_error("project")
        if not self.user.is_org_admin and in_no_scope and not chose_badly:
            self.add_error("region", gettext("Choose one of your regions or projects."))
        return data

    def _post_clean(self) -> None:
        # the service validates and saves the programme (it has no organisation yet here)
        pass

    def programme_data(self) -> ProgrammeData:
        d = self.cleaned_data
        region: Region | None = d.get("region")
        project: Project | None = d.get("project")
        return ProgrammeData(
            name=d["name"].strip(),
            description=(d.get("description") or "").strip(),
            region=region,
            project=project,
            pair_duration_months=d["pair_duration_months"],
            min_meetings_per_month=d["min_meetings_per_month"],
            silent_pair_days=d["silent_pair_days"],
            min_sessions_attended=d.get("min_sessions_attended"),
            public_enrolment=bool(d.get("public_enrolment")),
        )


class CohortForm(forms.ModelForm[Cohort]):
    """A new cohort of a programme: it ends after it starts; region and project optional, in scope."""

    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "mentee_capacity", "region", "project"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_scope(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The cohort must end after it starts."))
        return data

    def _post_clean(self) -> None:
        # the service validates and saves the cohort (it has no programme yet here)
        pass

    def cohort_data(self) -> CohortData:
        d = self.cleaned_data
        return CohortData(
            name=d["name"].strip(),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            region=d.get("region"),
            project=d.get("project"),
            mentee_capacity=d.get("mentee_capacity"),
        )


class EnrolForm(forms.Form):
    participant = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    field = forms.ChoiceField(label=_("field of work"), choices=[("", "—"), *Field.choices], required=False)
    field_other = forms.CharField(label=_("field of work (other)"), max_length=100, required=False)
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    meeting_mode = forms.ChoiceField(
        label=_("how to meet"), choices=[("", "—"), *MeetingMode.choices], required=False
    )
    max_mentees = forms.IntegerField(
        label=_("mentees at the same time (mentors)"), min_value=1, max_value=10, initial=1, required=False
    )

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
            meeting_mode=d.get("meeting_mode") or "",
            max_mentees=d.get("max_mentees") or 1,
        )


class DropOutForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=DropoutReason.choices)
    note = forms.CharField(label=_("note"), max_length=1000, required=False)

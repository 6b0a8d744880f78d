from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.core import figures
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Project, Region
from kompis.reports.models import ChangeStep, Indicator, Level
from kompis.reports.periods import Period, PeriodError, parse_period
from kompis.reports.scope import ReportScope


def regions_for(user: User) -> QuerySet[Region]:
    if user.organisation_id is None:
        return Region.objects.none()
    qs = Region.objects.filter(organisation_id=user.organisation_id)
    if user.is_coordinator:
        qs = qs.filter(pk__in=user.regions.all())
    return qs


def projects_for(user: User) -> QuerySet[Project]:
    if user.organisation_id is None:
        return Project.objects.none()
    qs = Project.objects.filter(organisation_id=user.organisation_id)
    if user.is_coordinator:
        qs = qs.filter(coordinator_scope(user, project="pk")).distinct()
    return qs


class ReportFilterForm(forms.Form):
    """The dashboard's filters; also the query string of the downloads."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year")), *[(str(q), f"Q{q}") for q in range(1, 5)]],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All months")), *[(str(m), f"{m:02d}") for m in range(1, 13)]],
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date range start", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range end", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="uid",
        empty_label=_("All regions"),
    )
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        to_field_name="uid",
        empty_label=_("All projects"),
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("All municipalities"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of match"),
        required=False,
        choices=[("", _("Individual and family")), ("individual", _("Individual")), ("family", _("Family"))],
    )
    mode = forms.ChoiceField(
        label=_("How they meet"),
        required=False,
        choices=[("", _("In person and online")), ("physical", _("In person")), ("digital", _("Online"))],
    )

    def __init__(self, *args: Any, user: User, require_municipality: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = regions_for(user)
        cast("forms.ModelChoiceField[Project]", self.fields["project"]).queryset = projects_for(user)
        cast(
            "forms.ModelChoiceField[Municipality]", self.fields["municipality"]
        ).queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].required = require_municipality
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        try:
            if start or end:
                if not (start and end):
                    raise PeriodError(_("Give both dates of a custom period."))
                data["period"] = parse_period(f"{start.isoformat()}..{end.isoformat()}")
            else:
                year = data.get("year") or timezone.localdate().year
                if data.get("month"):
                    data["period"] = parse_period(f"{year}-{data['month']:02d}")
                elif data.get("quarter"):
                    data["period"] = parse_period(f"{year}-Q{data['quarter']}")
                else:
                    data["period"] = parse_period(str(year))
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    @property
    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]  # set by clean() on every valid form
        return period

    def scope(self) -> ReportScope:
        d = self.cleaned_data
        return ReportScope.for_user(
            self.user,
            region=d.get("region"),
            project=d.get("project"),
            municipality=d.get("municipality"),
            kind=d.get("kind") or "",
            mode=d.get("mode") or "",
        )


class StepForm(forms.ModelForm[ChangeStep]):
    class Meta:
        model = ChangeStep
        fields = ["level", "text"]
        widgets = {"level": forms.Select(choices=Level.choices)}


class IndicatorForm(forms.ModelForm[Indicator]):
    step: forms.ModelChoiceField[ChangeStep] = forms.ModelChoiceField(
        queryset=ChangeStep.objects.none(), to_field_name="uid", label=_("Step")
    )
    figure_key = forms.ChoiceField(label=_("Measured figure"), required=False)

    class Meta:
        model = Indicator
        fields = ["step", "name", "figure_key", "target", "manual_value", "source"]
        help_texts = {"target": _("For a rate, in per cent (e.g. 60).")}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step_field = cast("forms.ModelChoiceField[ChangeStep]", self.fields["step"])
        step_field.queryset = ChangeStep.objects.filter(project=project)
        cast(forms.ChoiceField, self.fields["figure_key"]).choices = [
            ("", _("Not measured in Kompis (enter the value)")),
            *figures.choices(),
        ]

"""Forms of the organisation admin pages. Each error names its field in words an admin understands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.core import figures as core_figures
from kompis.municipalities.models import Municipality
from kompis.organisations.logos import clean_logo
from kompis.organisations.models import Organisation, Project, Region, TargetKind


def _formfield(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "example.org/privacy" means https://example.org/privacy
    return field.formfield(**kwargs)


class SettingsForm(forms.ModelForm[Organisation]):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 512 KB. Shown at the top of the staff pages and the sign-up page."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = [
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "privacy_notice_url",
            "followup_days",
            "reminder_days",
        ]
        help_texts = {
            "contact_name": _("Named in mails to participants whose region has no contact of its own."),
            "privacy_notice_url": _("The web address of your privacy notice, for participants to read."),
            "followup_days": _(
                "After the introduction, how many days until both are asked whether they met."
            ),
            "reminder_days": _("How many days after an unanswered follow-up question a reminder is sent."),
        }
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the fallback contact of every mail to a participant (and its Reply-To): never empty
        self.fields["contact_email"].required = True
        self.fields["contact_email"].error_messages["required"] = gettext(
            "Mails to participants name this address as their contact, and replies go to it: it is needed."
        )
        for name, high in (("followup_days", 90), ("reminder_days", 60)):
            old = self.fields[name]
            message = gettext("Enter a number of days from %(low)d to %(high)d.") % {"low": 1, "high": high}
            self.fields[name] = forms.IntegerField(
                label=old.label,
                help_text=old.help_text,
                min_value=1,
                max_value=high,
                error_messages={"min_value": message, "max_value": message, "invalid": message},
            )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return clean_logo(upload)


@dataclass(frozen=True)
class MunicipalityChoice:
    code: str
    name: str
    checked: bool
    taken_by: str  # the name of another region of the organisation that covers it, or ""


@dataclass(frozen=True)
class County:
    name: str
    municipalities: list[MunicipalityChoice]

    @property
    def checked_count(self) -> int:
        return sum(m.checked for m in self.municipalities)


def municipality_counties(
    *, organisation: Organisation | None, region: Region | None, checked: Iterable[str]
) -> list[County]:
    """The 290 municipalities grouped by county, with those of other regions marked."""
    chosen = set(checked)
    taken = {
        code: name
        for code, name in Region.municipalities.through.objects.filter(region__organisation=organisation)
        .exclude(region=region)
        .values_list("municipality_id", "region__name")
    }
    counties: dict[str, list[MunicipalityChoice]] = {}
    for m in Municipality.objects.order_by("county_name", "name").only("code", "name", "county_name"):
        counties.setdefault(m.county_name, []).append(
            MunicipalityChoice(m.code, m.name, m.code in chosen, taken.get(m.code, ""))
        )
    return [County(name, items) for name, items in counties.items()]


class RegionForm(forms.ModelForm[Region]):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Participants who live in these municipalities belong to this region."),
    )

    class Meta:
        model = Region
        fields = ["name", "contact_name", "contact_email", "contact_phone"]
        help_texts = {
            "contact_name": _("Named in mails to this region's participants, who can reply to this contact.")
        }
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk and not self.is_bound:
            self.initial["municipalities"] = list(self.instance.municipalities.values_list("code", flat=True))

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Region.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(gettext("There is already a region called “%(name)s”.") % {"name": name})
        return name

    def clean_municipalities(self) -> list[Municipality]:
        chosen = list(self.cleaned_data["municipalities"])
        # One municipality, one region: the region decides which coordinator a new sign-up goes to.
        clashes = (
            Region.municipalities.through.objects.filter(
                region__organisation=self.organisation, municipality__in=chosen
            )
            .exclude(region_id=self.instance.pk)
            .select_related("municipality", "region")
            .order_by("municipality__name")
        )
        problems = [
            gettext("%(municipality)s belongs to the region %(region)s already.")
            % {"municipality": c.municipality.name, "region": c.region.name}
            for c in clashes
        ]
        if problems:
            raise ValidationError(problems)
        return chosen

    def counties(self) -> list[County]:
        if self.is_bound:
            data: Any = self.data  # a QueryDict
            checked = data.getlist(self.add_prefix("municipalities"))
        else:
            checked = [str(c) for c in self.initial.get("municipalities", [])]
        return municipality_counties(
            organisation=self.organisation,
            region=self.instance if self.instance.pk else None,
            checked=checked,
        )


def target_kinds() -> list[tuple[str, str]]:
    """What a project may set targets for: the built-in kinds, then the registered figures offered as targets
    (programmes' and events' figures, registered by the reports)."""
    return [(str(k), str(label)) for k, label in TargetKind.choices] + core_figures.target_choices()


def _target_field_name(kind: str) -> str:
    return f"target_{kind}"


class ProjectForm(forms.ModelForm[Project]):
    class Meta:
        model = Project
        fields = ["name", "funder", "region", "starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"region": _("Leave empty for a project that covers the whole organisation.")}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = Region.objects.filter(organisation=organisation)
        region_field.empty_label = gettext("Whole organisation")
        current = {t.kind: t.target for t in self.instance.targets.all()} if self.instance.pk else {}
        for kind, label in target_kinds():
            self.fields[_target_field_name(kind)] = forms.IntegerField(
                label=label,
                required=False,
                initial=current.get(kind),
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )

    def target_fields(self) -> list[forms.BoundField]:
        return [self[_target_field_name(kind)] for kind, _label in target_kinds()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The project cannot end before it starts."))
        for kind, _label in target_kinds():
            name = _target_field_name(kind)
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, gettext("A target cannot be negative."))
        return data

    def targets(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(_target_field_name(kind)) for kind, _label in target_kinds()}

    def project_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}

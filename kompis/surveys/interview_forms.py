"""Forms of the interview pages: draw a sample, add a theme, add interview notes."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.organisations.models import Region
from kompis.programmes.access import programmes_for_user
from kompis.programmes.models import Cohort
from kompis.surveys.interview_models import InterviewTheme, Strata
from kompis.surveys.interviews import MAX_PER_STRATUM, MAX_SEED

MATCHES = "matches"


class DrawForm(forms.Form):
    source = forms.ChoiceField(label=_("Draw from"))
    region = forms.ModelChoiceField(
        label=_("Region (friend matches)"), queryset=Region.objects.none(), required=False
    )
    strata = forms.ChoiceField(label=_("Strata"), choices=Strata.choices)
    per_stratum = forms.IntegerField(label=_("People per stratum"), min_value=1, max_value=MAX_PER_STRATUM)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=MAX_SEED,
        help_text=_("The same seed and the same people give the same sample."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"seed": secrets.randbelow(1_000_000), "per_stratum": 3})
        super().__init__(*args, **kwargs)
        self.user = user
        cohorts = Cohort.objects.filter(programme__in=programmes_for_user(user)).select_related("programme")
        self.cohorts = {str(c.uid): c for c in cohorts.order_by("programme__name", "starts_on")}
        choices: list[tuple[str, str]] = [(MATCHES, str(_("People in friend matches")))]
        choices += [(uid, f"{c.programme.name}: {c.name}") for uid, c in self.cohorts.items()]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        regions = Region.objects.filter(organisation_id=user.organisation_id or 0)
        if not user.is_org_admin:
            regions = regions.filter(pk__in=user.regions.all())
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == MATCHES and not self.user.is_org_admin and data.get("region") is None:
            self.add_error("region", _("Choose one of your regions."))
        return data

    def cohort(self) -> Cohort | None:
        return self.cohorts.get(self.cleaned_data["source"])


class ThemeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64)
    label = forms.CharField(label=_("Label"), max_length=200)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Interview notes"), widget=forms.Textarea(attrs={"rows": 4}))
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = InterviewTheme.objects.filter(organisation_id=organisation_id or 0)
        self.fields["themes"].choices = [(t.code, t.label) for t in themes]  # type: ignore[attr-defined]

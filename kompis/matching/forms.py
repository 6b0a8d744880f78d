from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.matching import engine
from kompis.matching.access import scopes_for_user
from kompis.matching.engine.weights import COMPONENTS
from kompis.matching.models import Solver

COMPONENT_LABELS = {
    "interests": _("Shared interests"),
    "age": _("Closeness in age"),
    "waiting": _("Time waiting"),
    "swedish": _("Established speaks Swedish"),
    "proximity": _("Same municipality"),
    "family_situation": _("Same family situation"),
    "availability": _("Shared availability"),
}

MUST_HELP = {
    "interests": _("Only propose pairs that share at least one interest"),
    "age": _("Only propose pairs closer in age than the age span"),
    "swedish": _("Only propose established participants who speak Swedish"),
    "proximity": _("Only propose pairs living in the same municipality"),
    "family_situation": _("Only propose pairs who both have children or both have none"),
    "availability": _("Only propose pairs who share a time to meet"),
}


class RunForm(forms.Form):
    scope = forms.ChoiceField(label=_("Match within"))
    solver = forms.ChoiceField(label=_("Solver"), choices=Solver.choices, initial=Solver.FAST)
    name = forms.CharField(
        label=_("Name of the run (optional)"),
        max_length=200,
        required=False,
        help_text=_("For finding the run again later. Without a name it is called by its scope and date."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions, projects = scopes_for_user(user)
        self.regions = {str(r.uid): r for r in regions}
        self.projects = {str(p.uid): p for p in projects}
        choices: list[tuple[str, Any]] = []
        if user.is_org_admin:
            choices.append(("all", _("Whole organisation")))
        choices += [
            (f"region:{uid}", _("Region: %(name)s") % {"name": r.name}) for uid, r in self.regions.items()
        ]
        choices += [
            (f"project:{uid}", _("Project: %(name)s") % {"name": p.name}) for uid, p in self.projects.items()
        ]
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)  # the declared field above; narrows for the type checker
        scope.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope") or ""
        data["region"] = data["project"] = None
        kind, _sep, uid = scope.partition(":")
        if kind == "region":
            data["region"] = self.regions.get(uid)
        elif kind == "project":
            data["project"] = self.projects.get(uid)
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why (staff only)"), max_length=500, required=False)


class WeightsForm(forms.Form):
    """One weight (0-1000 points) and one "must" flag per score component, plus three tuning numbers."""

    interests_full_at = forms.IntegerField(
        label=_("Shared interests for full points"), min_value=1, max_value=20
    )
    age_span_years = forms.IntegerField(
        label=_("Age difference (years) that earns no points"), min_value=1, max_value=100
    )
    waiting_cap_days = forms.IntegerField(
        label=_("Waiting days after which waiting earns no more points"), min_value=1, max_value=3650
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMPONENTS:
            self.fields[f"{name}_weight"] = forms.FloatField(
                label=COMPONENT_LABELS[name],
                min_value=0,
                max_value=1000,
            )
            if name != "waiting":
                self.fields[f"{name}_must"] = forms.BooleanField(label=MUST_HELP[name], required=False)

    @classmethod
    def initial_from(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        w = engine.Weights.from_mapping(mapping) if mapping else engine.Weights()
        initial: dict[str, Any] = {
            "interests_full_at": w.interests_full_at,
            "age_span_years": w.age_span_years,
            "waiting_cap_days": w.waiting_cap_days,
        }
        for name in COMPONENTS:
            initial[f"{name}_weight"] = getattr(w, name).weight
            initial[f"{name}_must"] = getattr(w, name).must
        return initial

    def component_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"{n}_weight"], self[f"{n}_must"] if n != "waiting" else None) for n in COMPONENTS]

    def to_mapping(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {
            name: {"weight": float(d[f"{name}_weight"]), "must": bool(d.get(f"{name}_must", False))}
            for name in COMPONENTS
        }
        out.update(
            interests_full_at=d["interests_full_at"],
            age_span_years=d["age_span_years"],
            waiting_cap_days=d["waiting_cap_days"],
        )
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            if sum(float(data[f"{n}_weight"]) for n in COMPONENTS) <= 0:
                raise forms.ValidationError(_("At least one weight must be above zero."))
            try:
                engine.Weights.from_mapping(self.to_mapping())
            except engine.WeightsError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


class ManualMatchForm(forms.Form):
    """A manual match: the partner (the other role), the rules to override and why."""

    partner = forms.UUIDField(widget=forms.HiddenInput)
    override = forms.MultipleChoiceField(
        label=_("Override"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("Why these rules are overridden (staff only)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kompis.matching.manual import OVERRIDABLE, RULE_LABELS

        super().__init__(*args, **kwargs)
        override = self.fields["override"]
        assert isinstance(override, forms.MultipleChoiceField)  # the declared field above
        override.choices = [(c, RULE_LABELS[c]) for c in OVERRIDABLE]

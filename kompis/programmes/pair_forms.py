"""Staff forms for mentor pairs: a programme's rules and weights, ending a pair, choosing a mentor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompis.programmes.pair_models import PairEndReason
from kompis.programmes.pairing import MAX_WEIGHT, PairingRules


def _weight(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_WEIGHT,
        help_text=_("0 (does not count) to 10 (counts the most)"),
    )


class PairingRulesForm(forms.Form):
    field_weight = _weight(_("Same field of work"))
    language_weight = _weight(_("A shared language besides Swedish"))
    municipality_weight = _weight(_("Same municipality"))
    must_same_field = forms.BooleanField(label=_("Must work in the same field"), required=False)
    must_can_meet = forms.BooleanField(
        label=_("Must live in the same municipality unless both can meet online"), required=False
    )
    must_same_municipality = forms.BooleanField(
        label=_("Must live in the same municipality, even to meet online"), required=False
    )

    @classmethod
    def for_rules(cls, rules: PairingRules) -> PairingRulesForm:
        return cls(initial=rules.to_json())

    def rules(self) -> PairingRules:
        d = self.cleaned_data
        return PairingRules(
            field_weight=d["field_weight"],
            language_weight=d["language_weight"],
            municipality_weight=d["municipality_weight"],
            must_same_field=bool(d.get("must_same_field")),
            must_can_meet=bool(d.get("must_can_meet")),
            must_same_municipality=bool(d.get("must_same_municipality")),
        )


class EndPairForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=PairEndReason.choices)


class ChooseMentorForm(forms.Form):
    mentor = forms.UUIDField(label=_("mentor"))

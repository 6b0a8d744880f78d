from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kompis.followup.models import TaskOutcome


class ResolveTaskForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the contact"), choices=TaskOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Would you like to tell us more? (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

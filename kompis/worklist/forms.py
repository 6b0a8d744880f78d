from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompis.worklist import kinds
from kompis.worklist.models import Task


class ResolveTaskForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome of the contact"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = kinds.get(task.kind)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)  # declared above; narrows the type for `choices`
        field.choices = list(kind.outcomes if kind else kinds.DEFAULT_OUTCOMES)

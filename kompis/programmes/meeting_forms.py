"""The form a pair (or staff) log a meeting with: only the date is asked for; how and a few words are
optional. `for_pair` gives the form class for one pair, so that a date outside the pair's time is refused
with a message naming the field (the self-service page builds its forms from a class)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kompis.programmes.meetings import MeetingRefused, check_date
from kompis.programmes.models import MeetingHow, MentorPair


class MeetingForm(forms.Form):
    met_on = forms.DateField(
        label=_("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date of the meeting.")},
    )
    how = forms.ChoiceField(
        label=_("How did you meet? (optional)"),
        choices=[("", "—"), *MeetingHow.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("A few words (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    #: set by `for_pair`: the pair, and whether one of the two fills it in (else staff)
    pair: MentorPair | None = None
    own: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if self.pair is not None and self.pair.started_on is not None:
            self.fields["met_on"].widget.attrs["min"] = self.pair.started_on.isoformat()

    def clean_met_on(self) -> date:
        met_on: date = self.cleaned_data["met_on"]
        if self.pair is None:
            if met_on > timezone.localdate():
                raise forms.ValidationError(_("The date of the meeting cannot be in the future."))
            return met_on
        try:
            check_date(self.pair, met_on)
        except MeetingRefused as exc:
            raise forms.ValidationError(date_message(exc.code, self.pair, own=self.own)) from exc
        return met_on


def date_message(code: str, pair: MentorPair, *, own: bool = True) -> str:
    """The sentence for a refused date (the field is the date of the meeting); `own`: to one of the two."""
    if code == "future":
        return str(_("The date of the meeting cannot be in the future."))
    if code == "before_start" and pair.started_on is not None:
        started = {"date": formats.date_format(pair.started_on, "j F Y")}
        if own:
            return str(_("The date of the meeting cannot be before your pair started (%(date)s).") % started)
        return str(_("The date of the meeting cannot be before the pair started (%(date)s).") % started)
    return str(_("The date of the meeting must be while the pair was active."))


def for_pair(pair: MentorPair, *, own: bool = True) -> type[MeetingForm]:
    """The meeting form for this pair (dates checked against the pair's start and end)."""
    return type("PairMeetingForm", (MeetingForm,), {"pair": pair, "own": own})

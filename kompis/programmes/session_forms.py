"""Staff forms for a cohort's sessions: a new session (kind, times, place or video link, whom to invite) and
inviting more of the cohort's people later."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.programmes.models import Cohort, SessionKind
from kompis.programmes.sessions import InviteGroup, SessionData, check_times, refusal_message

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _group_field(*, with_nobody: bool) -> forms.ChoiceField:
    choices = [
        (InviteGroup.ALL, _("Everyone active in the cohort")),
        (InviteGroup.MENTEES, _("Only the mentees")),
        (InviteGroup.MENTORS, _("Only the mentors")),
    ]
    if with_nobody:
        choices.append((InviteGroup.NOBODY, _("Nobody yet")))
    return forms.ChoiceField(label=_("Invite"), choices=choices, initial=InviteGroup.ALL)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices, initial=SessionKind.GROUP)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the kind and the cohort's name."),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("An address, or empty for a video meeting."),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    counts_for_completion = forms.BooleanField(
        label=_("Counts towards completion"), required=False, initial=True
    )
    invite = _group_field(with_nobody=True)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            code = check_times(cohort=self.cohort, starts_at=starts, ends_at=ends)
            if code == "ends_before_start":
                self.add_error("ends_at", refusal_message(code))
            elif code:
                self.add_error("starts_at", refusal_message(code))
        if not (data.get("place") or "").strip() and not data.get("online"):
            self.add_error("place", refusal_message("no_place"))
        if data.get("online") and not data.get("video_link") and not (data.get("place") or "").strip():
            self.add_error("video_link", gettext("Give the video link of an online session."))
        return data

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            kind=d["kind"],
            title=d.get("title") or "",
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=(d.get("place") or "").strip(),
            online=bool(d.get("online")),
            video_link=d.get("video_link") or "",
            counts_for_completion=bool(d.get("counts_for_completion")),
            invite=d["invite"],
        )


class InviteForm(forms.Form):
    """Invite the cohort's active people of a group who are not invited yet (those enrolled later)."""

    invite = _group_field(with_nobody=False)

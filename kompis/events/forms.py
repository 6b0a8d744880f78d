"""The staff form for a new event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.events.models import Event, EventSeries
from kompis.events.services import EventData, SeriesData
from kompis.organisations.models import Project
from kompis.participants.access import regions_for_writing

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
PUBLIC_HELP = _(
    "Shown on the public events page, where anyone can register. Untick it for an event only for "
    "invited people; the staff calendar and the region's feed show it either way."
)


def _datetime_field(label: str | Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _limit_scope(form: forms.ModelForm[Any], user: User) -> None:
    """Region and project choices of an event or a series: those the user may write to. An admin may leave
    the region empty (an event for the whole organisation); a coordinator may not."""
    region = form.fields["region"]
    project = form.fields["project"]
    assert isinstance(region, forms.ModelChoiceField)
    assert isinstance(project, forms.ModelChoiceField)
    region.queryset = regions_for_writing(user)
    region.required = not user.is_org_admin
    projects = Project.objects.filter(organisation=user.organisation)
    if not user.is_org_admin:
        projects = projects.filter(Q(pk__in=user.projects.all()) | Q(region__in=user.regions.all()))
    project.queryset = projects


class EventForm(forms.ModelForm[Event]):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    video_link = forms.URLField(label=_("video link"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "region",
            "project",
            "place",
            "online",
            "video_link",
            "capacity",
            "public",
        ]
        help_texts = {
            "place": _("An address, or empty for an event only online."),
            "capacity": _("Empty: no limit."),
            "public": PUBLIC_HELP,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _limit_scope(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts < timezone.now():
            self.add_error("starts_at", gettext("The event cannot start in the past."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", gettext("The event must end after it starts."))
        if not (data.get("place") or "").strip() and not data.get("online"):
            self.add_error("place", gettext("Give a place, or tick “online”."))
        return data

    def _post_clean(self) -> None:
        # The service validates and saves the event; the form's own model validation would only repeat it
        # (and the event has no organisation yet here).
        pass

    def event_data(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            region=d.get("region"),
            project=d.get("project"),
            place=(d.get("place") or "").strip(),
            online=bool(d.get("online")),
            video_link=d.get("video_link") or "",
            capacity=d.get("capacity"),
            public=bool(d.get("public")),
        )


class SeriesForm(forms.ModelForm[EventSeries]):
    """A weekly series: weekday, time, duration, from and until (empty: 52 weeks)."""

    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 52 weeks."),
    )
    start_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=24 * 60)
    video_link = forms.URLField(label=_("video link"), required=False, assume_scheme="https")

    class Meta:
        model = EventSeries
        fields = [
            "title",
            "weekday",
            "start_time",
            "duration_minutes",
            "starts_on",
            "ends_on",
            "region",
            "project",
            "place",
            "online",
            "video_link",
            "capacity",
            "public",
        ]
        help_texts = {
            "place": _("An address, or empty for an event only online."),
            "capacity": _("Empty: no limit."),
            "public": PUBLIC_HELP,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_scope(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and starts < timezone.localdate():
            self.add_error("starts_on", gettext("The series cannot start in the past."))
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The series must end after it starts."))
        if not (data.get("place") or "").strip() and not data.get("online"):
            self.add_error("place", gettext("Give a place, or tick “online”."))
        return data

    def _post_clean(self) -> None:
        # the service validates and saves the series (it has no organisation yet here)
        pass

    def series_data(self) -> SeriesData:
        d = self.cleaned_data
        return SeriesData(
            title=d["title"],
            weekday=int(d["weekday"]),
            start_time=d["start_time"],
            duration_minutes=d["duration_minutes"],
            starts_on=d["starts_on"],
            ends_on=d.get("ends_on"),
            region=d.get("region"),
            project=d.get("project"),
            place=(d.get("place") or "").strip(),
            online=bool(d.get("online")),
            video_link=d.get("video_link") or "",
            capacity=d.get("capacity"),
            public=bool(d.get("public")),
        )


class PublicRegistrationForm(forms.Form):
    """A name, an e-mail address, a language and the consent: all an event asks of the public."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})
    )
    language = forms.ChoiceField(label=_("Your language for our e-mails"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=_("I agree that my name and e-mail address are stored to handle my registration."),
        required=True,
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(gettext("Write your name."))
        return name


class MoveForm(forms.Form):
    """Move one event (an occurrence of a series: the exception to its weekly time)."""

    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts < timezone.now():
            self.add_error("starts_at", gettext("The event cannot start in the past."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", gettext("The event must end after it starts."))
        return data

"""Events: a language café, an information evening, a group outing, and who is registered for each.

An event belongs to an organisation, a region and optionally a project (a coordinator sees the events of
their regions and projects). A person (`participants.Participant`) registers for an event; the registration
is their participation in it, with its own status. Issue #13 grows this: series of recurring events
(`Event.series`), a waiting list (a new `RegistrationStatus`), public registration, attendance and the
events' figures. The seams are marked "#13" below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class EventQuerySet(models.QuerySet["Event"]):
    def upcoming(self, now: object | None = None) -> EventQuerySet:
        """Events that have not ended yet."""
        return self.filter(ends_at__gte=now or timezone.now())


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class EventSeries(models.Model):
    """A weekly recurring event (a language café): its occurrences are `Event` rows made by
    `services.create_series`, each of which can be cancelled or moved on its own (the exceptions)."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "organisations.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("event series")
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | Q(online=True), name="series_place_or_online"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="series_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """One occasion, in a place or online (or both), with an optional limit on how many may register."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        "organisations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    video_link = models.URLField(_("video link"), blank=True)
    # None: no limit. (#13: a full event puts further registrations on a waiting list.)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # an occurrence of a weekly series (None: a one-off event); moving one occurrence keeps it in its series
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    # cancelled (one occurrence of a series, or a one-off event): kept, shown as cancelled, no registrations
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # shown on the organisation's public events page and open for public registration (a programme's
    # session is not: its people are invited)
    public = models.BooleanField(_("public"), default=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=~Q(place="") | Q(online=True), name="event_place_or_online"),
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="event_org_starts")]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")
    # a full event's waiting list: the first waiting moves up when a place frees up
    WAITING = "waiting_list", _("Waiting list")


class EventRegistration(models.Model):
    """A person's registration for one event. One row per person and event: registering again after a
    cancellation registers the same row again (its history stays in the audit log)."""

    uid = opaque_id_field()
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # the reminder the day before was queued (once per registration)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("event registration")
        constraints = [
            models.UniqueConstraint(fields=["event", "participant"], name="event_registration_once"),
        ]
        indexes = [models.Index(fields=["participant", "status"], name="event_reg_person_status")]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING

    @property
    def is_open(self) -> bool:
        """Registered or waiting: the person can still cancel (or leave the waiting list)."""
        return self.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


# Attendance and the regions' calendar feeds live in their own module (issue #13).
from kompis.events.attendance_models import Attendance as Attendance  # noqa: E402
from kompis.events.attendance_models import CalendarFeed as CalendarFeed  # noqa: E402

"""Attendance at an event, and the secret iCalendar feed of a region's events (issue #13).

Imported by `kompis.events.models` so that Django finds the models in the events app.

`Attendance`: one row per event and person (unique), written by an upsert, so a tick sent twice (the
phone's tick-list re-sends what it kept while offline) never doubles attendance. `last_key` is the
idempotency key of the last tick applied: the same key again changes nothing and logs nothing.
A no-show is not stored on its own: after the event, a registered person without a "present" row is one
(`attendance.no_shows`); `NO_SHOW` is for a register closed explicitly.

`CalendarFeed`: a region's feed URL carries a signature over the region and a random secret; revoking
the feed (or issuing a new one) changes the secret, so every old URL stops working.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class AttendanceState(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    NO_SHOW = "no_show", _("No-show")


class Attendance(models.Model):
    uid = opaque_id_field()
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="event_attendance"
    )
    state = models.CharField(_("attendance"), max_length=16, choices=AttendanceState.choices)
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the idempotency key of the last tick applied (a repeated tick with the same key is a no-op)
    last_key = models.CharField(max_length=64, blank=True)

    class Meta:
        # by the ids: ordering by the related rows would join every event and person on each read
        ordering = ["event_id", "participant_id"]
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "participant"], name="attendance_once"),
        ]
        indexes = [models.Index(fields=["participant", "state"], name="attendance_person_state")]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id}: {self.state}"


def new_feed_secret() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The iCalendar feed of one region's events; at most one per region (issuing again replaces it)."""

    uid = opaque_id_field()
    region = models.OneToOneField(
        "organisations.Region", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret = models.CharField(max_length=64, default=new_feed_secret)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"calendar feed of region {self.region_id}"

    @property
    def organisation_id(self) -> int:
        """For the audit log (the feed's organisation is its region's)."""
        return int(self.region.organisation_id)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

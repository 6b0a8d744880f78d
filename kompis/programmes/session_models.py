"""A cohort's sessions: group sessions, expert-group and network meetings, the closing session (issue #13).

Imported by `kompis.programmes.models` so that Django finds the models in the programmes app.

A session *is* an event (`events.Event`, not public): its date, place or video link, who is invited and who
attended are the event's, so the calendar, the iCalendar feed, the reminder mail and the phone tick-list
work for sessions as they do for a language café. Who is invited is the event's registrations (inviting a
cohort's enrolled people registers them); attendance is the event's `Attendance`. The session adds the
cohort, its kind and whether it counts towards the programme's completion rule
(`Programme.min_sessions_attended`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class SessionKind(models.TextChoices):
    GROUP = "group_session", _("Group session")
    EXPERT_GROUP = "expert_group", _("Expert-group meeting")
    NETWORK = "network_meeting", _("Network meeting")
    CLOSING = "closing_session", _("Closing session")


class CohortSession(models.Model):
    uid = opaque_id_field()
    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.CASCADE, related_name="sessions")
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="programme_session")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.GROUP)
    counts_for_completion = models.BooleanField(_("counts towards completion"), default=True)

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.kind} @ {self.cohort_id}"

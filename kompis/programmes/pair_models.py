"""Mentor pairs of a cohort and the meetings they log (issue #13).

Imported by `kompis.programmes.models` so that Django finds the models in the programmes app.

`MentorPair`: a mentee's and a mentor's enrolments in the same cohort. A pair is *proposed* by the matching
engine (with its score and coded reasons), then approved (*active*, with a start and an end date from the
programme's duration) or rejected by staff, and finally *ended* (at the end date, or early with a coded
reason). A mentee has at most one open (proposed or active) pair; a mentor up to `Enrolment.max_mentees`.

`PairMeeting`: one meeting the pair logged from their personal link (or staff logged for them): the date,
how they met, and a few words. One row per pair and date: logging the same date again updates it, so a
double-submitted form never counts a meeting twice. The words are the pair's own: never in the audit log.
`MentorPair.last_met_on` is kept up to date by the service that logs a meeting (the silent-pair sweep and
the figures read it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


#: a pair in one of these states holds its mentee (and one of its mentor's places)
OPEN_PAIR_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)


class PairEndReason(models.TextChoices):
    COMPLETED = "completed", _("The mentorship period is over")
    NO_CONTACT = "no_contact", _("They lost contact")
    MISMATCH = "mismatch", _("They did not suit each other")
    DROPPED_OUT = "dropped_out", _("One of them left the programme")
    OTHER = "other", _("Other")


class MentorPair(models.Model):
    uid = opaque_id_field()
    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.CASCADE, related_name="pairs")
    mentee = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.CASCADE, related_name="pairs_as_mentee"
    )
    mentor = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.CASCADE, related_name="pairs_as_mentor"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    # the engine's score (0-100) and coded reasons ({"code", "params", "points"}), as for friend matches
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(default=list, blank=True)
    # chosen by staff by hand (not the engine's proposal)
    chosen_by_staff = models.BooleanField(default=False)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=16, choices=PairEndReason.choices, blank=True)
    last_met_on = models.DateField(_("last meeting"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("mentor pair")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "active"]),
                name="pair_one_open_per_mentee",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="pair_two_people"),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="pair_cohort_status"),
            models.Index(fields=["status", "last_met_on"], name="pair_status_last_met"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} + {self.mentor_id}: {self.status}"


class MeetingHow(models.TextChoices):
    IN_PERSON = "in_person", _("We met in person")
    VIDEO = "video", _("By video")
    PHONE = "phone", _("By phone")
    OTHER = "other", _("Other")


class PairMeeting(models.Model):
    uid = opaque_id_field()
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField(_("date"))
    how = models.CharField(_("how"), max_length=16, choices=MeetingHow.choices, blank=True)
    note = models.TextField(_("a few words"), blank=True, max_length=2000)
    # who logged it: one of the pair through their link, or a staff member
    logged_by_participant = models.ForeignKey(
        "participants.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-met_on", "-id"]
        verbose_name = _("meeting")
        constraints = [
            models.UniqueConstraint(fields=["pair", "met_on"], name="pair_meeting_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.pair_id} met {self.met_on}"

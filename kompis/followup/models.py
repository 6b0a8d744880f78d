"""Follow-up of matches: the "did you meet?" question to each participant, and the kinds and outcomes of
the staff tasks it opens (the tasks themselves live in the work list, `kompis.worklist`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field

__all__ = [
    "Answer",
    "CallOutcome",
    "FollowUp",
    "TaskKind",
    "TaskOutcome",
]


class Answer(models.TextChoices):
    MET = "met", _("Yes, we met")
    NOT_YET = "not_yet", _("Not yet")
    WILL_NOT_MEET = "will_not_meet", _("We will not meet")


class FollowUp(models.Model):
    """One "did you meet?" question to one participant of a match. Round 1 is the first question;
    each "not yet" leads to a new round a week later."""

    uid = opaque_id_field()
    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="followups")
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    asked_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    # Set when this question has led to its consequence (next round, task), so a sweep never repeats it.
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["match", "participant", "round"], name="followup_once_per_round"),
        ]
        indexes = [
            models.Index(fields=["answer", "handled_at", "asked_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"follow-up {self.round} of match {self.match_id} to {self.participant_id}: {self.answer or '—'}"
        )


class TaskKind(models.TextChoices):
    """The follow-up's kinds of staff task (registered with the work list in FollowupConfig.ready)."""

    WILL_NOT_MEET = "will_not_meet", _("Will not meet")
    NO_ANSWER = "no_answer", _("No answer to the follow-up")
    NOT_MET_AFTER_ROUNDS = "not_met", _("Still not met")
    EMAIL_BOUNCING = "email_bouncing", _("E-mail does not arrive")
    MAIL_UNDELIVERED = "mail_undelivered", _("Mail could not be delivered for days")
    MAIL_SERVER_REFUSES = "mail_server_refuses", _("The mail server refuses our mail")
    # A person without an e-mail address: staff call where a mail would have gone (one kind per mail).
    CALL_INTRODUCTION = "call_introduction", _("Introduce by phone")
    CALL_QUESTION = "call_question", _("Ask by phone whether they met")
    CALL_REMINDER = "call_reminder", _("Ask again by phone whether they met")
    CALL_PARTNER_LEFT = "call_partner_left", _("Tell by phone that the match has ended")


class TaskOutcome(models.TextChoices):
    """What staff may log for a task about a match."""

    MET = "met", _("They met after all")
    REMATCH = "rematch", _("Re-match: back to the waiting pool with priority")
    CLOSE = "close", _("Close the match")
    NONE = "none", _("No change needed")


class CallOutcome(models.TextChoices):
    """What staff may log for a call made instead of a mail, besides the person's answer (`Answer`)."""

    TOLD = "told", _("Told them about their match")
    NOT_REACHED = "not_reached", _("Could not reach them")

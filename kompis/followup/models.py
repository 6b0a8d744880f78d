"""Follow-up of matches: the "did you meet?" question to each participant, and staff tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


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
    WILL_NOT_MEET = "will_not_meet", _("Will not meet")
    NO_ANSWER = "no_answer", _("No answer to the follow-up")
    NOT_MET_AFTER_ROUNDS = "not_met", _("Still not met")
    EMAIL_BOUNCING = "email_bouncing", _("E-mail does not arrive")
    MAIL_UNDELIVERED = "mail_undelivered", _("Mail could not be delivered for days")
    MAIL_SERVER_REFUSES = "mail_server_refuses", _("The mail server refuses our mail")


class TaskOutcome(models.TextChoices):
    MET = "met", _("They met after all")
    REMATCH = "rematch", _("Re-match: back to the waiting pool with priority")
    CLOSE = "close", _("Close the match")
    NONE = "none", _("No change needed")


class Task(models.Model):
    """Something a coordinator must do, in the region of the participant concerned."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    match = models.ForeignKey(
        "matching.Match", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    # Empty for tasks about the organisation as a whole (e.g. the mail server refuses our mail).
    participant = models.ForeignKey(
        "participants.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=TaskOutcome.choices, blank=True)
    note = models.TextField(_("what happened"), blank=True, max_length=5000)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # One open task per match and kind: a second sweep cannot create a duplicate.
            models.UniqueConstraint(
                fields=["match", "participant", "kind"],
                condition=models.Q(resolved_at=None),
                name="task_open_once",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "resolved_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.participant_id} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

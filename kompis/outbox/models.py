from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class MailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Given up after days of temporary failures (server down, timeouts, 4xx): not the person's fault.
    UNDELIVERED = "undelivered", _("Not delivered")
    # Never sent on purpose: the person left (or unsubscribed) before the mail went out.
    CANCELLED = "cancelled", _("Cancelled")


class Failure(models.TextChoices):
    """Why the last attempt failed: only RECIPIENT (5xx to RCPT TO, confirmed) is a bounce."""

    TEMPORARY = "temporary", _("Temporary: no connection, timeout or 4xx reply")
    SERVER = "server", _("The mail server refuses our mail")
    RECIPIENT = "recipient", _("The mail server refuses this address")


class OutboxMessage(models.Model):
    """Every mail is a row, written in the same transaction as the change that causes it.

    `dedupe_key` makes a second row for the same reason impossible; `message_id` is fixed when the row
    is written, so a mail that must be retried after a crash goes out with the same Message-ID.
    """

    uid = opaque_id_field()
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        "participants.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="mails"
    )
    to_email = models.EmailField()
    # Who a reply reaches (the region's or organisation's contact), fixed when the row is written.
    reply_to = models.EmailField(blank=True)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=16, choices=MailState.choices, default=MailState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200)
    subject = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    last_failure = models.CharField(max_length=16, choices=Failure.choices, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["organisation", "state", "created_at"]),
            # the server-refusal rule looks at the last hour's failures and deliveries
            models.Index(
                fields=["last_attempt_at"],
                name="outbox_failed_recently",
                condition=Q(last_attempt_at__isnull=False),
            ),
            models.Index(fields=["sent_at"], name="outbox_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_email} ({self.state})"


class OutboxAttachment(models.Model):
    """A file a queued mail carries (written with the mail, see `attachments`)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=200)
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

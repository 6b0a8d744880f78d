"""Reads of the outbox for staff pages: the backlog and what went wrong lately."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from kompis.outbox.delivery import PENDING_STATES
from kompis.outbox.models import Failure, MailState, OutboxMessage

#: a backlog whose oldest mail waits longer than this is "delayed" (shown to coordinators too)
DELAYED_AFTER = timedelta(minutes=15)
#: undelivered mails of this recent past are counted on the staff home
UNDELIVERED_DAYS = 30


@dataclass
class OutboxHealth:
    queued: int = 0
    oldest_queued_at: datetime | None = None
    undelivered: int = 0
    last_failure: str = ""
    last_error: str = ""
    last_attempt_at: datetime | None = None
    undelivered_mails: list[OutboxMessage] = field(default_factory=list)

    @property
    def delayed(self) -> bool:
        return self.oldest_queued_at is not None and timezone.now() - self.oldest_queued_at > DELAYED_AFTER

    @property
    def server_refuses(self) -> bool:
        return self.last_failure == Failure.SERVER

    @property
    def needs_attention(self) -> bool:
        return self.delayed or self.undelivered > 0


def outbox_health(
    *, organisation_id: Any, with_mails: bool = False, now: datetime | None = None
) -> OutboxHealth:
    """Backlog (queued or being sent) of the organisation's mail, the age of the oldest queued mail,
    recently undelivered mails and the last failure of a mail still waiting (two to four queries)."""
    now = now or timezone.now()
    rows = OutboxMessage.objects.filter(organisation_id=organisation_id)
    since = now - timedelta(days=UNDELIVERED_DAYS)
    figures = rows.aggregate(
        queued=Count("id", filter=Q(state__in=PENDING_STATES)),
        oldest=Min("created_at", filter=Q(state__in=PENDING_STATES)),
        undelivered=Count("id", filter=Q(state=MailState.UNDELIVERED, last_attempt_at__gte=since)),
    )
    health = OutboxHealth(
        queued=figures["queued"], oldest_queued_at=figures["oldest"], undelivered=figures["undelivered"]
    )
    # What the server said last to a mail still waiting; else to one given up lately.
    fields = ("last_failure", "last_error", "last_attempt_at")
    latest = (
        rows.filter(state__in=PENDING_STATES, last_attempt_at__isnull=False)
        .order_by("-last_attempt_at")
        .values(*fields)
        .first()
    )
    if latest is None and health.undelivered:
        latest = (
            rows.filter(state=MailState.UNDELIVERED, last_attempt_at__gte=since)
            .order_by("-last_attempt_at")
            .values(*fields)
            .first()
        )
    if latest:
        health.last_failure = latest["last_failure"]
        health.last_error = latest["last_error"]
        health.last_attempt_at = latest["last_attempt_at"]
    if with_mails:
        health.undelivered_mails = list(
            rows.filter(state=MailState.UNDELIVERED, last_attempt_at__gte=since)
            .select_related("participant")
            .order_by("-last_attempt_at")[:50]
        )
    return health

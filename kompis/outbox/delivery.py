"""Deliver the outbox: claim due rows, send them over one SMTP connection per batch, record the outcome.

Delivery claims rows with `select_for_update(skip_locked=True)` and a lease, so several workers never
send the same row; a worker that dies mid-send leaves a lease that expires and the row is retried with
the Message-ID it was given when queued.

What a failure means (see `smtp_replies.classify`):

* Connection errors, timeouts, 4xx replies (and 5xx refusals judged to be the server's, below): the
  mail stays queued, retried with back-off (30 s doubling, capped at `OUTBOX_MAX_BACKOFF_SECONDS`, one
  hour). A mail still not delivered `OUTBOX_GIVE_UP_DAYS` (3) after it was queued becomes UNDELIVERED:
  nobody is flagged, staff get one task per organisation (`mail_undelivered`).
* A 5xx reply to MAIL FROM, DATA, HELO or AUTH: the server refuses our mail. Nobody is flagged, the
  mails stay queued as above, and staff get one open task (`mail_server_refused`, with the reply).
* A 5xx reply to RCPT TO: the recipient is refused. It is a bounce (the person is flagged
  `email_bouncing`, `mail_bounced`) only when it is confirmed by a second refusal at least
  `OUTBOX_BOUNCE_CONFIRM_MINUTES` (15) later, and it does not look server-wide: when at least
  `OUTBOX_SERVER_REFUSAL_RECIPIENTS` (3) different addresses got the same reply (addresses masked)
  within `OUTBOX_SERVER_REFUSAL_WINDOW_MINUTES` (60), and the server accepted no more mails than it
  refused in that window, the server is refusing us (e.g. "554 Relay access denied"): handled as a
  server refusal above. The waiting time lets the refusals of a server-wide problem arrive before
  anybody is judged, also when mails trickle in one at a time.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone

from kompis.outbox.attachments import mime_part
from kompis.outbox.models import Failure, MailState, OutboxMessage
from kompis.outbox.rendering import render
from kompis.outbox.signals import mail_bounced, mail_server_refused, mail_undelivered
from kompis.outbox.smtp_replies import Outcome, classify

log = logging.getLogger(__name__)
#: queued and being sent: the backlog
PENDING_STATES = (MailState.QUEUED, MailState.SENDING)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failed ones: 60 s, 120 s, … capped (one hour)."""
    cap = _setting("OUTBOX_MAX_BACKOFF_SECONDS", 3600)
    return timedelta(seconds=min(30 * 2 ** min(attempts, 20), cap))


def claim_due(*, now: datetime, limit: int = 50) -> list[OutboxMessage]:
    """Claim due rows for this worker: queued and due, or sending with an expired lease."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state__in=PENDING_STATES, next_attempt_at__lte=now)
            .exclude(state=MailState.SENDING, lease_until__gt=now)
            .order_by("next_attempt_at", "id")[:limit]
        )
        ids = [row.pk for row in rows]
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=MailState.SENDING, lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        )
    return rows


def still_ours(message: OutboxMessage, moment: datetime) -> bool:
    """Right before sending a claimed row: is it still being sent by us (not cancelled meanwhile because
    the person left)? Renews the lease for a long batch. On PostgreSQL this waits for a transaction that
    is cancelling the row (it holds the row lock) and then sees the cancellation."""
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET lease_until = %s WHERE id = %s AND state = %s",
            [moment + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS), message.pk, MailState.SENDING],
        )
        return bool(cursor.rowcount == 1)


def _send(message: OutboxMessage, connection: Any) -> tuple[str, Outcome | None]:
    """Hand one mail to the server. Returns its subject and None, or the failure."""
    try:
        subject, text, html = render(message)
    except Exception as exc:  # a template bug is not the recipient's fault: retried like an outage
        log.exception("outbox: cannot render mail %s", message.pk)
        return "", Outcome(Failure.TEMPORARY, None, f"cannot render the mail: {type(exc).__name__}")
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    mail.attach_alternative(html, "text/html")
    for row in message.attachments.all():  # attached afresh at each attempt: a retry never doubles them
        mail.attach(mime_part(row))
    try:
        mail.send()
    except (OSError, smtplib.SMTPException) as exc:
        return subject, classify(exc)
    return subject, None


def send_one(message: OutboxMessage, *, connection: Any = None, now: datetime | None = None) -> bool:
    """Send one claimed row and record the outcome. Returns True when the server accepted it."""
    moment = now or timezone.now()
    if not still_ours(message, moment):  # cancelled meanwhile (the person left)
        return False
    subject, failure = _send(message, connection)
    if failure is None:
        _mark_sent(message, subject, moment)
        return True
    _record_failures(_judge_refusals([(message, failure)], moment), moment)
    return False


def _mark_sent(message: OutboxMessage, subject: str, moment: datetime) -> None:
    """Commit the delivery at once: only a crash between the server's acceptance and this statement can
    send a mail twice (with the same Message-ID). Plain SQL: this runs once per mail."""
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, subject = %s, lease_until = NULL, attempts = %s "
            "WHERE id = %s",
            [MailState.SENT, moment, subject[:300], message.attempts + 1, message.pk],
        )


def _server_wide(reply: str, addresses: set[str], moment: datetime) -> bool:
    """Does this RCPT refusal look like the server refusing us rather than one bad address?"""
    since = moment - timedelta(minutes=_setting("OUTBOX_SERVER_REFUSAL_WINDOW_MINUTES", 60))
    needed = _setting("OUTBOX_SERVER_REFUSAL_RECIPIENTS", 3)
    earlier = (
        OutboxMessage.objects.filter(
            last_attempt_at__gte=since,
            last_failure__in=[Failure.RECIPIENT, Failure.SERVER],
            last_error=reply,
        )
        .values_list("to_email", flat=True)
        .distinct()[:1000]
    )
    refused = addresses | set(earlier)
    if len(refused) < needed:
        return False
    accepted = OutboxMessage.objects.filter(state=MailState.SENT, sent_at__gte=since).count()
    return len(refused) >= accepted


def _judge_refusals(
    failures: list[tuple[OutboxMessage, Outcome]], moment: datetime
) -> list[tuple[OutboxMessage, Outcome]]:
    """Turn RCPT refusals that look server-wide into server refusals (nobody is flagged for them)."""
    by_reply: dict[str, set[str]] = defaultdict(set)
    for message, outcome in failures:
        if outcome.failure == Failure.RECIPIENT:
            by_reply[outcome.reply].add(message.to_email.lower())
    server = {reply for reply, addresses in by_reply.items() if _server_wide(reply, addresses, moment)}
    return [
        (message, Outcome(Failure.SERVER, o.code, o.reply) if o.reply in server else o)
        for message, o in failures
    ]


def _record_failures(failures: list[tuple[OutboxMessage, Outcome]], moment: datetime) -> None:
    give_up = timedelta(days=_setting("OUTBOX_GIVE_UP_DAYS", 3))
    confirm = timedelta(minutes=_setting("OUTBOX_BOUNCE_CONFIRM_MINUTES", 15))
    refused_by_server: dict[str, set[int | None]] = defaultdict(set)
    undelivered: dict[int | None, int] = defaultdict(int)
    for message, outcome in failures:
        fields: dict[str, Any] = {
            "attempts": message.attempts + 1,
            "last_error": outcome.reply[:2000],
            "last_failure": outcome.failure,
            "last_attempt_at": moment,
            "lease_until": None,
        }
        bounce = outcome.failure == Failure.RECIPIENT and message.last_failure == Failure.RECIPIENT
        if bounce:
            fields["state"] = MailState.FAILED
        elif moment - message.created_at >= give_up:
            fields["state"] = MailState.UNDELIVERED
            undelivered[message.organisation_id] += 1
        else:
            wait = confirm if outcome.failure == Failure.RECIPIENT else backoff(message.attempts + 1)
            fields.update(state=MailState.QUEUED, next_attempt_at=moment + wait)
        if outcome.failure == Failure.SERVER:
            refused_by_server[outcome.reply].add(message.organisation_id)
        # Only a row this worker still holds is updated (one cancelled meanwhile stays cancelled).
        OutboxMessage.objects.filter(pk=message.pk, state=MailState.SENDING).update(**fields)
        if bounce:
            _bounce(message)
    for reply, organisation_ids in refused_by_server.items():
        log.warning("outbox: the mail server refuses our mail: %s", reply)
        mail_server_refused.send(
            sender=OutboxMessage, organisation_ids=sorted(organisation_ids, key=str), reply=reply
        )
    if undelivered:
        mail_undelivered.send(sender=OutboxMessage, counts=dict(undelivered))


def _bounce(message: OutboxMessage) -> None:
    if not message.participant_id:
        return
    # The participants app flags the address (`email_bouncing`) in its receiver: no import upwards.
    mail_bounced.send(sender=OutboxMessage, participant_id=message.participant_id, message=message)


def _deliver_batch(batch: list[OutboxMessage], moment: datetime) -> int | None:
    """Send one claimed batch; None when no connection could be opened."""
    smtp = get_connection()
    try:
        smtp.open()
    except (OSError, smtplib.SMTPException) as exc:  # server down or refusing us: every row waits
        outcome = classify(exc)
        _record_failures([(message, outcome) for message in batch], moment)
        return None
    sent = 0
    failures: list[tuple[OutboxMessage, Outcome]] = []
    try:
        for message in batch:
            if not still_ours(message, moment):  # cancelled meanwhile (the person left)
                continue
            subject, failure = _send(message, smtp)
            if failure is None:
                _mark_sent(message, subject, moment)
                sent += 1
            else:
                failures.append((message, failure))
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.close()
    _record_failures(_judge_refusals(failures, moment), moment)
    return sent


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Send everything that is due over one SMTP connection per batch; returns how many were accepted."""
    sent = 0
    while True:
        moment = now or timezone.now()
        batch = claim_due(now=moment, limit=limit)
        if not batch:
            return sent
        delivered = _deliver_batch(batch, moment)
        if delivered is None:  # no connection: the rest waits for the next run instead of hammering
            return sent
        sent += delivered

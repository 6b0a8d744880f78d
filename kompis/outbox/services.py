"""The mail outbox: queue a mail inside the caller's transaction, deliver it from the worker.

Delivery claims rows with `select_for_update(skip_locked=True)` and a lease, so several workers never
send the same row; a worker that dies mid-send leaves a lease that expires and the row is retried.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import get_template
from django.utils import timezone, translation

from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.signals import mail_bounced

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
RTL_LANGUAGES = {"ar", "fa"}


@dataclass(frozen=True)
class Mail:
    """One mail to queue: who, which template, in which language, with what context."""

    to_email: str
    template: str
    language: str
    context: dict[str, Any]
    dedupe_key: str
    organisation: Any = None
    participant: Any = None

    def row(self) -> OutboxMessage:
        return OutboxMessage(
            to_email=self.to_email,
            template=self.template,
            language=self.language,
            context=self.context,
            dedupe_key=self.dedupe_key,
            organisation=self.organisation,
            participant=self.participant,
            message_id=make_msgid(domain="kompis.localhost"),
        )


def queue_mail(
    *,
    to_email: str,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str,
    organisation: Any = None,
    participant: Any = None,
) -> OutboxMessage | None:
    """Write one outbox row (idempotent on `dedupe_key`) and ask the worker to send it after commit.

    Returns None when a row with this key exists already: the mail is never queued twice.
    """
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "to_email": to_email,
                "template": template,
                "language": language,
                "context": context,
                "organisation": organisation,
                "participant": participant,
                "message_id": make_msgid(domain="kompis.localhost"),
            },
        )
    if not created:
        return None
    _deliver_after_commit()
    return message


def queue_mails(mails: list[Mail]) -> int:
    """Queue many mails in one statement (the caller's transaction); rows whose key exists are skipped."""
    if not mails:
        return 0
    before = OutboxMessage.objects.filter(dedupe_key__in=[m.dedupe_key for m in mails]).count()
    OutboxMessage.objects.bulk_create([m.row() for m in mails], batch_size=500, ignore_conflicts=True)
    _deliver_after_commit()
    return len(mails) - before


def _deliver_after_commit() -> None:
    from kompis.outbox.tasks import deliver_outbox

    transaction.on_commit(lambda: deliver_outbox.enqueue())


def render(message: OutboxMessage) -> tuple[str, str, str]:
    """Subject, text and HTML of a mail, in its language."""
    context = {
        **message.context,
        "language": message.language,
        "direction": "rtl" if message.language in RTL_LANGUAGES else "ltr",
        "site_root": settings.SITE_ROOT,
    }
    with translation.override(message.language):
        subject = _template(f"{message.template}.subject.txt").render(context).strip()
        text = _template(f"{message.template}.txt").render(context)
        html = _template(f"{message.template}.html").render({**context, "subject": subject})
    return " ".join(subject.split()), text, html


@cache
def _template(name: str) -> Any:
    return get_template(f"outbox/mail/{name}")


def claim_due(*, now: datetime, limit: int = 50) -> list[OutboxMessage]:
    """Claim due rows for this worker: queued and due, or sending with an expired lease."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state__in=[MailState.QUEUED, MailState.SENDING], next_attempt_at__lte=now)
            .exclude(state=MailState.SENDING, lease_until__gt=now)
            .order_by("next_attempt_at", "id")[:limit]
        )
        ids = [row.pk for row in rows]
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=MailState.SENDING, lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        )
    return rows


def send_one(message: OutboxMessage, *, connection: Any = None, now: datetime | None = None) -> bool:
    """Send one claimed row and record the outcome. Returns True when the server accepted it."""
    subject, text, html = render(message)
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    mail.attach_alternative(html, "text/html")
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            _fail_permanently(message, repr(exc))
        else:
            _retry_later(message, repr(exc), now or timezone.now())
        return False
    except (OSError, smtplib.SMTPException) as exc:
        _retry_later(message, repr(exc), now or timezone.now())
        return False
    _mark_sent(message, subject)
    return True


def _mark_sent(message: OutboxMessage, subject: str) -> None:
    """Commit the delivery at once: only a crash between the server's acceptance and this statement can
    send a mail twice (with the same Message-ID). Plain SQL: this runs once per mail."""
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, subject = %s, lease_until = NULL, attempts = %s "
            "WHERE id = %s",
            [MailState.SENT, timezone.now(), subject[:300], message.attempts + 1, message.pk],
        )


def _retry_later(message: OutboxMessage, error: str, now: datetime) -> None:
    attempts = message.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _fail_permanently(message, error)
        return
    delay = timedelta(seconds=min(30 * 2**attempts, 6 * 3600))
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=MailState.QUEUED,
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=error[:2000],
        lease_until=None,
    )


def _fail_permanently(message: OutboxMessage, error: str) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=MailState.FAILED, attempts=message.attempts + 1, last_error=error[:2000], lease_until=None
    )
    if message.participant_id:
        from kompis.participants.models import Participant

        Participant.objects.filter(pk=message.participant_id).update(email_bouncing=True)
        mail_bounced.send(sender=OutboxMessage, participant_id=message.participant_id, message=message)


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Send everything that is due over one SMTP connection per batch; returns how many were accepted."""
    sent = 0
    while True:
        batch = claim_due(now=now or timezone.now(), limit=limit)
        if not batch:
            return sent
        connection = get_connection()
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:  # server down: every row waits for its retry
            for message in batch:
                _retry_later(message, repr(exc), now or timezone.now())
            continue
        try:
            sent += sum(send_one(message, connection=connection, now=now) for message in batch)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()


#: Context key of a mail that names other people: the uids (strings) of the people it is about, e.g. the
#: partner whose e-mail address an introduction gives. Leaving cancels queued mails about the person too.
ABOUT = "about"


def cancel_queued_for(
    *,
    participant_id: int,
    about_uid: str = "",
    dedupe_keys: tuple[str, ...] = (),
    templates: tuple[str, ...] = (),
) -> list[OutboxMessage]:
    """Cancel the mails not yet handed to the mail server: those to the participant, those whose context
    names her (`about`), and those with one of `dedupe_keys`. With `templates`, only mails made from these
    templates are cancelled. Runs in the caller's transaction; returns the cancelled rows.

    A row a worker has claimed and is sending right now (a live lease) cannot be stopped; one whose lease
    has expired would be retried, so it is cancelled like a queued one.
    """
    now = timezone.now()
    waiting = Q(state=MailState.QUEUED) | Q(state=MailState.SENDING, lease_until__lte=now)
    whose = Q(participant_id=participant_id)
    if about_uid:
        whose |= Q(**{f"context__{ABOUT}__icontains": about_uid})
    if dedupe_keys:
        whose |= Q(dedupe_key__in=list(dedupe_keys))
    rows = OutboxMessage.objects.select_for_update().filter(waiting, whose)
    if templates:
        rows = rows.filter(template__in=list(templates))
    found = list(rows.order_by("id"))
    ids = [row.pk for row in found]
    OutboxMessage.objects.filter(waiting, pk__in=ids).update(
        state=MailState.CANCELLED, lease_until=None, last_error="cancelled: the person left or unsubscribed"
    )
    return found

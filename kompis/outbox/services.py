"""The mail outbox: queue a mail inside the caller's transaction; `delivery` sends it from the worker.

Every mail names who to contact: the region's contact of the person it is about (else the
organisation's), fixed on the row when it is queued (`reply_to` and the context's `contact`), so the
worker never looks it up and a later change of contact does not rewrite mails already written.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from kompis.outbox.attachments import Attachment, check_size, store
from kompis.outbox.contacts import Contact, ContactKey, contacts_by_key
from kompis.outbox.delivery import claim_due, deliver_due, send_one
from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.rendering import RTL_LANGUAGES, render
from kompis.outbox.tasks import deliver_outbox

__all__ = [
    "ABOUT",
    "RTL_LANGUAGES",
    "Attachment",
    "Mail",
    "cancel_queued_for",
    "claim_due",
    "deliver_due",
    "queue_mail",
    "queue_mails",
    "render",
    "send_one",
]
#: Context key of the contact block every mail shows (name, email, phone of the contact person).
CONTACT = "contact"


@dataclass(frozen=True)
class Mail:
    """One mail to queue: who, which template, in which language, with what context."""

    to_email: str
    template: str
    language: str
    context: dict[str, Any]
    dedupe_key: str
    #: the Organisation and the Participant the mail is about (outbox does not import their apps)
    organisation: models.Model | None = None
    participant: models.Model | None = None
    #: files the mail carries (an `.ics`), at most 1 MB together
    attachments: tuple[Attachment, ...] = ()

    def contact_key(self) -> ContactKey:
        """(organisation id, region id) whose contact this mail names: the person's region, if any."""
        organisation_id = (self.organisation.pk if self.organisation else None) or getattr(
            self.participant, "organisation_id", None
        )
        return organisation_id, getattr(self.participant, "region_id", None)

    def row(self, contact: Contact | None = None) -> OutboxMessage:
        context = {key: value for key, value in self.context.items() if key != CONTACT}
        if contact is not None:
            context[CONTACT] = contact.as_context()
        return OutboxMessage(
            to_email=self.to_email,
            reply_to=contact.email if contact else "",
            template=self.template,
            language=self.language,
            context=context,
            dedupe_key=self.dedupe_key,
            organisation_id=self.organisation.pk if self.organisation else None,
            participant_id=self.participant.pk if self.participant else None,
            message_id=make_msgid(domain="kompis.localhost"),
        )


def queue_mail(
    *,
    to_email: str,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str,
    organisation: models.Model | None = None,
    participant: models.Model | None = None,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
) -> OutboxMessage | None:
    """Write one outbox row (idempotent on `dedupe_key`) and ask the worker to send it after commit.

    Returns None when a row with this key exists already: the mail is never queued twice.
    `attachments` larger than 1 MB together are refused (`AttachmentTooLarge`): nothing is queued.
    """
    check_size(attachments)
    mail = Mail(
        to_email, template, language, context, dedupe_key, organisation, participant, tuple(attachments)
    )
    with transaction.atomic():
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        key = mail.contact_key()
        row = mail.row(contacts_by_key([key])[key])
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                field: getattr(row, field)
                for field in (
                    "to_email",
                    "reply_to",
                    "template",
                    "language",
                    "context",
                    "organisation_id",
                    "participant_id",
                    "message_id",
                )
            },
        )
        if created and attachments:
            store(message.pk, attachments)
    if not created:
        return None
    _deliver_after_commit()
    return message


def queue_mails(mails: list[Mail]) -> int:
    """Queue many mails in one statement (the caller's transaction); rows whose key exists are skipped."""
    if not mails:
        return 0
    for mail in mails:
        check_size(mail.attachments)
    keys = [m.dedupe_key for m in mails]
    existing = set(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    before = len(existing)
    contacts = contacts_by_key(m.contact_key() for m in mails)
    OutboxMessage.objects.bulk_create(
        [m.row(contacts[m.contact_key()]) for m in mails], batch_size=500, ignore_conflicts=True
    )
    carrying = {m.dedupe_key: m.attachments for m in mails if m.attachments and m.dedupe_key not in existing}
    if carrying:
        written = OutboxMessage.objects.filter(dedupe_key__in=list(carrying)).values_list("pk", "dedupe_key")
        for pk, key in written:
            store(pk, carrying[key])
    _deliver_after_commit()
    return len(mails) - before


def _deliver_after_commit() -> None:
    transaction.on_commit(lambda: deliver_outbox.enqueue())


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

    A row a worker has claimed is cancelled too, whether the worker is alive (it checks each row again
    right before sending it, `delivery.still_ours`) or died (its lease would expire and the row be retried).
    Only a mail the server is receiving at this very moment still goes out (and is then marked sent).
    """
    waiting = Q(state__in=(MailState.QUEUED, MailState.SENDING))
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

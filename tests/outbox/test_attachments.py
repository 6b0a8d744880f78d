"""A queued mail carries files (an event's .ics): stored with the mail, attached once at every attempt."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.utils import timezone

from kompis.outbox.attachments import MAX_ATTACHMENT_BYTES, AttachmentTooLarge
from kompis.outbox.models import MailState, OutboxAttachment, OutboxMessage
from kompis.outbox.services import Attachment, Mail, deliver_due, queue_mail, queue_mails

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nSUMMARY:Språkcafé\r\nEND:VCALENDAR\r\n"
CONTEXT = {"first_name": "Ada", "organisation": "Test", "confirm_url": "x", "days": 7}


def _ics() -> Attachment:
    return Attachment("event.ics", "text/calendar; method=PUBLISH", ICS)


def _calendar_parts(raw: str) -> list[object]:
    return [
        p for p in message_from_bytes(raw.encode("utf-8")).walk() if p.get_content_type() == "text/calendar"
    ]


@pytest.mark.django_db
def test_the_received_mail_has_one_calendar_part_even_after_a_retry(smtp_server):
    queue_mail(
        to_email="a@example.org",
        template="signup_confirm",
        language="sv",
        context=CONTEXT,
        dedupe_key="ics:1",
        attachments=[_ics()],
    )
    t0 = timezone.now()
    smtp_server.handler.data_reply = "451 4.3.0 Try again later"
    assert deliver_due(now=t0) == 0
    assert OutboxMessage.objects.get().state == MailState.QUEUED
    smtp_server.handler.data_reply = None
    assert deliver_due(now=t0 + timedelta(hours=1)) == 1
    [received] = smtp_server.handler.messages()
    [part] = _calendar_parts(received["raw"])
    assert part.get_param("method") == "PUBLISH"  # type: ignore[attr-defined]
    assert part.get_filename() == "event.ics"  # type: ignore[attr-defined]
    assert "Språkcafé" in part.get_payload(decode=True).decode("utf-8")  # type: ignore[attr-defined]
    assert OutboxAttachment.objects.count() == 1


@pytest.mark.django_db
def test_queueing_the_same_mail_again_stores_no_second_attachment():
    for _ in range(2):
        queue_mail(
            to_email="a@example.org",
            template="signup_confirm",
            language="sv",
            context=CONTEXT,
            dedupe_key="ics:again",
            attachments=[_ics()],
        )
    mail = Mail("a@example.org", "signup_confirm", "sv", CONTEXT, "ics:again", attachments=(_ics(),))
    assert queue_mails([mail]) == 0
    assert OutboxAttachment.objects.count() == 1


@pytest.mark.django_db
def test_queue_mails_stores_the_attachments_of_new_mails(smtp_server):
    mails = [
        Mail(f"p{i}@example.org", "signup_confirm", "sv", CONTEXT, f"bulk:{i}", attachments=(_ics(),))
        for i in range(3)
    ]
    assert queue_mails(mails) == 3
    assert deliver_due(now=timezone.now()) == 3
    assert all(len(_calendar_parts(m["raw"])) == 1 for m in smtp_server.handler.messages())


@pytest.mark.django_db
def test_attachments_over_one_megabyte_are_refused_and_nothing_is_queued():
    big = Attachment("big.bin", "application/octet-stream", b"x" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(AttachmentTooLarge, match="Attachments"):
        queue_mail(
            to_email="a@example.org",
            template="signup_confirm",
            language="sv",
            context=CONTEXT,
            dedupe_key="big",
            attachments=[big],
        )
    assert not OutboxMessage.objects.exists() and not OutboxAttachment.objects.exists()

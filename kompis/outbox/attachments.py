"""Files a queued mail carries (an `.ics` of an event): stored with the mail when it is queued, so the
worker needs no other app to send it, and attached afresh at every attempt (a retry never doubles them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email import encoders
from email.message import Message
from email.mime.base import MIMEBase

from django.core.mail import SafeMIMEText
from django.utils.translation import gettext as _

from kompis.outbox.models import OutboxAttachment

#: the most a mail may carry, all its attachments together (bytes)
MAX_ATTACHMENT_BYTES = 1024 * 1024


class AttachmentTooLarge(ValueError):
    """A mail's attachments are larger than `MAX_ATTACHMENT_BYTES`: nothing is queued."""


@dataclass(frozen=True)
class Attachment:
    """One file: its name, its content type (parameters allowed: "text/calendar; method=PUBLISH"), its
    content (text is stored as UTF-8)."""

    filename: str
    content_type: str
    content: bytes | str

    def data(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


def check_size(attachments: Iterable[Attachment]) -> None:
    """Refuse attachments larger together than 1 MB, with a message naming the limit."""
    total = sum(len(a.data()) for a in attachments)
    if total > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(
            _("Attachments: %(size)d bytes is more than a mail may carry (%(limit)d bytes).")
            % {"size": total, "limit": MAX_ATTACHMENT_BYTES}
        )


def store(message_id: int, attachments: Iterable[Attachment]) -> None:
    """Write the rows of one queued mail's attachments (in the caller's transaction)."""
    OutboxAttachment.objects.bulk_create(
        OutboxAttachment(
            message_id=message_id, filename=a.filename, content_type=a.content_type, content=a.data()
        )
        for a in attachments
    )


def mime_part(row: OutboxAttachment) -> MIMEBase:
    """One attachment as a MIME part; the content type keeps its parameters (text/calendar; method=…)."""
    parsed = Message()
    parsed["Content-Type"] = row.content_type
    maintype, subtype = parsed.get_content_maintype(), parsed.get_content_subtype()
    data = bytes(row.content)
    part: MIMEBase
    if maintype == "text":
        part = SafeMIMEText(data.decode("utf-8"), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(data)
        encoders.encode_base64(part)
    for name, value in (parsed.get_params() or [])[1:]:
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=row.filename)
    return part

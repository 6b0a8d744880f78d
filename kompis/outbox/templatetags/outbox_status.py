from __future__ import annotations

from typing import Any

from django import template

from kompis.outbox.selectors import outbox_health

register = template.Library()


@register.inclusion_tag("outbox/_status.html")
def outbox_status(organisation_id: Any, *, with_mails: bool = False, bare: bool = False) -> dict[str, Any]:
    """The outbox card: backlog, oldest queued mail, undelivered mails and the server's last reply
    (`bare`: without the card around it, to sit inside another card)."""
    return {"health": outbox_health(organisation_id=organisation_id, with_mails=with_mails), "bare": bare}

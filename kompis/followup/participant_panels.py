"""What the follow-up shows on a participant's staff page: the mails to her (a panel registered with
kompis.participants.panels from FollowupConfig.ready(); participants imports nothing of the follow-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy

from kompis.followup.selectors import mail_rows
from kompis.participants import panels
from kompis.participants.models import Participant

if TYPE_CHECKING:
    from kompis.accounts.models import User

#: the newest mails shown
MAILS_SHOWN = 50


def mails_panel(user: User, participant: Participant) -> panels.Panel:
    rows = mail_rows(user, participant.mails.order_by("-created_at")[:MAILS_SHOWN])
    return panels.Panel(
        title=gettext_lazy("Mails"),
        count=len(rows),
        template="followup/_mails.html",
        # a resent mail brings staff back to her page
        context={"mails": rows, "next": reverse("participants:detail", args=[participant.uid])},
    )


def register() -> None:
    panels.register("followup.mails", mails_panel, order=20)

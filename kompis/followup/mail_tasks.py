"""Organisation-wide tasks from the outbox: the mail server refuses our mail, mails undelivered for days.

One open task per organisation and kind, however many mails are concerned (a three-day outage with
5,000 waiting mails gives one "undelivered" task, not 5,000). The task page shows the outbox's figures
and the server's last reply; org-wide tasks have no region, so the organisation's admins see them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kompis.audit.actors import SystemActor
from kompis.followup.models import TaskKind
from kompis.organisations.models import Organisation
from kompis.worklist.models import MAIL_SERVER, Task
from kompis.worklist.services import open_task


def open_organisation_task(*, organisation_id: int, kind: str) -> Task | None:
    """Open the task unless one of this kind is open already (the organisation row is the lock)."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            return None
        if (
            Task.objects.open()
            .filter(organisation=organisation, subject_type=MAIL_SERVER, kind=kind)
            .exists()
        ):
            return None
        return open_task(
            actor=SystemActor("followup.mail_check"),
            organisation=organisation,
            kind=kind,
            due_on=timezone.localdate(),
            subject_type=MAIL_SERVER,
        )


def _organisations(ids: Iterable[int | None]) -> list[int]:
    """The organisations concerned; mail of no organisation concerns every organisation."""
    ids = list(ids)
    if None in ids:
        return list(Organisation.objects.values_list("pk", flat=True))
    return [i for i in ids if i is not None]


def on_mail_server_refused(*, organisation_ids: Iterable[int | None], reply: str = "", **_: object) -> None:
    for organisation_id in _organisations(organisation_ids):
        open_organisation_task(organisation_id=organisation_id, kind=TaskKind.MAIL_SERVER_REFUSES)


def on_mail_undelivered(*, counts: dict[int | None, int], **_: object) -> None:
    for organisation_id in _organisations(counts):
        open_organisation_task(organisation_id=organisation_id, kind=TaskKind.MAIL_UNDELIVERED)

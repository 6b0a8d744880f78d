from __future__ import annotations

from django_tasks import task

from kompis.outbox.services import deliver_due


@task()
def deliver_outbox() -> int:
    """Send every due mail in the outbox (safe to run in several workers at once)."""
    return deliver_due()

"""The outbox's one background task. Imported by `services` (which enqueues it after a commit); imports only
`delivery`, so the import runs one way: services -> tasks -> delivery."""

from __future__ import annotations

from django_tasks import task

from kompis.outbox.delivery import deliver_due


@task()
def deliver_outbox() -> int:
    """Send every due mail in the outbox (safe to run in several workers at once)."""
    return deliver_due()

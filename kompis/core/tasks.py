from __future__ import annotations

from django_tasks import task

from kompis.core import sweeps


@task()
def run_sweeps() -> dict[str, int]:
    """The periodic sweep, enqueued by `kompis worker` on a timer."""
    return sweeps.run_all()

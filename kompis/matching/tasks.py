from __future__ import annotations

from django_tasks import task

from kompis.matching.runs import execute_run


@task()
def execute_matching_run(run_id: int) -> str:
    """Run one queued matching run (claimed with skip_locked: a second worker gets nothing to do)."""
    run = execute_run(run_id)
    return "skipped" if run is None else run.status

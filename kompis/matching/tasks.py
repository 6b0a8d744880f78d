"""Where the worker finds the matching task. The task is registered once, in `kompis.matching.runs`,
beside the run it executes and the code that enqueues it, so the import runs one way: tasks -> runs."""

from __future__ import annotations

from kompis.matching.runs import execute_matching_run

__all__ = ["execute_matching_run"]

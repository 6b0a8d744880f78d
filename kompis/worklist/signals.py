"""What the work list tells the apps above it (they connect in their AppConfig; the work list imports none).

`task_resolved` is sent inside the transaction that resolves a task, with `task`, `outcome` and `actor`:
an app acts on its own subjects (the follow-up ends or re-matches a match).
"""

from __future__ import annotations

from django.dispatch import Signal

task_resolved = Signal()

"""The cohort page's panel for the cohort's sessions (group, expert-group, network and closing sessions) and the completion rule: what the template `programmes/_cohort_sessions.html` shows."""

from __future__ import annotations

from typing import Any

from kompis.accounts.models import User
from kompis.programmes.models import Cohort


def cohort_panel(*, user: User, cohort: Cohort) -> dict[str, Any]:
    return {}

"""The cohort page's panel for mentor pairs (proposals from the engine, staff review, ending a pair): what the template `programmes/_cohort_pairs.html` shows."""

from __future__ import annotations

from typing import Any

from kompis.accounts.models import User
from kompis.programmes.models import Cohort


def cohort_panel(*, user: User, cohort: Cohort) -> dict[str, Any]:
    return {}

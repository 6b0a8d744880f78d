"""Small builders for matching tests (generated people only)."""

from __future__ import annotations

from typing import Any

from kompis.participants.models import Participant
from tests.factories import ParticipantFactory


def person(world: Any, role: str, region: str = "uppsala", **kw: Any) -> Participant:
    muni = {"uppsala": "0380", "danderyd": "0162", "lulea": "2580"}[region]
    defaults: dict[str, Any] = {
        "organisation": world.org,
        "region": getattr(world, region),
        "municipality_id": muni,
        "role": role,
        "languages": ["sv", "en"] if role == "established" else ["ar", "en"],
    }
    defaults.update(kw)
    return ParticipantFactory(**defaults)

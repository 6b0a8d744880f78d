"""Helpers shared by the participant tests."""

from __future__ import annotations

from kompis.participants.models import Participant


def edit_data(p: Participant, **changes) -> dict:
    data = {
        "role": p.role,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "email": p.email,
        "phone": p.phone,
        "birth_year": p.birth_year,
        "gender": p.gender,
        "municipality": p.municipality_id,
        "postal_code": p.postal_code,
        "languages": p.languages,
        "interests": p.interests,
        "availability": p.availability,
        "meeting_mode": p.meeting_mode,
        "capacity": p.capacity,
        "region": p.region.pk if p.region else "",
        "project": p.project.pk if p.project else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}

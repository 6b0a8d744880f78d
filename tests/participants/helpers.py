"""Helpers shared by the participant tests."""

from __future__ import annotations

from kompis.participants.models import FriendParticipation, Participant


def edit_data(p: Participant, **changes) -> dict:
    """The staff edit form as it comes filled in for `p` (without the friend-matching fields for a person
    who does not take part in it), with `changes`."""
    friend = FriendParticipation.objects.filter(pk=p.pk).first()
    data = {
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
        "region": p.region.pk if p.region else "",
        "project": p.project.pk if p.project else "",
    }
    if friend is not None:
        data.update(
            role=friend.role,
            availability=friend.availability,
            meeting_mode=friend.meeting_mode,
            capacity=friend.capacity,
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def friend_of(p: Participant) -> FriendParticipation:
    """The person's participation in friend matching as it is in the database now."""
    return FriendParticipation.objects.get(pk=p.pk)

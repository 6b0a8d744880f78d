"""A large waiting pool of generated people, shared by tests/matching/test_scale.py and bench/bench_scale.py
(no test tools needed, so `make bench` can use it with the run lock only)."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from kompis.participants.models import FriendParticipation, Participant

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "uk"]


def create_waiting_pool(*, organisation: Any, region: Any, size: int, seed: int = 7) -> None:
    """`size` waiting participants in `region`, alternating newcomer and established, in bulk: the people,
    then their participations in friend matching (keyed by the people's ids)."""
    rng = random.Random(seed)
    now = timezone.now()
    people: list[Participant] = []
    modes: list[str] = []
    for i in range(size):
        people.append(
            Participant(
                organisation=organisation,
                region=region,
                first_name=f"P{i}",
                last_name="Scale",
                email=f"scale{i}@example.org",
                birth_year=1950 + i % 50,
                gender=rng.choice(["woman", "man"]),
                municipality_id=rng.choice(["0380", "0305", "0360"]),
                languages=rng.sample(LANGUAGES, 2),
                interests=["fika", "music"][: 1 + i % 2],
                signed_up_at=now,
            )
        )
        modes.append(rng.choice(["physical", "digital", "either"]))
    Participant.objects.bulk_create(people, batch_size=5000)
    FriendParticipation.objects.bulk_create(
        [
            FriendParticipation(
                participant_id=person.pk,
                organisation=organisation,
                role="newcomer" if i % 2 else "established",
                meeting_mode=mode,
                status="waiting",
                waiting_since=now,
            )
            for i, (person, mode) in enumerate(zip(people, modes, strict=True))
        ],
        batch_size=5000,
    )

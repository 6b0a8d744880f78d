"""A large waiting pool of generated people, shared by tests/matching/test_scale.py and bench/bench_scale.py
(no test tools needed, so `make bench` can use it with the run lock only)."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from kompis.participants.models import Participant

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "uk"]


def create_waiting_pool(*, organisation: Any, region: Any, size: int, seed: int = 7) -> None:
    """`size` waiting participants in `region`, alternating newcomer and established, in bulk."""
    rng = random.Random(seed)
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            Participant(
                organisation=organisation,
                region=region,
                role="newcomer" if i % 2 else "established",
                first_name=f"P{i}",
                last_name="Scale",
                email=f"scale{i}@example.org",
                birth_year=1950 + i % 50,
                gender=rng.choice(["woman", "man"]),
                municipality_id=rng.choice(["0380", "0305", "0360"]),
                languages=rng.sample(LANGUAGES, 2),
                interests=["fika", "music"][: 1 + i % 2],
                meeting_mode=rng.choice(["physical", "digital", "either"]),
                status="waiting",
                signed_up_at=now,
            )
            for i in range(size)
        ],
        batch_size=5000,
    )

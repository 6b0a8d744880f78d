"""Feeding the engine stays a handful of queries for large pools, and the run pairs them.
Timings: `make bench` (bench/bench_scale.py)."""

from __future__ import annotations

import os
import random

import pytest
from django.utils import timezone

from kompis.matching import feed, services
from kompis.participants.models import Participant

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIZE = int(os.environ.get("KOMPIS_SCALE_TEST_SIZE", "20000"))


def test_feed_large_pool(world, django_assert_max_num_queries):
    rng = random.Random(7)
    langs = ["sv", "en", "ar", "fa", "so", "ti", "uk"]
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            Participant(
                organisation=world.org,
                region=world.uppsala,
                role="newcomer" if i % 2 else "established",
                first_name=f"P{i}",
                last_name="Scale",
                email=f"scale{i}@example.org",
                birth_year=1950 + i % 50,
                gender=rng.choice(["woman", "man"]),
                municipality_id=rng.choice(["0380", "0305", "0360"]),
                languages=rng.sample(langs, 2),
                interests=["fika", "music"][: 1 + i % 2],
                meeting_mode=rng.choice(["physical", "digital", "either"]),
                status="waiting",
                signed_up_at=now,
            )
            for i in range(SIZE)
        ],
        batch_size=5000,
    )
    with django_assert_max_num_queries(8):
        pool = feed.build_pool(
            feed.scope_participants(organisation=world.org, region=world.uppsala), organisation=world.org
        )
    assert len(pool.newcomers) + len(pool.established) == SIZE
    run = services.run_matching(actor=world.admin, organisation=world.org, region=world.uppsala)
    assert run.stats["pairs"] > SIZE // 4

"""Feeding the engine stays a handful of queries for large pools, and the run pairs them.
Timings: `make bench` (bench/bench_scale.py)."""

from __future__ import annotations

import os

import pytest

from kompis.matching import feed, runs
from tests.matching.scale_pool import create_waiting_pool

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIZE = int(os.environ.get("KOMPIS_SCALE_TEST_SIZE", "20000"))


def test_feed_large_pool(world, django_assert_max_num_queries):
    create_waiting_pool(organisation=world.org, region=world.uppsala, size=SIZE)
    with django_assert_max_num_queries(8):
        pool = feed.build_pool(
            feed.scope_participants(organisation=world.org, region=world.uppsala), organisation=world.org
        )
    assert len(pool.newcomers) + len(pool.established) == SIZE
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    assert run.stats["pairs"] > SIZE // 4

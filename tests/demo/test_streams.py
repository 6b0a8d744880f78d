"""The demo's random streams: one per domain; the domains older than the demo package keep their streams."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kompis.demo import streams


def draws(rng: random.Random, n: int = 20) -> list[float]:
    return [rng.random() for _ in range(n)]


def test_the_participants_and_matches_keep_the_streams_they_had_before_the_package():
    # before kompis.demo: participants drew from Random(seed), matches from Random(seed + 1)
    for seed in (1, 42):
        assert draws(streams.stream(seed, streams.PARTICIPANTS)) == draws(random.Random(seed))
        assert draws(streams.stream(seed, streams.MATCHES)) == draws(random.Random(seed + 1))


def test_a_new_domain_has_its_own_repeatable_stream():
    first = draws(streams.stream(1, "events"))
    assert first == draws(streams.stream(1, "events"))  # the same seed: the same draws
    assert first != draws(streams.stream(2, "events"))  # another seed: other draws
    others = [draws(streams.stream(seed, domain)) for seed in (0, 1, 2) for domain in ("surveys", "matches")]
    others += [draws(streams.stream(seed, streams.PARTICIPANTS)) for seed in (0, 1, 2)]
    assert first not in others  # independent of every other domain's stream


def test_a_stream_needs_a_domain():
    with pytest.raises(ValueError):
        streams.stream(1, "")


def test_core_holds_no_demo_code_and_imports_no_demo():
    core = Path(streams.__file__).resolve().parents[1] / "core"
    assert not list(core.glob("demo*.py")) and not (core / "management/commands/demo.py").exists()
    for path in core.rglob("*.py"):
        assert "kompis.demo" not in path.read_text(encoding="utf-8"), path

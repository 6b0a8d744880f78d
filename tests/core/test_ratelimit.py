"""The sign-up rate limit is atomic (issue 10 §8): a counter row updated in one statement, so parallel
requests from several connections never get past the limit."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from kompis.core import ratelimit
from kompis.core.models import RateCounter
from kompis.core.sweeps import run_all
from kompis.participants.models import Participant
from tests.participants.test_signup import SIGNUP, VALID


def test_parse_rate():
    assert ratelimit.parse_rate("20/h") == (20, 3600)
    assert ratelimit.parse_rate("100/10m") == (100, 600)
    assert ratelimit.parse_rate("3/d") == (3, 86400)
    with pytest.raises(ValueError, match="20 per hour"):
        ratelimit.parse_rate("20 per hour")


def test_counter_counts_per_bucket_and_window(db):
    hour = 3600
    t = 1_800_000_000.0  # inside one window
    assert [ratelimit.increment("a", period=hour, now=t + i) for i in range(3)] == [1, 2, 3]
    assert ratelimit.increment("b", period=hour, now=t) == 1  # another client
    next_window = (t // hour + 1) * hour
    assert ratelimit.increment("a", period=hour, now=next_window) == 1  # a new window starts at 1
    assert RateCounter.objects.count() == 3
    assert RateCounter.objects.get(bucket="a", window_start=int(t // hour) * hour).count == 3


def test_ended_windows_are_swept(db):
    from datetime import UTC, datetime

    t = 1_800_000_000.0
    ratelimit.increment("old", period=60, now=t)
    ratelimit.increment("current", period=3600, now=t)
    assert run_all(now=datetime.fromtimestamp(t + 120, tz=UTC))["core.rate_counters"] == 1
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["current"]


def test_the_counter_holds_no_address_and_ipv6_counts_by_network(settings):
    factory = RequestFactory()
    a = factory.post("/", REMOTE_ADDR="2001:db8:1:2::17")
    b = factory.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert ratelimit.client_address(a) == ratelimit.client_address(b) == "2001:db8:1:2::/64"
    bucket = ratelimit.bucket_for("signup", "10.1.2.3")
    assert bucket.startswith("signup:") and "10.1.2.3" not in bucket
    proxied = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert ratelimit.client_address(proxied) == "10.0.0.1"  # the header is not trusted by default
    settings.TRUST_PROXY_HEADERS = True
    assert ratelimit.client_address(proxied) == "192.0.2.7"  # the address the proxy appended


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_increments_from_separate_connections_never_share_a_number():
    """On both databases: 30 threads, each with its own connection, get 1..30 exactly once."""
    barrier = threading.Barrier(30)

    def one(_: int) -> int:
        try:
            barrier.wait(timeout=30)
            return ratelimit.increment("burst", period=3600, now=1_800_000_000.0)
        finally:
            connection.close()

    with ThreadPoolExecutor(30) as pool:
        counts = sorted(pool.map(one, range(30)))
    assert counts == list(range(1, 31))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_parallel_signups_against_twenty_an_hour_let_exactly_twenty_through(world, settings):
    settings.SIGNUP_RATE = "20/h"
    barrier = threading.Barrier(40)

    def sign_up(i: int) -> int:
        try:
            client = Client(REMOTE_ADDR="203.0.113.9")
            barrier.wait(timeout=60)
            return client.post(SIGNUP, {**VALID, "email": f"burst{i}@example.org"}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(sign_up, range(40)))
    assert sorted(statuses) == [302] * 20 + [429] * 20
    assert Participant.objects.count() == 20
    # another address is not affected
    assert (
        Client(REMOTE_ADDR="198.51.100.1").post(SIGNUP, {**VALID, "email": "other@example.org"}).status_code
        == 302
    )


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379")
def test_redis_counter_is_atomic_too(settings):
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    bucket = f"test:{uuid.uuid4().hex}"
    barrier = threading.Barrier(30)

    def one(_: int) -> int:
        barrier.wait(timeout=30)
        return ratelimit.increment(bucket, period=3600)

    with ThreadPoolExecutor(30) as pool:
        assert sorted(pool.map(one, range(30))) == list(range(1, 31))
    assert RateCounter.objects.none().count() == 0  # no database row needed

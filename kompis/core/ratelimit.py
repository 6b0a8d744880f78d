"""Atomic rate limits for public forms (sign-up, link requests), across threads and processes.

Each request adds one to a counter of its client in the current fixed window, and reads the new value
in the same statement: `INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count` on
PostgreSQL and SQLite (3.35+), or Redis `INCR` in a MULTI transaction when the cache is Redis
(CACHE_URL). A read followed by a write (Django's database cache `incr`) lets bursts through; this
does not: 40 parallel requests against 20/h let exactly 20 through.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/h' -> (20, 3600); '100/10m' -> (100, 600), as django-ratelimit writes rates."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"rate {rate!r} is not like '20/h' or '100/10m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNIT_SECONDS[unit]


def client_address(request: HttpRequest) -> str:
    """The client's address; IPv6 by its /64 network (one household or host). Behind a reverse proxy
    (TRUST_PROXY_HEADERS), the address the proxy appended last to X-Forwarded-For."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "TRUST_PROXY_HEADERS", False) and forwarded:
        address = forwarded.split(",")[-1].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def bucket_for(group: str, address: str) -> str:
    """group:hash: counters never hold a client's address in clear."""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:40]
    return f"{group[:50]}:{digest}"


def _uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def _increment_redis(bucket: str, window_start: int, period: int) -> int:
    # Django's RedisCache keeps its redis client in the private `_cache`, which the stubs do not declare.
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    key = f"kompis:rate:{bucket}:{window_start}"
    pipe = client.pipeline(transaction=True)
    pipe.set(key, 0, ex=period + 60, nx=True)
    pipe.incr(key)
    return int(pipe.execute()[1])


def _increment_database(bucket: str, window_start: int, period: int) -> int:
    table = connection.ops.quote_name("core_ratecounter")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, expires_at, count) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [bucket, window_start, window_start + period],
        )
        row = cursor.fetchone()
    return int(row[0])


def increment(bucket: str, *, period: int, now: float | None = None) -> int:
    """Add one to the bucket's counter in the current window of `period` seconds; the new count."""
    now = time.time() if now is None else now
    window_start = int(now // period) * period
    if _uses_redis():
        return _increment_redis(bucket, window_start, period)
    return _increment_database(bucket, window_start, period)


def over_limit(request: HttpRequest, *, group: str, rate: str) -> bool:
    """Count this request for its client; True when it is beyond `rate` (every call counts, as before)."""
    limit, period = parse_rate(rate)
    return increment(bucket_for(group, client_address(request)), period=period) > limit


def sweep_expired(*, now: float | None = None) -> int:
    """Delete counters of windows that have ended (Redis expires its own)."""
    from kompis.core.models import RateCounter

    now = time.time() if now is None else now
    deleted, _ = RateCounter.objects.filter(expires_at__lt=int(now)).delete()
    return deleted

"""Signed, expiring tokens for public links (sign-up confirmation, self-service, follow-up answers)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing


class InvalidLink(Exception):
    """A link that was tampered with, has expired or points to nothing. `reason`: invalid|expired|gone."""

    def __init__(self, reason: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # An expired link was still signed by us: whom it was for is known (to answer in her language).
        self.payload = payload or {}


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return signing.dumps(payload, salt=f"kompis.{purpose}", compress=True)


def read_token(purpose: str, token: str, *, max_age: timedelta) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=f"kompis.{purpose}", max_age=max_age)
    except signing.SignatureExpired as exc:
        try:
            expired = signing.loads(token, salt=f"kompis.{purpose}")
        except signing.BadSignature:  # pragma: no cover - the signature was just found valid
            expired = None
        raise InvalidLink("expired", expired if isinstance(expired, dict) else None) from exc
    except signing.BadSignature as exc:
        raise InvalidLink("invalid") from exc
    if not isinstance(payload, dict):
        raise InvalidLink("invalid")
    return payload

"""The personal token of a survey invitation: a random secret in the link (`/s/<token>/`), of which the
database keeps only the SHA-256 (hex). A token is looked up by its hash; the found row's hash is compared
again in constant time, so neither the database nor the timing of a wrong guess tells anything."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from kompis.surveys.models import Invitation

#: bytes of randomness in a token (32 URL-safe characters)
TOKEN_BYTES = 24
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in `Invitation.token_hash`."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: the token goes into the mail, the hash into the database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, or None (malformed, unknown or tampered)."""
    if not _TOKEN_SHAPE.match(token or ""):
        return None
    wanted = hash_token(token)
    invitation = (
        Invitation.objects.select_related("wave__survey", "participant").filter(token_hash=wanted).first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, wanted):
        return None
    return invitation

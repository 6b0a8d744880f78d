"""One seeded random stream per demo domain, so that a domain's demo module draws only from its own stream:
adding a domain (or changing how one domain draws) never changes the people or figures of another.

The two domains that existed before the demo had its own package keep exactly the streams they had, so the
same seed still gives the same demo: participants `Random(seed)`, matches and their follow-up history
`Random(seed + 1)`. Every other domain gets a stream derived from the seed and its name (a string seed is
hashed with SHA-512 by `random.Random`, independent of PYTHONHASHSEED), e.g. `stream(seed, "events")`.
"""

from __future__ import annotations

import random

PARTICIPANTS = "participants"
MATCHES = "matches"  # matches and their follow-up history (answers, tasks)

# domain -> offset added to the seed: the streams of the domains older than this module
LEGACY_OFFSETS: dict[str, int] = {PARTICIPANTS: 0, MATCHES: 1}


def stream(seed: int, domain: str) -> random.Random:
    """The random stream of `domain` for `seed` (a fresh generator on every call)."""
    if not domain:
        raise ValueError("a demo random stream needs a domain name")
    offset = LEGACY_OFFSETS.get(domain)
    if offset is not None:
        return random.Random(seed + offset)
    return random.Random(f"kompis.demo:{domain}:{seed}")

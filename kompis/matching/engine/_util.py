"""Small helpers shared by the engine modules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Creating hundreds of thousands of participants / reasons otherwise triggers repeated full
    collections over an ever larger heap (quadratic slowdown). Reference counting still frees
    everything; the collector is re-enabled (if it was enabled) on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

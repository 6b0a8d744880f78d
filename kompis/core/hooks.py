"""What core's own pages and commands show from the apps above it, without core importing them.

core is the bottom layer: it imports no other kompis app. An app above fills these in from its
`AppConfig.ready()` (organisations gives the landing page its organisations, and `kompis serve` its
first-run line); core only calls what was registered, and shows nothing from an app that is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: Adds context to the public landing page (core/home.html), e.g. {"organisations": …}.
LandingContext = Callable[[], Mapping[str, object]]
#: A line `kompis serve` prints after starting (or None for nothing), given the address it serves.
StartMessage = Callable[[str | None], str | None]

_landing: list[LandingContext] = []
_start_messages: list[StartMessage] = []


def register_landing_context(func: LandingContext) -> None:
    if func not in _landing:
        _landing.append(func)


def landing_context() -> dict[str, object]:
    context: dict[str, object] = {}
    for func in _landing:
        context.update(func())
    return context


def register_start_message(func: StartMessage) -> None:
    if func not in _start_messages:
        _start_messages.append(func)


def start_messages(*, site_root: str | None) -> list[str]:
    return [line for func in _start_messages if (line := func(site_root))]

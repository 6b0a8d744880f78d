"""What the apps above participants show on a participant's staff page (her matches, the mails to her).

Participants imports none of those apps: each registers a panel source from its AppConfig.ready(), a
function (user, participant) -> Panel (or None to show nothing). The page shows every panel as a card with
its title and count, in the order the sources give, between the notes and the history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from kompis.participants.models import Participant

if TYPE_CHECKING:
    from kompis.accounts.models import User


@dataclass(frozen=True)
class Panel:
    """One card: `template` is rendered with `context` (plus the page's request); `count` is shown after
    the title, e.g. "Matches (2)"."""

    title: str | Promise
    count: int
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True)
class RenderedPanel:
    title: str | Promise
    count: int
    html: SafeString


PanelSource = Callable[["User", Participant], Panel | None]

#: name -> (order, source); a name registers once (a second ready() replaces, never doubles)
_sources: dict[str, tuple[int, PanelSource]] = {}


def register(name: str, source: PanelSource, *, order: int) -> None:
    """Show `source`'s panel on every participant page; lower `order` first."""
    _sources[name] = (order, source)


def panels_for(user: User, participant: Participant) -> list[Panel]:
    """The panels the registered apps show this user about this participant, in order."""
    found = []
    for _order, source in sorted(_sources.values(), key=lambda entry: entry[0]):
        panel = source(user, participant)
        if panel is not None:
            found.append(panel)
    return found


def rendered_panels(request: HttpRequest, user: User, participant: Participant) -> list[RenderedPanel]:
    return [
        RenderedPanel(
            title=panel.title,
            count=panel.count,
            # render_to_string escapes the values it is given: the result is the template's own HTML
            html=mark_safe(render_to_string(panel.template, dict(panel.context), request=request)),
        )
        for panel in panels_for(user, participant)
    ]

"""iCalendar (RFC 5545) text for events, written by hand: no dependency.

Lines end in CRLF and are folded at 75 octets; text values escape backslash, semicolon, comma and
newlines; times are in UTC ("Z").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from kompis.events.models import Event

PRODID = "-//Kompis//Events//EN"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(event: Event, *, now: datetime, sequence: int = 0) -> list[str]:
    """One VEVENT; `sequence` grows with every move or cancellation, so a calendar replaces its copy."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@kompis",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{stamp(now)}",
        f"DTSTART:{stamp(event.starts_at)}",
        f"DTEND:{stamp(event.ends_at)}",
        f"SUMMARY:{escape(event.title)}",
    ]
    if event.place:
        lines.append(f"LOCATION:{escape(event.place)}")
    elif event.online and event.video_link:
        lines.append(f"LOCATION:{escape(event.video_link)}")
    if event.video_link:
        lines.append(f"URL:{event.video_link}")
        lines.append(f"DESCRIPTION:{escape(event.video_link)}")
    if event.cancelled_at is not None:
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str,
    now: datetime,
    method: str = "PUBLISH",
    sequences: Mapping[int, int] | None = None,
) -> str:
    """A calendar of the events (`method` "PUBLISH", or "CANCEL" for a cancelled event's mail);
    `sequences` by event id (0 when missing)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines.extend(vevent(event, now=now, sequence=(sequences or {}).get(event.pk, 0)))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

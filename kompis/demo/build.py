"""`kompis demo [--seed N] [--participants N] [--if-empty]`: the demo, domain by domain, in one transaction.

Every visible value comes from the seed (one random stream per domain, `kompis.demo.streams`), so the same
seed gives the same people, e-mails, attributes, matches and follow-up history (only the opaque `uid`s,
which are never derived from a seed, differ). Dates are relative to `timezone.localdate()`.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.demo import streams
from kompis.demo.events import create_cafe
from kompis.demo.matches import create_matches
from kompis.demo.organisation import (
    ORG_NAME,
    ORG_SLUG,
    PERSONAS,
    REGIONS,
    create_organisation,
    create_personas,
    create_projects,
    write_logins,
)
from kompis.demo.participants import create_participants
from kompis.demo.programmes import create_programmes
from kompis.demo.surveys import create_surveys
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation

__all__ = [
    "DemoError",
    "DemoSummary",
    "any_organisation_exists",
    "create_demo",
    "demo_exists",
    "write_logins",
]


@dataclass
class DemoSummary:
    created: bool
    seed: int
    organisation: Organisation | None = None
    participants: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_project: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""


class DemoError(Exception):
    """The demo cannot be created (e.g. it exists already)."""


def any_organisation_exists() -> bool:
    return Organisation.objects.exists()


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=ORG_SLUG).exists()


def create_demo(*, seed: int = 1, participants: int = 2000, stdout: TextIO | Any = None) -> DemoSummary:
    """Create the demo organisation with its staff and `participants` generated people; print the logins."""
    if participants < 0:
        raise DemoError("the number of participants cannot be negative")
    started = time.monotonic()
    with transaction.atomic():
        if demo_exists():
            raise DemoError(f"the demo organisation (slug {ORG_SLUG!r}) exists already")
        taken = sorted(
            User.objects.filter(username__in=[p.username for p in PERSONAS]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise DemoError(f"these demo usernames are taken already: {', '.join(taken)}")
        region_codes = [code for codes in REGIONS.values() for code in codes]
        known = set(Municipality.objects.filter(code__in=region_codes).values_list("code", flat=True))
        missing = sorted(set(region_codes) - known)
        if missing:
            raise DemoError(f"municipalities missing (run `kompis migrate` first?): {', '.join(missing)}")
        today = timezone.localdate()
        # the domains, in order; each draws only from its own stream
        org, regions = create_organisation()
        projects = create_projects(org, regions, today)
        create_personas(org, regions, projects)
        people = create_participants(
            streams.stream(seed, streams.PARTICIPANTS),
            participants,
            today=today,
            org=org,
            regions=regions,
            projects=projects,
        )
        matches = create_matches(streams.stream(seed, streams.MATCHES), people, org=org, today=today)
        programmes = create_programmes(
            streams.stream(seed, "programmes"),
            people,
            org=org,
            regions=regions,
            projects=projects,
            today=today,
        )
        programmes |= create_cafe(
            streams.stream(seed, "events"), people, org=org, projects=projects, today=today
        )
        programmes |= create_surveys(streams.stream(seed, "surveys"), org=org, today=today)
        summary = DemoSummary(
            created=True,
            seed=seed,
            organisation=org,
            participants=len(people),
            by_role=dict(Counter(p.friend_matching.role for p in people)),
            by_region=dict(Counter(p.region.name if p.region else "(outside the regions)" for p in people)),
            by_project=dict(Counter(p.project.name for p in people if p.project)),
            by_status=dict(Counter(p.friend_matching.status for p in people)),
            programmes=programmes,
        )
        record(
            actor=SystemActor("demo"),
            action=EventType.DEMO_CREATED,
            obj=org,
            organisation=org,
            data={
                "seed": seed,
                "participants": len(people),
                "by_role": summary.by_role,
                "matches": matches,
                "staff": len(PERSONAS),
                "programmes": programmes,
            },
        )
    summary.seconds = time.monotonic() - started
    if stdout is not None:
        write_summary(summary, stdout)
        write_logins(stdout)
    return summary


def write_summary(summary: DemoSummary, out: TextIO | Any) -> None:
    def line(text: str = "") -> None:
        out.write(text + "\n")

    line(f"Created {ORG_NAME} (slug {ORG_SLUG}), seed {summary.seed}, in {summary.seconds:.1f} s:")
    roles = ", ".join(f"{count} {role}" for role, count in sorted(summary.by_role.items()))
    line(f"  {summary.participants} participants ({roles})")
    line("  by region: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_region.items())))
    line(
        "  by project: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_project.items()))
    )
    line("  by status: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_status.items())))
    line(
        "  programmes and events: "
        + ", ".join(f"{name} {count}" for name, count in summary.programmes.items())
    )

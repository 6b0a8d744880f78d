"""A small, hand-counted world for the report figures (see test_figures.py for the expected values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from tests.factories import ParticipantFactory

UTC = ZoneInfo("UTC")
STHLM = ZoneInfo("Europe/Stockholm")


def local(y: int, m: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=STHLM)


@dataclass
class Small:
    world: Any
    p: dict[str, Any]
    m: dict[str, Any]


def person(
    world: Any,
    key: str,
    role: str,
    birth_year: int,
    gender: str,
    municipality: str,
    languages: list[str],
    mode: str,
    signed: date,
    verified: bool,
    status: str,
    region: Any,
    project: Any = None,
) -> Any:
    return ParticipantFactory(
        organisation=world.org,
        region=region,
        project=project,
        role=role,
        birth_year=birth_year,
        gender=gender,
        municipality_id=municipality,
        languages=languages,
        meeting_mode=mode,
        signed_up_at_date=signed,
        email_verified_at=timezone.make_aware(datetime.combine(signed, datetime.min.time()))
        if verified
        else None,
        status=status,
        first_name=key,
        last_name="Rapport",
    )


@pytest.fixture
def small(world) -> Small:
    w = world
    p = {
        "N1": person(
            w,
            "N1",
            "newcomer",
            2000,
            "woman",
            "0380",
            ["ar", "sv"],
            "physical",
            date(2026, 2, 10),
            True,
            "matched",
            w.uppsala,
        ),
        "N2": person(
            w,
            "N2",
            "newcomer",
            1990,
            "man",
            "0380",
            ["ar"],
            "digital",
            date(2026, 3, 5),
            True,
            "matched",
            w.uppsala,
            w.project,
        ),
        "N3": person(
            w,
            "N3",
            "newcomer",
            2005,
            "woman",
            "0162",
            ["fa"],
            "either",
            date(2026, 5, 1),
            False,
            "waiting",
            w.danderyd,
        ),
        "N4": person(
            w,
            "N4",
            "newcomer",
            1980,
            "woman",
            "0380",
            ["ar"],
            "physical",
            date(2025, 6, 1),
            True,
            "waiting",
            w.uppsala,
        ),
        "E1": person(
            w,
            "E1",
            "established",
            1970,
            "man",
            "0380",
            ["en", "sv"],
            "physical",
            date(2026, 1, 15),
            True,
            "matched",
            w.uppsala,
        ),
        "E2": person(
            w,
            "E2",
            "established",
            1960,
            "woman",
            "0380",
            ["sv"],
            "either",
            date(2026, 2, 20),
            True,
            "matched",
            w.uppsala,
            w.project,
        ),
        "E3": person(
            w,
            "E3",
            "established",
            1995,
            "nonbinary",
            "0162",
            ["sv"],
            "digital",
            date(2025, 12, 1),
            True,
            "waiting",
            w.danderyd,
        ),
        "E4": person(
            w,
            "E4",
            "established",
            1985,
            "woman",
            "2581",
            ["fi", "sv"],
            "physical",
            date(2026, 7, 1),
            False,
            "waiting",
            w.lulea,
        ),
    }
    other_region = w.other_org.regions.get()
    p["X"] = ParticipantFactory(
        organisation=w.other_org,
        region=other_region,
        signed_up_at_date=date(2026, 3, 1),
        first_name="Outsider",
    )
    m = {
        "M1": Match.objects.create(
            organisation=w.org,
            newcomer=p["N1"],
            established=p["E1"],
            kind="individual",
            mode="physical",
            created_at=local(2026, 3, 1),
            introduced_at=local(2026, 3, 2),
            followup_asked_at=local(2026, 3, 16),
            met_at=local(2026, 3, 20),
            status="met",
        ),
        "M2": Match.objects.create(
            organisation=w.org,
            newcomer=p["N2"],
            established=p["E2"],
            kind="family",
            mode="digital",
            created_at=local(2026, 4, 1),
            introduced_at=local(2026, 4, 2),
            followup_asked_at=local(2026, 4, 16),
            status="not_yet",
        ),
        # 2025-12-31 23:30 UTC is 00:30 on 1 January 2026 in Stockholm: a 2026 match
        "M3": Match.objects.create(
            organisation=w.org,
            newcomer=p["N4"],
            established=p["E3"],
            kind="individual",
            mode="digital",
            created_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
            status="ended",
            ended_at=local(2026, 2, 1),
            end_reason="moved away",
        ),
    }
    for who, answer in (("N1", "met"), ("E1", "met")):
        FollowUp.objects.create(
            match=m["M1"],
            participant=p[who],
            asked_at=local(2026, 3, 16),
            answer=answer,
            answered_at=local(2026, 3, 18),
        )
    FollowUp.objects.create(
        match=m["M2"],
        participant=p["N2"],
        asked_at=local(2026, 4, 16),
        answer="not_yet",
        answered_at=local(2026, 4, 17),
    )
    FollowUp.objects.create(match=m["M2"], participant=p["E2"], asked_at=local(2026, 4, 16))
    return Small(w, p, m)

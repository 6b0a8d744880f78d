from __future__ import annotations

import pytest

from kompis.followup.services import introduce_match
from kompis.matching.models import Match
from tests.factories import ParticipantFactory


@pytest.fixture
def make_match(world):
    """An approved and introduced match between a newcomer (Arabic) and an established (Swedish) in Uppsala."""

    def make(*, newcomer_region=None, **extra):
        region = newcomer_region or world.uppsala
        newcomer = ParticipantFactory(
            organisation=world.org,
            region=region,
            role="newcomer",
            status="matched",
            preferred_language="ar",
            first_name="Samir",
        )
        established = ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            role="established",
            status="matched",
            preferred_language="sv",
            first_name="Britt",
            phone="070-1740605",
            share_phone=True,
        )
        match = Match.objects.create(
            organisation=world.org,
            newcomer=newcomer,
            established=established,
            mode="physical",
            created_by=world.uppsala_coordinator,
            **extra,
        )
        introduce_match(actor=world.uppsala_coordinator, match=match)
        match.refresh_from_db()
        return match

    return make

"""Shared fixtures of the self-service tests."""

from __future__ import annotations

import pytest

from kompis.followup import services as followup
from kompis.matching.models import Match
from kompis.participants.models import Consent
from tests.factories import ParticipantFactory


@pytest.fixture
def pair(world):
    """Layla (newcomer, Arabic) introduced to Britt (established, Swedish); the mails still queued."""
    layla = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        role="newcomer",
        status="matched",
        first_name="Layla",
        email="layla@example.org",
        preferred_language="ar",
    )
    britt = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        role="established",
        status="matched",
        first_name="Britt",
        email="britt@example.org",
        preferred_language="sv",
    )
    Consent.objects.create(participant=layla, kind="data_processing", policy_version="2026-01")
    match = Match.objects.create(
        organisation=world.org, newcomer=layla, established=britt, mode="physical", created_by=world.admin
    )
    followup.introduce_match(actor=world.admin, match=match)
    match.refresh_from_db()
    return layla, britt, match

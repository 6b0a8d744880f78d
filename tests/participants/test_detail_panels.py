"""The participant page shows what other apps know of her (her matches, the mails to her) through the panel
registry in participants (participants imports nothing of matching or the follow-up)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompis.followup import services as followup
from kompis.matching.models import Match
from kompis.participants.panels import panels_for
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def introduced(world):
    layla = ParticipantFactory(
        organisation=world.org, region=world.uppsala, role="newcomer", status="matched", first_name="Layla"
    )
    britt = ParticipantFactory(
        organisation=world.org, region=world.uppsala, role="established", status="matched", first_name="Britt"
    )
    match = Match.objects.create(
        organisation=world.org, newcomer=layla, established=britt, mode="physical", created_by=world.admin
    )
    followup.introduce_match(actor=world.admin, match=match)
    return layla, britt, match


def test_matches_then_mails_between_notes_and_history(client, world, introduced):
    layla, britt, match = introduced
    client.force_login(world.admin)
    html = client.get(reverse("participants:detail", args=[layla.uid])).content.decode()
    notes, matches, mails, history = (
        html.index(">Notes <"),
        html.index(">Matches <"),
        html.index(">Mails <"),
        html.index(">History<"),
    )
    assert notes < matches < mails < history
    assert reverse("followup:match", args=[match.uid]) in html
    assert f"{layla.first_name} {layla.last_name} – {britt.first_name} {britt.last_name}" in html
    assert '<span class="muted">(1)</span>' in html  # one match, one mail (her introduction)
    assert f'name="next" value="{reverse("participants:detail", args=[layla.uid])}"' in html


def test_each_app_gives_its_panel_in_order(world, introduced):
    layla, _britt, _match = introduced
    panels = panels_for(world.admin, layla)
    assert [p.count for p in panels] == [1, 1]
    assert [str(p.title) for p in panels] == ["Matches", "Mails"]

"""A participant's own words (about me, hopes) and staff notes keep their own direction on a page in
another direction: an English sentence on the Arabic staff page ends with its full stop on the right."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompis.participants.models import Note
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_own_words_and_notes_are_marked_dir_auto(client, world):
    person = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        about_me="I am 22 and like fika.",
        hopes="To practise Swedish.",
    )
    Note.objects.create(participant=person, author=world.admin, text="Called her, all fine.")
    client.force_login(world.admin)
    client.cookies["kompis_language"] = "ar"
    page = client.get(reverse("participants:detail", args=[person.uid])).content.decode()
    assert 'dir="rtl"' in page
    assert '<p dir="auto">I am 22 and like fika.</p>' in page
    assert '<p dir="auto">To practise Swedish.</p>' in page
    assert '<span dir="auto">Called her, all fine.</span>' in page

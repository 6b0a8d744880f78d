"""The personal page says the participant's status in one whole sentence per case (translators' review,
issue 9): no "Your status:" + label + "until" + date glued from pieces."""

from __future__ import annotations

from datetime import date

import pytest

from kompis.participants.services import self_service_url
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def page_of(client, person) -> str:
    client.get("/language/en/")
    response = client.get(self_service_url(person).split("127.0.0.1:8000", 1)[1])
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "status, paused_until, sentence",
    [
        (
            "paused",
            date(2030, 5, 17),
            'Your participation is paused until <span class="ltr">2030-05-17</span>.',
        ),
        ("paused", None, "Your participation is paused."),
        ("waiting", None, "You are on the waiting list."),
        ("matched", None, "We have found someone for you to meet."),
    ],
)
def test_status_is_one_sentence(client, world, status, paused_until, sentence):
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, status=status, paused_until=paused_until
    )
    html = page_of(client, person)
    assert sentence in html
    assert "Your status:" not in html and "— until" not in html

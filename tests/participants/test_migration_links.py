"""A link mailed before the split of person and friend participation (participants 0009) still opens the
person's page after it (issue 12): the database is migrated back to 0008, a participant is written with the
model of that time, their self-service link is made as it was mailed, and after migrating forward the link
opens their page, and their participation in friend matching holds what the old row said.

Runs on SQLite and PostgreSQL alike (it touches the database, so the PostgreSQL pass keeps it), and leaves
the database migrated to the latest migrations whatever happens.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from kompis.participants.models import FriendParticipation, Participant

BEFORE = [("participants", "0008_merged_participant")]
#: the self-service link's signing salt when links were mailed before the migration (core.tokens.make_token
#: with participants.services.SELF_SERVICE_PURPOSE): a link already in someone's inbox carries exactly this
SELF_SERVICE_SALT = "kompis.participant.self_service"


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    """Migrate to `targets` (None: every app's latest migration); an executor for the state reached."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # municipalities stay for later tests
def test_a_link_mailed_before_the_split_opens_the_persons_page_after_it(client):
    try:
        executor = _migrate(BEFORE)
        # the models as the database now has them: participants at 0008, every other app where that leaves it
        applied = list(executor.loader.applied_migrations or ())
        old = executor.loader.project_state(applied).apps
        organisation = old.get_model("organisations", "Organisation").objects.create(
            slug="before-split", name="Före delningen"
        )
        uid = uuid.uuid4()
        old.get_model("participants", "Participant").objects.create(
            uid=uid,
            organisation_id=organisation.pk,
            role="established",
            first_name="Ingrid",
            last_name="Malmström",
            email="ingrid@example.org",
            birth_year=1961,
            gender="woman",
            municipality_id="0380",
            languages=["sv", "en"],
            interests=["fika"],
            availability=["weekend"],
            meeting_mode="physical",
            capacity=2,
            wants_family_match=True,
            status="paused",
            paused_until=date(2099, 1, 31),
            rematch_priority=True,
            signed_up_at=timezone.make_aware(datetime(2025, 4, 2, 10, 30)),
        )
        # the link as the mail of that time carried it
        token = signing.dumps({"p": str(uid)}, salt=SELF_SERVICE_SALT, compress=True)
    finally:
        _migrate()  # forward to the latest, also when something above failed

    response = client.get(reverse("public:me", args=["before-split", token]))

    assert response.status_code == 200
    assert "participants/me.html" in [t.name for t in response.templates]
    person = response.context["participant"]
    assert person.uid == uid
    assert person.full_name == "Ingrid Malmström"
    assert "Ingrid" in response.content.decode()
    friend = FriendParticipation.objects.get(participant=Participant.objects.get(uid=uid))
    assert friend.pk == person.pk  # keyed by the person: matches and the engine keep naming her
    assert (friend.role, friend.status, friend.capacity) == ("established", "paused", 2)
    assert friend.paused_until == date(2099, 1, 31)
    assert friend.rematch_priority is True
    assert friend.wants_family_match is True
    assert friend.meeting_mode == "physical"
    assert list(friend.availability) == ["weekend"]
    assert friend.waiting_since == person.signed_up_at  # the pool's order is what it was


def test_the_test_builds_the_link_as_the_code_does():
    """The literal salt above is the one the code signs self-service links with today."""
    from kompis.core.tokens import read_token
    from kompis.participants.services import SELF_SERVICE_PURPOSE

    token = signing.dumps({"p": "x"}, salt=SELF_SERVICE_SALT, compress=True)
    assert read_token(SELF_SERVICE_PURPOSE, token, max_age=timedelta(days=1)) == {"p": "x"}

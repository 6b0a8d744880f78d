"""Anonymous mode, as promised to respondents: an adversary who can read every table (responses, the
waiting table, invitations, the audit log, the outbox) cannot tell which anonymous response is whose.

The checks: responses have no link to a person or token (no such column), a random id, the day only; they
are written only once k are waiting (or the wave closes), in an order unrelated to the order of submission
(SQLite's rowid, PostgreSQL's ctid); the invitation keeps only `used`; no mail is sent; the audit log
names the wave, never the person; and no value a respondent gave appears anywhere but in its response.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from scipy.stats import spearmanr

from kompis.audit.models import AuditEvent
from kompis.core import sweeps
from kompis.outbox.models import OutboxMessage
from kompis.surveys import answering
from kompis.surveys.models import (
    AnonymousPending,
    AnonymousResponse,
    Invitation,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
    WaveStatus,
)
from tests.surveys.answer_fixtures import invite, open_wave

pytestmark = pytest.mark.django_db


def _survey(world: Any, k_min: int) -> Survey:
    survey = Survey.objects.create(
        organisation=world.org,
        name="Anonymous final",
        texts={"en": {"title": "After"}},
        languages=["en"],
        anonymous=True,
        k_min=k_min,
        status=SurveyStatus.OPEN,
    )
    Question.objects.create(survey=survey, code="n", kind=QuestionKind.NUMBER, texts={"en": {"text": "N"}})
    Question.objects.create(survey=survey, code="note", kind=QuestionKind.TEXT, texts={"en": {"text": "?"}})
    return survey


def _answer(invitation: Invitation, n: int) -> None:
    outcome = answering.answer_page(
        invitation=invitation, page=1, posted={"q-n": [str(n)], "q-note": [f"marker{n:04d}x"]}
    )
    assert outcome.status == "submitted"


def _submit_all(world: Any, wave: Any, count: int) -> list[Invitation]:
    invitations = [invite(wave, world=world)[1] for _ in range(count)]
    for n, invitation in enumerate(invitations):
        _answer(invitation, n)
    return invitations


def _physical_order() -> list[int]:
    """The submission numbers of the responses in the order their rows lie in the table."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = AnonymousResponse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {order}")
        ids = [row[0] for row in cursor.fetchall()]
    answers = dict(AnonymousResponse.objects.values_list("id", "answers"))
    return [answers[AnonymousResponse._meta.pk.to_python(i)]["n"] for i in ids]


def test_the_tables_have_no_column_that_could_link_a_person():
    for model in (AnonymousResponse, AnonymousPending):
        columns = {f.column for f in model._meta.concrete_fields}
        related = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
        assert related == [apps.get_model("surveys", "Wave")]
        assert not any(f.get_internal_type() == "DateTimeField" for f in model._meta.concrete_fields)
        assert model._meta.pk.get_internal_type() == "UUIDField"
        assert "invitation_id" not in columns and "participant_id" not in columns
    assert {f.column for f in AnonymousResponse._meta.concrete_fields} == {"id", "wave_id", "day", "answers"}


def test_nothing_is_written_before_k_are_waiting(world):
    wave = open_wave(_survey(world, k_min=4))
    invitations = _submit_all(world, wave, 3)
    assert not AnonymousResponse.objects.exists()
    assert AnonymousPending.objects.filter(wave=wave).count() == 3
    for invitation in invitations:
        invitation.refresh_from_db()
        assert invitation.used and invitation.submitted_at is None and invitation.partial == {}
    _answer(invite(wave, world=world)[1], 3)
    assert AnonymousResponse.objects.filter(wave=wave).count() == 4
    assert not AnonymousPending.objects.exists()
    assert sorted(r.answers["n"] for r in AnonymousResponse.objects.all()) == [0, 1, 2, 3]


def test_what_is_waiting_is_written_when_the_wave_closes(world):
    wave = open_wave(_survey(world, k_min=10))
    _submit_all(world, wave, 2)
    assert sweeps.run_all()["surveys.flush_closed"] == 0  # still open: they wait
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status"])
    assert sweeps.run_all()["surveys.flush_closed"] == 2
    assert AnonymousResponse.objects.filter(wave=wave).count() == 2 and not AnonymousPending.objects.exists()
    assert sweeps.run_all()["surveys.flush_closed"] == 0  # idempotent


def test_a_batch_lies_in_an_order_unrelated_to_submission_seeded(world):
    """A permutation test with a fixed seed: 20 responses written by flush_anonymous in the order the
    generator draws; the physical order is not the order of submission, nor close to it."""
    wave = open_wave(_survey(world, k_min=100))
    _submit_all(world, wave, 20)
    assert answering.flush_anonymous(wave, force=True, rng=random.Random(20261126)) == 20
    order = _physical_order()
    assert sorted(order) == list(range(20))
    assert order != list(range(20))
    assert abs(spearmanr(order, range(20)).statistic) < 0.5


def test_a_batch_written_at_k_lies_in_a_random_order(world):
    """The real path (SystemRandom, flushed when the k-th response arrives): for 60 rows a rank
    correlation of 0.6 with submission order would happen by chance about once in a quarter of a million."""
    wave = open_wave(_survey(world, k_min=60))
    invitations = _submit_all(world, wave, 60)
    order = _physical_order()
    assert sorted(order) == list(range(60))
    assert abs(spearmanr(order, range(60)).statistic) < 0.6
    # the random ids do not follow submission (nor invitation) order either
    by_id = [r.answers["n"] for r in AnonymousResponse.objects.order_by("id")]
    assert abs(spearmanr(by_id, range(60)).statistic) < 0.6
    # every response has the same day: no time to join on
    assert AnonymousResponse.objects.values("day").distinct().count() == 1
    assert all(not i.submitted_at for i in Invitation.objects.filter(pk__in=[i.pk for i in invitations]))


def test_an_adversary_with_every_table_finds_no_link(world):
    """Read every row of every table: a respondent's answer (a unique marker) and a response's id occur
    only in the anonymous response itself; the audit log names the wave only; no mail was queued."""
    wave = open_wave(_survey(world, k_min=5))
    mails_before = OutboxMessage.objects.count()
    invitations = _submit_all(world, wave, 5)
    assert OutboxMessage.objects.count() == mails_before  # no thank-you mail to join on
    responses = list(AnonymousResponse.objects.all())
    assert len(responses) == 5
    secrets = {str(r.id) for r in responses} | {r.id.hex for r in responses}
    secrets |= {f"marker{n:04d}x" for n in range(5)}
    for model in apps.get_models():
        if model is AnonymousResponse:
            continue
        for row in model.objects.values_list():
            text = repr(row)
            found = [s for s in secrets if s in text]
            assert not found, f"{model._meta.label} holds {found}"
    # no row per submission (its time would join the invitation): the batch's event counts them
    assert not AuditEvent.objects.filter(action="survey.response_submitted").exists()
    uids = {str(i.participant.uid) for i in invitations} | {str(i.uid) for i in invitations}
    batch = AuditEvent.objects.get(action="survey.anonymous_batch_written")
    assert batch.data == {"wave": str(wave.uid), "count": 5, "forced": False}
    for event in AuditEvent.objects.filter(object_id=str(wave.uid)):
        assert set(event.data) <= {"wave", "count", "forced"}
        assert not set(map(str, event.data.values())) & uids


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row versions (xmin)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_batch_the_invitations_row_versions_no_longer_tell_when_each_submitted(world):
    """An adversary reading PostgreSQL's system column xmin (the transaction that wrote a row version) must
    not learn from the invitations when, or in which order, people submitted: each submission is its own
    transaction, and the batch rewrites every used invitation in the batch's transaction."""
    wave = open_wave(_survey(world, k_min=5))
    invitations = [invite(wave, world=world)[1] for _ in range(4)]
    for n, invitation in enumerate(invitations):
        _answer(invitation, n)

    def versions() -> list[tuple[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM surveys_invitation WHERE wave_id = %s AND used", [wave.pk]
            )
            return cursor.fetchall()

    assert len(versions()) == 4  # before the batch: one version per submission (the pending window)
    _answer(invite(wave, world=world)[1], 4)  # the fifth: the batch is written
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM surveys_anonymousresponse WHERE wave_id = %s", [wave.pk]
        )
        batch = cursor.fetchall()
    assert len(versions()) == 1 and versions() == batch


def test_closing_an_anonymous_wave_clears_what_people_typed_but_never_sent(world):
    from kompis.surveys.sweeps import close_wave

    wave = open_wave(_survey(world, k_min=5))
    invitation = invite(wave, world=world)[1]
    invitation.partial, invitation.page = {"note": "marker9999x"}, 2
    invitation.save(update_fields=["partial", "page"])
    assert close_wave(wave)
    invitation.refresh_from_db()
    assert invitation.partial == {} and invitation.page == 1 and not invitation.used

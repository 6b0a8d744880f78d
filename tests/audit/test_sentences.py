"""Participant history in readable sentences (issue 9): one registry from action code to sentence, names looked up
at display time under the visibility rule, a readable fallback for unknown codes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from kompis.audit.actors import ParticipantActor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.models import AuditEvent
from kompis.audit.sentences import SENTENCES, history_lines
from kompis.audit.services import record
from kompis.matching.models import Match
from tests.factories import ParticipantFactory

KOMPIS = Path(__file__).resolve().parents[2] / "kompis"
#: an action written as a string instead of an EventType member: `action="participant.paused"`
STRING_ACTION = re.compile(
    r"""(?:\baction\s*=\s*|["']action["']\s*:\s*)(?:[^,)]*\bif\b[^,)]*)?["'][a-z_]+\.[a-z_]+["']"""
)


def test_every_event_type_has_a_sentence_and_every_sentence_an_event_type():
    codes = {e.value for e in EventType}
    assert not codes - set(SENTENCES), "Register a sentence (the app's history.py) for these event types"
    assert not set(SENTENCES) - codes, "A sentence for a code that is not an EventType"


def test_the_source_writes_event_types_not_strings():
    offenders = []
    for path in KOMPIS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for m in STRING_ACTION.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(KOMPIS.parent)}: {m.group(0)}")
    assert not offenders, offenders


def test_the_source_check_can_fail():
    assert STRING_ACTION.search('record(actor=a, action="participant.paused", obj=x)')
    assert STRING_ACTION.search('action=EventType.A if x else "participant.paused",')
    assert not STRING_ACTION.search("record(actor=a, action=EventType.PARTICIPANT_PAUSED, obj=x)")


def test_an_unknown_event_type_is_refused(world, uppsala_participant):
    with pytest.raises(ValueError):
        record(actor=world.admin, action="participant.made_up", obj=uppsala_participant)  # type: ignore[arg-type]


def test_a_bare_string_is_not_an_actor(world, uppsala_participant):
    with pytest.raises((TypeError, AttributeError)):
        record(actor="system", action=EventType.PARTICIPANT_UPDATED, obj=uppsala_participant)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SystemActor("Anna Lund")


@pytest.fixture
def anna(world):
    world.admin.first_name, world.admin.last_name = "Anna", "Coordinator"
    world.admin.save()
    return world.admin


def lines_for(user, obj):
    from kompis.audit.selectors import history_of

    return [line.text for line in history_lines(user, history_of(obj))]


def test_sentences_of_a_participants_history(world, anna):
    karin = ParticipantFactory(
        organisation=world.org, region=world.danderyd, first_name="Karin", last_name="Lind"
    )
    layla = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        first_name="Layla",
        last_name="Haddad",
        role="established",
    )
    match = Match.objects.create(organisation=world.org, newcomer=karin, established=layla, mode="digital")
    me = ParticipantActor(karin.pk)
    record(actor=me, action=EventType.PARTICIPANT_SIGNED_UP, obj=karin, data={"language": "sv"})
    record(actor=me, action=EventType.PARTICIPANT_CONFIRMED_EMAIL, obj=karin)
    record(actor=anna, action=EventType.PARTICIPANT_MATCHED, obj=karin, data={"match": str(match.uid)})
    record(actor=anna, action=EventType.PARTICIPANT_PAUSED, obj=karin, data={"until": "2026-03-03"})
    record(
        actor=anna, action=EventType.PARTICIPANT_UPDATED, obj=karin, data={"fields": ["languages", "phone"]}
    )
    # a code from a later version (or a removed one) still reads as words
    AuditEvent.objects.create(
        actor_label=SystemActor("test.job").label(),
        organisation=world.org,
        action="participant.something_new",
        object_type="participants.participant",
        object_id=str(karin.uid),
    )
    with translation.override("en"):
        texts = lines_for(world.danderyd_coordinator, karin)
    assert texts[::-1][:3] == [
        "Signed up online",
        "Confirmed their e-mail address",
        "Matched with Layla (Uppsala) by Anna Coordinator",
    ]
    assert texts[::-1][3].startswith("Paused until 3 March") and texts[::-1][3].endswith(
        "by Anna Coordinator"
    )
    assert texts[::-1][4] == "Profile changed: languages, phone by Anna Coordinator"
    assert texts[0] == "Something new"  # an unknown code still reads as words
    assert not any("." in t.split(" ")[0] for t in texts)  # no codes
    # an admin sees the partner's full name; the date in the staff user's language
    with translation.override("sv"):
        admin_texts = lines_for(anna, karin)
    assert any("Layla Haddad" in t for t in admin_texts)
    assert any("3 mars" in t for t in admin_texts)


def test_paused_this_year_has_no_year():
    from kompis.audit.sentences import day

    this_year = date.today().replace(month=3, day=3)
    with translation.override("en"):
        assert day(this_year.isoformat()) == "3 March"
        assert day("2020-03-03") == "3 March 2020"


def test_events_with_unexpected_data_fall_back_instead_of_failing(world):
    karin = ParticipantFactory(organisation=world.org, region=world.danderyd)
    AuditEvent.objects.create(
        actor_label="system",
        organisation=world.org,
        action="participant.paused",
        object_type="participants.participant",
        object_id=str(karin.uid),
        data={"until": 12},
    )
    AuditEvent.objects.create(
        actor_label="system",
        organisation=world.org,
        action="followup.answered",
        object_type="participants.participant",
        object_id=str(karin.uid),
        data={"participant": "not-a-uuid"},
    )
    texts = lines_for(world.admin, karin)
    assert len(texts) == 2 and all(texts)


def test_each_app_registers_its_own_sentences_and_a_code_belongs_to_one_app():
    """kompis.audit keeps the mechanism; the feature apps register their codes and name look-ups (issue 11)."""
    from kompis.audit import sentences
    from kompis.followup.history import SENTENCES as FOLLOWUP
    from kompis.matching.history import resolve_partners
    from kompis.participants.history import resolve_people

    assert (
        "followup.answered" in SENTENCES and SENTENCES["followup.answered"] is FOLLOWUP["followup.answered"]
    )
    assert resolve_people in sentences.RESOLVERS and resolve_partners in sentences.RESOLVERS
    with pytest.raises(ValueError, match="already has a sentence"):
        sentences.register({"participant.signed_up": lambda e, c: "another sentence"})
    sentences.register(FOLLOWUP)  # registering the same functions again (a second ready()) is harmless

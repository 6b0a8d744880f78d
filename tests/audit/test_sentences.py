"""Participant history in readable sentences (issue 9): one registry from action code to sentence, names looked up
at display time under the visibility rule, a readable fallback for unknown codes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import SENTENCES, history_lines
from kompis.audit.services import PARTICIPANT, SYSTEM, record
from kompis.matching.models import Match
from tests.factories import ParticipantFactory

KOMPIS = Path(__file__).resolve().parents[2] / "kompis"
ACTION_START = re.compile(r"""(?:\baction\s*=\s*|["']action["']\s*:\s*)""")
CODE = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")


def _expression(text: str, start: int) -> str:
    """The Python expression starting at `start`, up to the comma or closing bracket that ends it."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif ch == "," and depth == 0:
            break
        elif ch in "\"'":
            end = text.index(ch, i + 1)
            i = end
        i += 1
    return text[start:i]


def action_codes_in_source() -> dict[str, str]:
    """Every audit action code written anywhere in kompis/ ({code: file}), from `action=...` and `"action": ...`."""
    found: dict[str, str] = {}
    for path in KOMPIS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in ACTION_START.finditer(text):
            for code in CODE.findall(_expression(text, m.end())):
                found.setdefault(code, str(path.relative_to(KOMPIS.parent)))
    return found


def test_the_source_scan_finds_the_known_codes():
    codes = action_codes_in_source()
    assert {
        "participant.signed_up",
        "participant.confirmed_email",
        "followup.asked",
        "participant.imported",
    } <= set(codes)
    assert (
        "participant.back_to_pool" in codes and "participant.paused" in codes
    )  # both sides of a conditional


def test_every_action_code_written_in_kompis_has_a_sentence():
    missing = {code: where for code, where in action_codes_in_source().items() if code not in SENTENCES}
    assert not missing, (
        f"Register a sentence (the app's history.py, or kompis/audit/sentences.py) for: {missing}"
    )


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
    record(actor=PARTICIPANT, action="participant.signed_up", obj=karin, summary="language sv")
    record(actor=PARTICIPANT, action="participant.confirmed_email", obj=karin)
    record(actor=anna, action="participant.matched", obj=karin, summary=f"Status matched (match {match.uid})")
    record(actor=anna, action="participant.paused", obj=karin, data={"until": "2026-03-03"})
    record(actor=anna, action="participant.updated", obj=karin, data={"fields": ["languages", "phone"]})
    record(actor=SYSTEM, action="participant.something_new", obj=karin)
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

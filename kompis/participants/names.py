"""Names written in another script than the reader's: when to ask for Latin letters, and what to show.

A person who writes her name in Arabic, Persian, Cyrillic … letters gives it in Latin letters too
(`Participant.name_latin`). Mails that name her to a partner use the Latin form unless the partner's
language reads her script: a Swedish partner reads "Säg hej till Layla!", an Arabic one "ليلى".
"""

from __future__ import annotations

import unicodedata
from typing import Any

LATIN = "LATIN"
#: the scripts a reader of each language reads besides Latin letters (which everyone is taken to read)
READS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("ar", "fa", "ps", "ur", "ckb", "ug"), frozenset({"ARABIC"})),
    **dict.fromkeys(("uk", "ru", "bg", "sr", "mk", "be", "kk", "ky", "tg", "mn"), frozenset({"CYRILLIC"})),
    **dict.fromkeys(("ti", "am"), frozenset({"ETHIOPIC"})),
    "el": frozenset({"GREEK"}),
    "he": frozenset({"HEBREW"}),
    "ka": frozenset({"GEORGIAN"}),
    "hy": frozenset({"ARMENIAN"}),
    "th": frozenset({"THAI"}),
    "zh": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "ko": frozenset({"HANGUL"}),
}


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in `text` (by Unicode name: LATIN, ARABIC, CYRILLIC, …).

    Marks, digits, spaces, hyphens and modifier letters (ʿ, ʾ used in transliterations) do not count."""
    scripts = set()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        script = name.split(" ", 1)[0] if name else ""
        if script in ("", "MODIFIER"):
            continue
        scripts.add(script)
    return scripts


def needs_latin(*names: str) -> bool:
    """True when any of the names has letters that are not Latin letters."""
    return any(scripts_of(name) - {LATIN} for name in names)


def reads(language: str, text: str) -> bool:
    """Can a reader of `language` read `text` (every script in it is Latin or one of the language's)?"""
    known = READS.get((language or "").split("-")[0].lower(), frozenset()) | {LATIN}
    return scripts_of(text) <= known


def _latin_first_name(person: Any) -> str:
    """The first name part of `name_latin` when its words line up with first and last name; else the
    whole Latin name ("Layla Haddad" for "ليلى" + "حداد" gives "Layla")."""
    latin = " ".join(person.name_latin.split())
    first, last = person.first_name.split(), person.last_name.split()
    words = latin.split()
    if last and len(words) == len(first) + len(last):
        return " ".join(words[: len(first)])
    return latin


def display_name_for(person: Any, reader_language: str, *, full: bool = False) -> str:
    """The person's first name (or full name) as a reader of `reader_language` should see it in a mail:
    as she writes it when the reader reads that script (or no Latin form was given), else in Latin
    letters."""
    name = str(person.full_name if full else person.first_name)
    if not (person.name_latin or "").strip() or reads(reader_language, name):
        return name
    return " ".join(person.name_latin.split()) if full else _latin_first_name(person)


def partner_contact(partner: Any, reader: Any) -> dict[str, str]:
    """How an introduction mail names the partner to the reader: the name as the reader can read it, the
    e-mail address, and the phone number only when the partner chose to share it."""
    contact = {"name": display_name_for(partner, reader.preferred_language), "email": partner.email}
    if partner.share_phone and partner.phone:
        contact["phone"] = partner.phone
    return contact

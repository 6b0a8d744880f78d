"""What other spreadsheets call Kompis's languages and interests: codes and names mapped to vocab keys.

Languages: ISO 639-1 (Kompis's own codes), ISO 639-2/B, 639-2/T and 639-3 codes (``swe``, ``ara``,
``prs`` for Dari and ``pes`` for Iranian Persian, both Kompis's ``fa``), tags with a region (``sv-SE``,
``ar_SY``) and the English and Swedish names. Interests: the key, its English and Swedish names and
obvious variants (``board games``, ``board-games``, ``brädspel``). Matching ignores case, spaces, ``-``
and ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kompis.participants.vocab import INTERESTS, LANGUAGES

_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "sv": ("swe", "swedish", "svenska"),
    "en": ("eng", "english", "engelska"),
    "ar": ("ara", "arb", "apc", "ajp", "acm", "arz", "arabic", "arabiska"),
    "fa": ("fas", "per", "pes", "prs", "persian", "farsi", "dari", "persiska", "persian dari"),
    "so": ("som", "somali", "somaliska"),
    "uk": ("ukr", "ukrainian", "ukrainska"),
    "ru": ("rus", "russian", "ryska"),
    "ti": ("tir", "tigrinya", "tigrinja"),
    "ku": ("kur", "kmr", "ckb", "sdh", "kurdish", "kurdiska", "kurmanji", "sorani"),
    "ps": ("pus", "pbt", "pst", "pbu", "pashto", "pashtu", "pashto dari"),
    "am": ("amh", "amharic", "amhariska"),
    "tr": ("tur", "turkish", "turkiska"),
    "pl": ("pol", "polish", "polska"),
    "es": ("spa", "spanish", "spanska"),
    "fr": ("fra", "fre", "french", "franska"),
    "de": ("deu", "ger", "german", "tyska"),
    "bs": ("bos", "bosnian", "bosniska"),
    "sr": ("srp", "serbian", "serbiska"),
    "hr": ("hrv", "croatian", "kroatiska"),
    "sq": ("sqi", "alb", "als", "albanian", "albanska"),
    "fi": ("fin", "finnish", "finska"),
    "ur": ("urd", "urdu"),
    "hi": ("hin", "hindi"),
    "bn": ("ben", "bengali", "bangla", "bengaliska"),
    "zh": ("zho", "chi", "cmn", "yue", "chinese", "mandarin", "cantonese", "kinesiska"),
    "th": ("tha", "thai", "thailändska"),
    "vi": ("vie", "vietnamese", "vietnamesiska"),
    "pt": ("por", "portuguese", "portugisiska"),
    "it": ("ita", "italian", "italienska"),
    "ro": ("ron", "rum", "romanian", "rumänska"),
}

_INTEREST_NAMES: dict[str, tuple[str, ...]] = {
    "fika": ("coffee", "kaffe"),
    "cooking": ("cook", "food", "matlagning", "laga mat", "mat", "baking", "bakning"),
    "football": ("soccer", "fotboll"),
    "hiking": ("hike", "walking", "vandring", "vandra", "promenader"),
    "music": ("musik",),
    "books": ("book", "reading", "read", "literature", "böcker", "läsning", "läsa", "litteratur"),
    "crafts": ("craft", "handicraft", "hantverk", "handarbete", "pyssel"),
    "gaming": ("games", "video games", "computer games", "datorspel", "tv spel", "spel"),
    "nature": ("outdoors", "outdoor life", "natur", "friluftsliv"),
    "board_games": ("board game", "boardgames", "brädspel", "sällskapsspel"),
    "running": ("jogging", "run", "löpning", "springa"),
    "cycling": ("bike", "biking", "bicycle", "cykling", "cykla"),
    "art": ("arts", "painting", "konst", "måla"),
    "photography": ("photo", "photos", "fotografering", "foto", "fotografi"),
    "film": ("films", "movies", "movie", "cinema", "bio"),
    "dancing": ("dance", "dans", "dansa"),
    "gardening": ("garden", "trädgård", "trädgårdsarbete", "odling", "odla"),
    "languages": ("language", "språk"),
    "travel": ("travelling", "traveling", "resor", "resa", "resande"),
    "volunteering": ("volunteer", "volontär", "volontärarbete", "ideellt arbete"),
    "yoga": (),
    "swimming": ("swim", "simning", "simma", "bad"),
    "theatre": ("theater", "teater", "drama"),
    "technology": ("tech", "it", "teknik", "programming", "programmering"),
    "history": ("historia",),
}

_SEPARATORS = re.compile(r"[\s_\-/]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().lower()).strip()


def _index(vocab: Mapping[str, object], names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code in vocab:
        index[_key(code)] = code
        for name in names.get(code, ()):
            index[_key(name)] = code
    return index


_LANGUAGES = _index(LANGUAGES, _LANGUAGE_NAMES)
_INTERESTS = _index(INTERESTS, _INTEREST_NAMES)


def language_code(text: str) -> str | None:
    """Kompis's code for a language written as a code or name (``prs`` → ``fa``), or None."""
    key = _key(text)
    if key in _LANGUAGES:
        return _LANGUAGES[key]
    base = re.split(r"[ .]", key, maxsplit=1)[0]  # sv se, ar sy, fa af: a tag with a region
    if base != key and len(base) in (2, 3) and base in _LANGUAGES:
        return _LANGUAGES[base]
    return None


def interest_code(text: str) -> str | None:
    """Kompis's key for an interest written as a key or name (``brädspel`` → ``board_games``), or None."""
    key = _key(text)
    if key in _INTERESTS:
        return _INTERESTS[key]
    if key.endswith("s") and key[:-1] in _INTERESTS:  # hikes, films
        return _INTERESTS[key[:-1]]
    return None

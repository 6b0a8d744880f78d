"""The one participant CSV contract: columns, vocabularies and limits.

Both readers of a participants file use it: the importer (``kompis.participants.importing``, with
translated messages, synonyms and the person columns) and the matching engine's reader
(``kompis.matching.engine.csvio``). The Django side (``kompis.participants.vocab`` and ``forms``) takes
its codes and limits from here and only adds translatable labels. Pure: no Django, no Kompis app.
"""

from __future__ import annotations

#: The matching columns, in the order the engine writes them; ``capacity`` may be left out (1).
CONTRACT_COLUMNS: tuple[str, ...] = (
    "id", "role", "birth_year", "gender", "municipality_code", "postal_code", "languages", "interests",
    "has_children", "wants_family_match", "meeting_mode", "same_gender_only", "capacity", "signed_up",
)  # fmt: skip
OPTIONAL_CONTRACT_COLUMNS: frozenset[str] = frozenset({"capacity"})
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c for c in CONTRACT_COLUMNS if c not in OPTIONAL_CONTRACT_COLUMNS)

ROLES: tuple[str, ...] = ("newcomer", "established")
GENDERS: tuple[str, ...] = ("woman", "man", "nonbinary", "unspecified")
MEETING_MODES: tuple[str, ...] = ("physical", "digital", "either")
AVAILABILITY_SLOTS: tuple[str, ...] = ("weekday_daytime", "weekday_evening", "weekend")

INTEREST_CODES: tuple[str, ...] = (
    "fika", "cooking", "football", "hiking", "music", "books", "crafts", "gaming", "nature", "board_games",
    "running", "cycling", "art", "photography", "film", "dancing", "gardening", "languages", "travel",
    "volunteering", "yoga", "swimming", "theatre", "technology", "history",
)  # fmt: skip
#: ISO 639-1, the common ones among Sweden's newcomers first after Swedish and English.
LANGUAGE_CODES: tuple[str, ...] = (
    "sv", "en", "ar", "fa", "so", "uk", "ru", "ti", "ku", "ps", "am", "tr", "pl", "es", "fr", "de", "bs",
    "sr", "hr", "sq", "fi", "ur", "hi", "bn", "zh", "th", "vi", "pt", "it", "ro",
)  # fmt: skip

#: People one participant meets at the same time: the sign-up and staff forms, the importer and the
#: engine's reader all allow 1 to 5.
MIN_CAPACITY = 1
MAX_CAPACITY = 5
#: Age in whole years this calendar year (this year - birth year).
MIN_AGE = 18
MAX_AGE = 110
#: People in the household (empty, or this range).
MIN_HOUSEHOLD = 1
MAX_HOUSEHOLD = 20


def capacity_ok(value: int) -> bool:
    return MIN_CAPACITY <= value <= MAX_CAPACITY


def birth_year_ok(year: int, this_year: int) -> bool:
    return MIN_AGE <= this_year - year <= MAX_AGE


def household_ok(value: int) -> bool:
    return MIN_HOUSEHOLD <= value <= MAX_HOUSEHOLD

"""Fixed, translatable vocabularies used by sign-up, import, matching and reports."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompis.contract import participants as contract


class ParticipantRole(models.TextChoices):
    NEWCOMER = "newcomer", _("New in Sweden")
    ESTABLISHED = "established", _("Established in Sweden")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Non-binary")
    UNSPECIFIED = "unspecified", _("Prefer not to say")


class MeetingMode(models.TextChoices):
    PHYSICAL = "physical", _("Meet in person")
    DIGITAL = "digital", _("Meet online")
    EITHER = "either", _("Either is fine")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending e-mail confirmation")
    WAITING = "waiting", _("Waiting")
    MATCHED = "matched", _("Matched")
    PAUSED = "paused", _("Paused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    SIGNUP = "signup", _("Public sign-up")
    IMPORT = "import", _("Import")
    STAFF = "staff", _("Added by staff")


INTERESTS = {
    "fika": _("Fika"),
    "cooking": _("Cooking"),
    "football": _("Football"),
    "hiking": _("Hiking"),
    "music": _("Music"),
    "books": _("Books"),
    "crafts": _("Crafts"),
    "gaming": _("Gaming"),
    "nature": _("Nature"),
    "board_games": _("Board games"),
    "running": _("Running"),
    "cycling": _("Cycling"),
    "art": _("Art"),
    "photography": _("Photography"),
    "film": _("Film"),
    "dancing": _("Dancing"),
    "gardening": _("Gardening"),
    "languages": _("Languages"),
    "travel": _("Travel"),
    "volunteering": _("Volunteering"),
    "yoga": _("Yoga"),
    "swimming": _("Swimming"),
    "theatre": _("Theatre"),
    "technology": _("Technology"),
    "history": _("History"),
}

# Languages people speak (ISO 639-1), the common ones among Sweden's newcomers first after Swedish/English.
LANGUAGES = {
    "sv": _("Swedish"),
    "en": _("English"),
    "ar": _("Arabic"),
    "fa": _("Persian / Dari"),
    "so": _("Somali"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "ti": _("Tigrinya"),
    "ku": _("Kurdish"),
    "ps": _("Pashto"),
    "am": _("Amharic"),
    "tr": _("Turkish"),
    "pl": _("Polish"),
    "es": _("Spanish"),
    "fr": _("French"),
    "de": _("German"),
    "bs": _("Bosnian"),
    "sr": _("Serbian"),
    "hr": _("Croatian"),
    "sq": _("Albanian"),
    "fi": _("Finnish"),
    "ur": _("Urdu"),
    "hi": _("Hindi"),
    "bn": _("Bengali"),
    "zh": _("Chinese"),
    "th": _("Thai"),
    "vi": _("Vietnamese"),
    "pt": _("Portuguese"),
    "it": _("Italian"),
    "ro": _("Romanian"),
}

AVAILABILITY = {
    "weekday_daytime": _("Weekdays, daytime"),
    "weekday_evening": _("Weekday evenings"),
    "weekend": _("Weekends"),
}

HEARD_FROM = {
    "friend": _("From a friend"),
    "social_media": _("Social media"),
    "sfi": _("At sfi (Swedish for immigrants)"),
    "municipality": _("The municipality"),
    "employment_service": _("The Swedish Public Employment Service"),
    "event": _("At an event"),
    "search": _("Searching the web"),
    "other": _("Other"),
}


# The codes are the participant CSV contract's (kompis.contract.participants); this module adds the labels.
for _codes, _contract_codes in (
    (ParticipantRole.values, contract.ROLES),
    (Gender.values, contract.GENDERS),
    (MeetingMode.values, contract.MEETING_MODES),
    (list(INTERESTS), contract.INTEREST_CODES),
    (list(LANGUAGES), contract.LANGUAGE_CODES),
    (list(AVAILABILITY), contract.AVAILABILITY_SLOTS),
):
    if tuple(_codes) != tuple(_contract_codes):  # pragma: no cover - a label without a code, or the reverse
        raise ImportError(f"vocabulary {list(_codes)} differs from the contract's {list(_contract_codes)}")
del _codes, _contract_codes


def choices(vocab: Mapping[str, object]) -> list[tuple[str, object]]:
    return list(vocab.items())

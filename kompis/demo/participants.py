"""Demo participants: a few thousand generated people with their consents, drawn from the participants'
random stream (`kompis.demo.streams`).

Where they live: 70 % in the regions' municipalities, 30 % anywhere in Sweden, both weighted by rough
population (`kompis.demo.places`). Names are drawn independently from generic lists (`kompis.demo.names`),
so no generated person is a real person's identity; e-mail addresses use example.org and phone numbers the
range Post- och telestyrelsen reserves for fiction (070-174 06 00 … 070-174 06 99), so they repeat.
Everything depends on the seed and today's date only.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from django.conf import settings
from django.utils import timezone

from kompis.demo.names import GROUPS, NameGroup
from kompis.demo.organisation import EMAIL_DOMAIN, REGIONS, ascii_part
from kompis.demo.places import (
    COUNTY_POSTAL_RANGES,
    DEFAULT_POPULATION,
    FALLBACK_POSTAL_RANGE,
    POPULATION,
    POSTAL_PREFIXES,
)
from kompis.municipalities.data import municipality_rows
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Consent, ConsentKind, FriendParticipation, Participant
from kompis.participants.vocab import (
    AVAILABILITY,
    HEARD_FROM,
    INTERESTS,
    LANGUAGES,
    Gender,
    MeetingMode,
    ParticipantRole,
    Source,
    Status,
)

PHONE_FORMAT = "070-174 06 {:02d}"  # PTS' numbers for fiction: 070-17 40 600 … 070-17 40 699

NEWCOMER_ORIGINS = {
    "arabic": 28,
    "persian": 18,
    "ukrainian": 17,
    "somali": 12,
    "tigrinya": 10,
    "kurdish": 9,
    "bosnian": 3,
}
ESTABLISHED_ORIGINS = {
    "swedish": 76,
    "finnish": 6,
    "arabic": 5,
    "persian": 4,
    "bosnian": 4,
    "kurdish": 3,
    "somali": 1,
    "ukrainian": 1,
}
# Second languages newcomers of a group often speak besides their mother tongue: (code, probability).
EXTRA_LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "ukrainian": (("ru", 0.55), ("pl", 0.05), ("de", 0.05)),
    "somali": (("ar", 0.15),),
    "tigrinya": (("am", 0.25), ("ar", 0.2)),
    "persian": (("ps", 0.1), ("ur", 0.03)),
    "kurdish": (("ar", 0.35), ("fa", 0.25), ("tr", 0.2)),
    "arabic": (("fr", 0.08), ("tr", 0.05)),
    "bosnian": (("sr", 0.2), ("hr", 0.2), ("de", 0.25)),
}
# Public-site languages people of a group would pick; None = decided from the languages they speak.
PREFERRED_LANGUAGE = {"arabic": "ar", "persian": "fa", "somali": "so", "ukrainian": "uk"}
SWEDISH_THIRD_LANGUAGES = {"de": 4, "es": 4, "fr": 3, "fi": 1, "it": 1, "ar": 1, "fa": 1}

GENDERS_NEWCOMER = {Gender.WOMAN: 45.5, Gender.MAN: 49.5, Gender.NONBINARY: 2, Gender.UNSPECIFIED: 3}
GENDERS_ESTABLISHED = {Gender.WOMAN: 61, Gender.MAN: 34, Gender.NONBINARY: 2, Gender.UNSPECIFIED: 3}
MEETING_MODES = {MeetingMode.PHYSICAL: 35, MeetingMode.DIGITAL: 20, MeetingMode.EITHER: 45}
# Of those who confirmed their e-mail (pending ones, ~3 %, are drawn first):
STATUSES = {Status.WAITING: 71, Status.MATCHED: 16, Status.PAUSED: 6, Status.WITHDRAWN: 7}
SOURCES = {Source.SIGNUP: 88, Source.IMPORT: 8, Source.STAFF: 4}
# Sign-ups per month, relative: most in autumn and spring, fewest in summer and around Christmas.
MONTH_WEIGHTS = {
    1: 1.0,
    2: 1.2,
    3: 1.3,
    4: 1.2,
    5: 1.0,
    6: 0.6,
    7: 0.4,
    8: 0.9,
    9: 1.5,
    10: 1.4,
    11: 1.2,
    12: 0.6,
}
HOUR_WEIGHTS = {
    h: w for h, w in zip(range(7, 24), (1, 2, 3, 3, 3, 4, 3, 3, 3, 3, 4, 5, 6, 6, 5, 3, 2), strict=True)
}

INTEREST_WEIGHTS = {
    "fika": 10,
    "cooking": 8,
    "nature": 7,
    "hiking": 6,
    "music": 6,
    "languages": 6,
    "books": 5,
    "football": 5,
    "film": 5,
    "travel": 5,
    "board_games": 4,
    "crafts": 3,
    "gaming": 3,
    "running": 3,
    "cycling": 3,
    "art": 3,
    "photography": 3,
    "dancing": 3,
    "gardening": 3,
    "volunteering": 3,
    "yoga": 3,
    "swimming": 3,
    "theatre": 2,
    "technology": 3,
    "history": 3,
}
HEARD_FROM_NEWCOMER = {
    "sfi": 30,
    "friend": 25,
    "municipality": 15,
    "employment_service": 12,
    "social_media": 10,
    "event": 4,
    "search": 2,
    "other": 2,
}
HEARD_FROM_ESTABLISHED = {
    "social_media": 30,
    "friend": 25,
    "search": 15,
    "event": 10,
    "municipality": 5,
    "other": 5,
}

INTEREST_WORDS_SV = {
    "fika": "att fika",
    "cooking": "matlagning",
    "football": "fotboll",
    "hiking": "vandring",
    "music": "musik",
    "books": "böcker",
    "crafts": "hantverk",
    "gaming": "spel",
    "nature": "naturen",
    "board_games": "brädspel",
    "running": "löpning",
    "cycling": "cykling",
    "art": "konst",
    "photography": "fotografering",
    "film": "film",
    "dancing": "dans",
    "gardening": "trädgård",
    "languages": "språk",
    "travel": "att resa",
    "volunteering": "ideellt arbete",
    "yoga": "yoga",
    "swimming": "simning",
    "theatre": "teater",
    "technology": "teknik",
    "history": "historia",
}
INTEREST_WORDS_EN = {
    "fika": "fika",
    "board_games": "board games",
    "travel": "travelling",
    "volunteering": "volunteering",
    "nature": "being outdoors",
}

ABOUT_SV = {
    ParticipantRole.NEWCOMER: (
        "Jag kom till Sverige för {years} år sedan och läser svenska. Jag gillar {i1}.",
        "Hej! Jag heter {first} och bor i {municipality}. På fritiden tycker jag om {i1} och {i2}.",
        "Jag är {age} år och har bott i {municipality} i {years} år. Jag gillar {i1}.",
    ),
    ParticipantRole.ESTABLISHED: (
        "Jag bor i {municipality} och tycker om {i1} och {i2}.",
        "Hej! Jag heter {first}, är {age} år och gillar {i1}, {i2} och en god fika.",
        "Jag har bott i {municipality} länge. På fritiden blir det mycket {i1}.",
    ),
}
ABOUT_EN = {
    ParticipantRole.NEWCOMER: (
        "I came to Sweden {years} years ago and I am learning Swedish. I like {i1}.",
        "Hi! My name is {first} and I live in {municipality}. In my free time I enjoy {i1} and {i2}.",
        "I am {age} and have lived in {municipality} for {years} years. I like {i1}.",
    ),
    ParticipantRole.ESTABLISHED: (
        "I live in {municipality} and enjoy {i1} and {i2}.",
        "Hi! I'm {first}, {age}, and I like {i1}, {i2} and a good fika.",
    ),
}
FAMILY_SV = " Vi är en familj med {children} barn."
FAMILY_EN = " We are a family with {children} children."
HOPES_SV = {
    ParticipantRole.NEWCOMER: (
        "Jag vill öva svenska och lära känna någon i {municipality}.",
        "Att hitta en vän att fika med och prata svenska.",
        "Jag vill lära mig mer om Sverige och svenska traditioner.",
    ),
    ParticipantRole.ESTABLISHED: (
        "Jag vill lära känna någon ny och visa min stad.",
        "Att få en ny vän och kanske lära mig lite om en annan kultur.",
        "Jag vill hjälpa någon att komma in i det svenska samhället.",
    ),
}
HOPES_EN = {
    ParticipantRole.NEWCOMER: (
        "I want to practise Swedish and get to know someone in {municipality}.",
        "To find a friend to have fika with and talk Swedish.",
        "I want to learn more about Sweden and Swedish traditions.",
    ),
    ParticipantRole.ESTABLISHED: (
        "I would like to meet someone new and show them my town.",
        "To make a new friend and learn about another culture.",
    ),
}


T = TypeVar("T")


class _Weighted(Generic[T]):
    """Fast repeated weighted choice from a fixed table."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.items = list(weights)
        total = 0.0
        self.cum: list[float] = []
        for item in self.items:
            total += weights[item]
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _pick_weighted_set(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """k distinct keys, each drawn with probability proportional to its weight (Efraimidis-Spirakis)."""
    keyed = sorted(weights, key=lambda item: rng.random() ** (1.0 / weights[item]), reverse=True)
    return keyed[:k]


def _postal_code(rng: random.Random, code: str, county: str) -> str:
    prefixes = POSTAL_PREFIXES.get(code)
    if prefixes:
        prefix = rng.choice(prefixes)
    else:
        low, high = COUNTY_POSTAL_RANGES.get(county, FALLBACK_POSTAL_RANGE)
        prefix = rng.randint(low, high)
    return f"{prefix}{rng.randint(0, 99):02d}"


def _signup_days(today: date) -> tuple[list[date], list[float]]:
    days = [today - timedelta(days=back) for back in range(1, 366)]
    cum, total = [], 0.0
    for day in days:
        total += MONTH_WEIGHTS[day.month]
        cum.append(total)
    return days, cum


def generate(
    rng: random.Random,
    count: int,
    *,
    today: date,
    org: Organisation,
    regions: dict[str, Region],
    projects: dict[str, Project],
) -> list[tuple[Participant, bool]]:
    """The participants (unsaved) and whether each consents to research.

    Everything depends on the seed and today's date only, not on the time of day: sign-ups happen before
    today (the newest yesterday), so two runs on the same day give identical data."""
    rows = municipality_rows()
    names = {row["code"]: row["name"] for row in rows}
    county = {row["code"]: row["county_code"] for row in rows}
    region_of = {code: regions[name] for name, codes in REGIONS.items() for code in codes}
    in_regions = _Weighted({code: POPULATION.get(code, DEFAULT_POPULATION) for code in region_of})
    anywhere = _Weighted({row["code"]: POPULATION.get(row["code"], DEFAULT_POPULATION) for row in rows})
    origins = {
        ParticipantRole.NEWCOMER: _Weighted(NEWCOMER_ORIGINS),
        ParticipantRole.ESTABLISHED: _Weighted(ESTABLISHED_ORIGINS),
    }
    genders = {
        ParticipantRole.NEWCOMER: _Weighted(GENDERS_NEWCOMER),
        ParticipantRole.ESTABLISHED: _Weighted(GENDERS_ESTABLISHED),
    }
    heard = {
        ParticipantRole.NEWCOMER: _Weighted(HEARD_FROM_NEWCOMER),
        ParticipantRole.ESTABLISHED: _Weighted(HEARD_FROM_ESTABLISHED),
    }
    meeting_mode, status_of, source_of = _Weighted(MEETING_MODES), _Weighted(STATUSES), _Weighted(SOURCES)
    third_language = _Weighted(SWEDISH_THIRD_LANGUAGES)
    hours = _Weighted(HOUR_WEIGHTS)
    interest_weights = {code: float(INTEREST_WEIGHTS.get(code, 2)) for code in INTERESTS}
    days, day_cum = _signup_days(today)
    pending_days = max(1, settings.SIGNUP_CONFIRM_DAYS - 1)
    familjekompis, digital = projects["familjekompis"], projects["digital"]
    uppsala = regions["Uppsala"]
    tz = timezone.get_current_timezone()
    midnight = datetime(today.year, today.month, today.day, tzinfo=tz)

    people: list[tuple[Participant, bool]] = []
    for n in range(1, count + 1):
        role = ParticipantRole.NEWCOMER if rng.random() < 0.55 else ParticipantRole.ESTABLISHED
        newcomer = role == ParticipantRole.NEWCOMER
        group: NameGroup = GROUPS[origins[role](rng)]
        gender = genders[role](rng)
        if gender == Gender.WOMAN or (gender != Gender.MAN and rng.random() < 0.5):
            first_name = rng.choice(group.women)
        else:
            first_name = rng.choice(group.men)
        last_name = rng.choice(group.family)
        email = f"{ascii_part(first_name)}.{ascii_part(last_name)}.{n}@{EMAIL_DOMAIN}"

        code = in_regions(rng) if rng.random() < 0.7 else anywhere(rng)
        postal_code = _postal_code(rng, code, county[code]) if rng.random() < 0.9 else ""

        # family and age
        wants_family = rng.random() < 0.15
        has_children = wants_family or rng.random() < 0.15
        if newcomer:
            age = min(75, max(18, round(rng.gauss(33, 10))))
        else:
            age = min(80, max(18, round(rng.gauss(46, 15))))
        children_count = 0
        household_size: int | None
        if has_children:
            age = min(max(age, 24), 62)
            adults = rng.randint(1, 2)
            children_count = rng.choices((1, 2, 3, 4), (4, 5, 3, 1) if newcomer else (5, 6, 2, 1))[0]
            household_size = adults + children_count
        else:
            household_size = rng.choice((1, 1, 1, 2, 2, 3)) if rng.random() < 0.6 else None

        # languages
        languages = {group.mother_tongue}
        if newcomer:
            for extra, probability in EXTRA_LANGUAGES.get(group.key, ()):
                if rng.random() < probability:
                    languages.add(extra)
            if rng.random() < 0.55:
                languages.add("en")
            if rng.random() < 0.4:
                languages.add("sv")
        else:
            languages = {"sv"}
            if rng.random() < 0.88:
                languages.add("en")
            if group.key != "swedish":
                if rng.random() < 0.9:
                    languages.add(group.mother_tongue)
            elif rng.random() < 0.15:
                languages.add(third_language(rng))
        languages &= set(LANGUAGES)  # stays within the vocabulary even if it shrinks
        languages = languages or {"sv"}

        if newcomer:
            preferred = PREFERRED_LANGUAGE.get(group.key) or next(
                (code_ for code_ in ("ar", "fa") if code_ in languages), "en"
            )
            if "sv" in languages and rng.random() < 0.3:
                preferred = "sv"
        elif group.key in PREFERRED_LANGUAGE and rng.random() < 0.2:
            preferred = PREFERRED_LANGUAGE[group.key]
        else:
            preferred = "sv" if rng.random() < 0.93 else "en"

        interests = sorted(_pick_weighted_set(rng, interest_weights, rng.randint(2, 6)))
        availability = [
            slot
            for slot, (p_new, p_est) in zip(
                AVAILABILITY, ((0.55, 0.25), (0.55, 0.65), (0.6, 0.65)), strict=False
            )
            if rng.random() < (p_new if newcomer else p_est)
        ] or [rng.choice(list(AVAILABILITY))]
        mode = meeting_mode(rng)
        same_gender = gender != Gender.UNSPECIFIED and rng.random() < 0.1
        capacity = 2 if not newcomer and rng.random() < 0.15 else 1

        # status, source and dates
        source = source_of(rng)
        if source == Source.SIGNUP and rng.random() < 0.03:
            status = Status.PENDING
            day = today - timedelta(days=rng.randint(1, pending_days))
        else:
            status = status_of(rng)
            day = rng.choices(days, cum_weights=day_cum)[0]
            if status == Status.MATCHED and (today - day).days < 14:
                status = Status.WAITING
        signed_up_at = datetime(
            day.year, day.month, day.day, hours(rng), rng.randrange(60), rng.randrange(60), tzinfo=tz
        )
        verified_at = None
        if source == Source.SIGNUP and status != Status.PENDING:
            verified_at = min(midnight, signed_up_at + timedelta(minutes=rng.randint(1, 600)))
        paused_until = today + timedelta(days=rng.randint(10, 120)) if status == Status.PAUSED else None

        # region and projects
        region = region_of.get(code)
        project = None
        if (
            region is uppsala
            and day >= familjekompis.starts_on
            and rng.random() < (0.8 if wants_family else 0.25)
        ):
            project = familjekompis
        elif (
            mode != MeetingMode.PHYSICAL
            and digital.starts_on <= day <= digital.ends_on
            and rng.random() < 0.2
        ):
            project = digital

        # free texts
        swedish = preferred == "sv"
        words = [
            INTEREST_WORDS_SV.get(i, i.replace("_", " "))
            if swedish
            else INTEREST_WORDS_EN.get(i, i.replace("_", " "))
            for i in interests
        ]
        values = {
            "first": first_name,
            "municipality": names[code],
            "age": age,
            "i1": words[0],
            "i2": words[-1],
            "years": rng.randint(2, 7),
        }
        about_me = ""
        if rng.random() < 0.75:
            about_me = rng.choice((ABOUT_SV if swedish else ABOUT_EN)[role]).format(**values)
            if wants_family:
                about_me += (FAMILY_SV if swedish else FAMILY_EN).format(children=children_count)
        hopes = (
            rng.choice((HOPES_SV if swedish else HOPES_EN)[role]).format(**values)
            if rng.random() < 0.6
            else ""
        )
        heard_from = heard[role](rng) if rng.random() < 0.9 else ""
        if heard_from and heard_from not in HEARD_FROM:  # the vocabulary changed
            heard_from = "other"

        phone = PHONE_FORMAT.format(rng.randrange(100)) if rng.random() < 0.65 else ""
        person = Participant(
            organisation=org,
            region=region,
            project=project,
            first_name=first_name,
            last_name=last_name,
            email=email,
            email_verified_at=verified_at,
            email_bouncing=status != Status.PENDING and rng.random() < 0.01,
            phone=phone,
            share_phone=bool(phone) and rng.random() < 0.5,
            birth_year=today.year - age,
            gender=gender,
            municipality_id=code,
            postal_code=postal_code,
            languages=sorted(languages),
            interests=interests,
            has_children=has_children,
            household_size=household_size,
            same_gender_only=same_gender,
            about_me=about_me,
            hopes=hopes,
            heard_from=heard_from,
            preferred_language=preferred,
            signed_up_at=signed_up_at,
            source=source,
            external_ref=f"DEMO-{n:06d}" if source == Source.IMPORT else "",
        )
        # their participation in friend matching (no draws of its own: the stream stays as it was), cached
        # on the person so that `person.friend_matching` needs no query
        person.friend_matching = FriendParticipation(
            organisation=org,
            role=role,
            status=status,
            capacity=capacity,
            availability=availability,
            meeting_mode=mode,
            wants_family_match=wants_family,
            waiting_since=signed_up_at,
            paused_until=paused_until,
        )
        people.append((person, rng.random() < 0.4))
    return people


def create_participants(
    rng: random.Random,
    count: int,
    *,
    today: date,
    org: Organisation,
    regions: dict[str, Region],
    projects: dict[str, Project],
) -> list[Participant]:
    """Generate and save `count` participants, each with their participation in friend matching and their
    consents (data processing; research for ~40 %)."""
    people = generate(rng, count, today=today, org=org, regions=regions, projects=projects)
    Participant.objects.bulk_create([p for p, _ in people], batch_size=500)
    # keyed by the person's id, which bulk_create has just set (the participation takes it from its person)
    FriendParticipation.objects.bulk_create([p.friend_matching for p, _ in people], batch_size=500)
    policy = settings.PRIVACY_POLICY_VERSION
    consents = []
    for person, research in people:
        consents.append(
            Consent(
                participant=person,
                kind=ConsentKind.DATA_PROCESSING,
                policy_version=policy,
                given_at=person.signed_up_at,
            )
        )
        if research:
            consents.append(
                Consent(
                    participant=person,
                    kind=ConsentKind.RESEARCH,
                    policy_version=policy,
                    given_at=person.signed_up_at,
                )
            )
    Consent.objects.bulk_create(consents, batch_size=1000)
    return [p for p, _ in people]

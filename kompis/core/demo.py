"""Deterministic, realistic demo data: `kompis demo [--seed N] [--participants N] [--if-empty]`.

Creates the organisation "Kompisföreningen Demo" (slug `demo`) with three regions (Uppsala, Danderyd,
Luleå), two funded projects with targets, staff personas with fixed logins (printed) and a few thousand
generated participants. Every visible value comes from one `random.Random(seed)`, so the same seed gives the
same people, e-mails and attributes (only the opaque `uid`s, which are never derived from a seed, differ).
Dates are relative to `timezone.localdate()`.

All data is made up: names are drawn independently from generic lists (kompis.core.demo_names), e-mail
addresses use example.org and phone numbers the range Post- och telestyrelsen reserves for fiction
(070-174 06 00 … 070-174 06 99), so they repeat.

Where participants live: 70 % in the regions' municipalities, 30 % anywhere in Sweden, both weighted by rough
population. The municipality table has no population column, so POPULATION below holds approximate
populations (2024, rounded) of Sweden's ~50 largest municipalities and of every region municipality; every
other municipality weighs DEFAULT_POPULATION (about the median Swedish municipality). Postal codes start with
a prefix that is plausible for the municipality (POSTAL_PREFIXES, e.g. Uppsala 751-757, Luleå 971-977), else
for its county (COUNTY_POSTAL_RANGES), else anything in 100 00-989 99.
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import Role, User
from kompis.audit.services import SYSTEM, record
from kompis.core.demo_names import GROUPS, NameGroup
from kompis.municipalities.data import municipality_rows
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Project, ProjectTarget, Region
from kompis.participants.models import Consent, ConsentKind, Participant
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

ORG_SLUG = "demo"
ORG_NAME = "Kompisföreningen Demo"
PASSWORD = "kompis-demo"
EMAIL_DOMAIN = "example.org"
PHONE_FORMAT = "070-174 06 {:02d}"  # PTS' numbers for fiction: 070-17 40 600 … 070-17 40 699

REGIONS: dict[str, tuple[str, ...]] = {
    "Uppsala": ("0380", "0330", "0381", "0382", "0360", "0319", "0305", "0331"),
    "Danderyd": ("0162", "0160", "0115", "0163", "0186", "0187", "0117", "0114"),
    "Luleå": ("2580", "2582", "2581", "2514", "2560"),
}

# Approximate populations (2024, rounded to thousands) — used only as sampling weights.
POPULATION: dict[str, int] = {
    # the largest municipalities
    "0180": 984_000,  # Stockholm
    "1480": 600_000,  # Göteborg
    "1280": 362_000,  # Malmö
    "0380": 245_000,  # Uppsala
    "0580": 168_000,  # Linköping
    "1880": 160_000,  # Örebro
    "1980": 158_000,  # Västerås
    "1283": 152_000,  # Helsingborg
    "0581": 145_000,  # Norrköping
    "0680": 145_000,  # Jönköping
    "2480": 131_000,  # Umeå
    "1281": 130_000,  # Lund
    "0126": 115_000,  # Huddinge
    "1490": 115_000,  # Borås
    "0182": 108_000,  # Nacka
    "0484": 107_000,  # Eskilstuna
    "1380": 105_000,  # Halmstad
    "2180": 103_000,  # Gävle
    "0181": 101_000,  # Södertälje
    "2281": 99_000,  # Sundsvall
    "0780": 97_000,  # Växjö
    "0127": 96_000,  # Botkyrka
    "0136": 96_000,  # Haninge
    "1780": 96_000,  # Karlstad
    "1290": 87_000,  # Kristianstad
    "0123": 86_000,  # Järfälla
    "0184": 85_000,  # Solna
    "1384": 85_000,  # Kungsbacka
    "2580": 80_000,  # Luleå
    "2482": 77_000,  # Skellefteå
    "0163": 76_000,  # Sollentuna
    "0160": 75_000,  # Täby
    "1481": 70_000,  # Mölndal
    "0880": 71_000,  # Kalmar
    "1383": 67_000,  # Varberg
    "2380": 65_000,  # Östersund
    "0188": 64_000,  # Norrtälje
    "0980": 61_000,  # Gotland
    "1488": 60_000,  # Trollhättan
    "2080": 60_000,  # Falun
    "1080": 67_000,  # Karlskrona
    "0183": 55_000,  # Sundbyberg
    "1496": 57_000,  # Skövde
    "1485": 57_000,  # Uddevalla
    "2284": 56_000,  # Örnsköldsvik
    "2081": 53_000,  # Borlänge
    "0191": 50_000,  # Sigtuna
    "0120": 47_000,  # Värmdö
    "0138": 50_000,  # Tyresö
    "0139": 31_000,  # Upplands-Bro
    # the smaller region municipalities
    "0330": 20_000,  # Knivsta
    "0381": 47_000,  # Enköping
    "0382": 22_000,  # Östhammar
    "0360": 21_000,  # Tierp
    "0319": 9_500,  # Älvkarleby
    "0305": 22_000,  # Håbo
    "0331": 14_000,  # Heby
    "0162": 33_000,  # Danderyd
    "0115": 35_000,  # Vallentuna
    "0186": 48_000,  # Lidingö
    "0187": 12_000,  # Vaxholm
    "0117": 48_000,  # Österåker
    "0114": 48_000,  # Upplands Väsby
    "2582": 28_000,  # Boden
    "2581": 43_000,  # Piteå
    "2514": 16_000,  # Kalix
    "2560": 8_000,  # Älvsbyn
}
DEFAULT_POPULATION = 15_000

# First three digits of postal codes, per municipality (where known) and per county.
POSTAL_PREFIXES: dict[str, tuple[int, ...]] = {
    "0380": (751, 752, 753, 754, 755, 756, 757),
    "0330": (741,),
    "0381": (745, 749),
    "0382": (742,),
    "0360": (815,),
    "0319": (814,),
    "0305": (746,),
    "0331": (744,),
    "0162": (182,),
    "0160": (183, 187),
    "0115": (186,),
    "0163": (191, 192),
    "0186": (181,),
    "0187": (185,),
    "0117": (184,),
    "0114": (194,),
    "2580": (971, 972, 973, 974, 975, 976, 977),
    "2582": (961,),
    "2581": (941, 943),
    "2514": (952,),
    "2560": (942,),
    "0180": (*range(111, 130), *range(161, 169)),
    "1480": tuple(range(411, 427)),
    "1280": tuple(range(211, 219)),
    "0580": tuple(range(581, 590)),
    "1880": (702, 703),
    "1980": tuple(range(721, 726)),
    "1283": tuple(range(252, 257)),
    "0581": (602, 603),
    "0680": tuple(range(551, 557)),
    "2480": tuple(range(903, 908)),
    "1281": tuple(range(222, 228)),
    "0126": (141,),
    "1490": tuple(range(503, 508)),
    "0182": (131, 132),
    "0484": tuple(range(632, 636)),
    "0127": (145, 146, 147),
    "2180": tuple(range(802, 807)),
    "1380": tuple(range(302, 306)),
    "0181": (151, 152),
    "2281": tuple(range(852, 857)),
    "0780": tuple(range(352, 356)),
    "0136": (136, 137),
    "1780": tuple(range(652, 657)),
    "1290": (291,),
    "1384": (434,),
    "0184": (169, 170, 171),
    "0123": (175, 176, 177),
    "2482": (931,),
    "1481": (431,),
    "2380": (831,),
    "1383": (432,),
    "0188": (761,),
    "1488": (461,),
    "2080": (791,),
    "0183": (172, 173, 174),
    "1485": (451,),
    "2081": (781, 784),
    "0138": (135,),
    "2284": (891,),
    "0880": (392, 393),
    "0980": (621, 622, 623, 624),
    "0191": (195,),
    "0120": (134, 139),
    "0139": (196, 197),
    "1496": (541,),
    "1080": (371,),
}
COUNTY_POSTAL_RANGES: dict[str, tuple[int, int]] = {
    "01": (100, 199),
    "03": (740, 759),
    "04": (611, 649),
    "05": (580, 608),
    "06": (550, 579),
    "07": (340, 365),
    "08": (380, 398),
    "09": (620, 624),
    "10": (370, 379),
    "12": (230, 298),
    "13": (302, 315),
    "14": (440, 549),
    "17": (650, 689),
    "18": (690, 719),
    "19": (721, 739),
    "20": (770, 799),
    "21": (800, 829),
    "22": (850, 896),
    "23": (830, 846),
    "24": (900, 936),
    "25": (940, 984),
}
FALLBACK_POSTAL_RANGE = (100, 989)

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


@dataclass(frozen=True)
class Persona:
    username: str
    role: str  # a Role value, or "" for the Django superuser
    role_label: str
    scope: str
    first_name: str
    last_name: str
    regions: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()  # keys of the demo projects
    superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin@demo.kompis",
        Role.ADMIN,
        "organisation admin",
        "everything in the organisation",
        "Alva",
        "Admin",
    ),
    Persona(
        "uppsala@demo.kompis",
        Role.COORDINATOR,
        "coordinator",
        "region Uppsala + project Familjekompis Uppsala",
        "Ulla",
        "Uppsala",
        regions=("Uppsala",),
        projects=("familjekompis",),
    ),
    Persona(
        "danderyd@demo.kompis",
        Role.COORDINATOR,
        "coordinator",
        "region Danderyd",
        "Dan",
        "Danderyd",
        regions=("Danderyd",),
    ),
    Persona(
        "lulea@demo.kompis",
        Role.COORDINATOR,
        "coordinator",
        "region Luleå + project Digital språkvän",
        "Lo",
        "Luleå",
        regions=("Luleå",),
        projects=("digital",),
    ),
    Persona("viewer@demo.kompis", Role.VIEWER, "viewer", "reports only, no persons", "Vera", "Viewer"),
    Persona(
        "superuser",
        "",
        "Django superuser",
        "/django-admin/ (no organisation)",
        "Super",
        "User",
        superuser=True,
    ),
)


@dataclass
class DemoSummary:
    created: bool
    seed: int
    organisation: Organisation | None = None
    participants: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_project: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""


class DemoError(Exception):
    """The demo cannot be created (e.g. it exists already)."""


def any_organisation_exists() -> bool:
    return Organisation.objects.exists()


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=ORG_SLUG).exists()


def create_demo(*, seed: int = 1, participants: int = 2000, stdout: TextIO | Any = None) -> DemoSummary:
    """Create the demo organisation with its staff and `participants` generated people; print the logins."""
    if participants < 0:
        raise DemoError("the number of participants cannot be negative")
    started = time.monotonic()
    with transaction.atomic():
        if demo_exists():
            raise DemoError(f"the demo organisation (slug {ORG_SLUG!r}) exists already")
        taken = sorted(
            User.objects.filter(username__in=[p.username for p in PERSONAS]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise DemoError(f"these demo usernames are taken already: {', '.join(taken)}")
        region_codes = [code for codes in REGIONS.values() for code in codes]
        known = set(Municipality.objects.filter(code__in=region_codes).values_list("code", flat=True))
        missing = sorted(set(region_codes) - known)
        if missing:
            raise DemoError(f"municipalities missing (run `kompis migrate` first?): {', '.join(missing)}")
        today = timezone.localdate()
        # Generated contacts (070-17406xx is the range Sweden keeps for fiction): named in every mail.
        org = Organisation.objects.create(
            slug=ORG_SLUG,
            name=ORG_NAME,
            contact_name="Kansliet",
            contact_email=f"info@{EMAIL_DOMAIN}",
            contact_phone="070-174 06 05",
        )
        regions = {}
        for i, (name, codes) in enumerate(REGIONS.items()):
            regions[name] = Region.objects.create(
                organisation=org,
                name=name,
                contact_name=f"Samordnare {name}",
                contact_email=f"{_ascii(name).lower().replace(' ', '-')}@{EMAIL_DOMAIN}",
                contact_phone=f"070-174 06 {10 + i:02d}",
            )
            regions[name].municipalities.set(Municipality.objects.filter(code__in=codes))
        projects = _create_projects(org, regions, today)
        _create_personas(org, regions, projects)
        people = _generate(
            random.Random(seed), participants, today=today, org=org, regions=regions, projects=projects
        )
        Participant.objects.bulk_create([p for p, _ in people], batch_size=500)
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
        from kompis.core.demo_matches import create_matches

        matches = create_matches(random.Random(seed + 1), [p for p, _ in people], org=org, today=today)
        summary = DemoSummary(
            created=True,
            seed=seed,
            organisation=org,
            participants=len(people),
            by_role=dict(Counter(p.role for p, _ in people)),
            by_region=dict(
                Counter(p.region.name if p.region else "(outside the regions)" for p, _ in people)
            ),
            by_project=dict(Counter(p.project.name for p, _ in people if p.project)),
            by_status=dict(Counter(p.status for p, _ in people)),
        )
        record(
            actor=SYSTEM,
            action="demo.created",
            obj=org,
            organisation=org,
            summary=f"Demo data created: {len(people)} participants (seed {seed})",
            data={
                "seed": seed,
                "participants": len(people),
                "by_role": summary.by_role,
                "matches": matches,
                "users": [p.username for p in PERSONAS],
            },
        )
    summary.seconds = time.monotonic() - started
    if stdout is not None:
        write_summary(summary, stdout)
        write_logins(stdout)
    return summary


def write_summary(summary: DemoSummary, out: TextIO | Any) -> None:
    def line(text: str = "") -> None:
        out.write(text + "\n")

    line(f"Created {ORG_NAME} (slug {ORG_SLUG}), seed {summary.seed}, in {summary.seconds:.1f} s:")
    roles = ", ".join(f"{count} {role}" for role, count in sorted(summary.by_role.items()))
    line(f"  {summary.participants} participants ({roles})")
    line("  by region: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_region.items())))
    line(
        "  by project: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_project.items()))
    )
    line("  by status: " + ", ".join(f"{name} {count}" for name, count in sorted(summary.by_status.items())))


def write_logins(out: TextIO | Any = None) -> None:
    """The persona table (username, password, role, scope)."""
    out = out or sys.stdout
    rows = [("username", "password", "role", "scope")]
    rows += [(p.username, PASSWORD, p.role_label, p.scope) for p in PERSONAS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out.write("\nDemo logins (at /accounts/login/; the superuser at /django-admin/):\n")
    for index, row in enumerate(rows):
        out.write(
            "  "
            + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
            + "\n"
        )
        if index == 0:
            out.write("  " + "  ".join("-" * width for width in widths) + "  " + "-" * 5 + "\n")


# --- organisation ---------------------------------------------------------------------------------------------


def _create_projects(org: Organisation, regions: dict[str, Region], today: date) -> dict[str, Project]:
    year = today.year
    familjekompis = Project.objects.create(
        organisation=org,
        region=regions["Uppsala"],
        name=f"Familjekompis Uppsala {year}",
        funder="Uppsala kommun",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        description="Families new to Uppsala meet families who live here: fika, outings and a shared holiday.",
    )
    digital = Project.objects.create(
        organisation=org,
        region=None,
        name=f"Digital språkvän {year}",
        funder="Allmänna arvsfonden",
        starts_on=date(year, 2, 1),
        ends_on=date(year + 1, 1, 31),
        description="Language friends who meet online, anywhere in Sweden.",
    )
    targets = {
        familjekompis: {"family_matches": 35, "individual_matches": 15, "newcomers": 120},
        digital: {"individual_matches": 200, "signups": 300},
    }
    ProjectTarget.objects.bulk_create(
        [
            ProjectTarget(project=project, kind=kind, target=target)
            for project, kinds in targets.items()
            for kind, target in kinds.items()
        ]
    )
    return {"familjekompis": familjekompis, "digital": digital}


def _create_personas(org: Organisation, regions: dict[str, Region], projects: dict[str, Project]) -> None:
    hashed = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    for persona in PERSONAS:
        user = User.objects.create(
            username=persona.username,
            password=hashed,
            email=persona.username if "@" in persona.username else f"{persona.username}@demo.kompis",
            first_name=persona.first_name,
            last_name=persona.last_name,
            organisation=None if persona.superuser else org,
            role=persona.role,
            is_staff=persona.superuser,
            is_superuser=persona.superuser,
        )
        if persona.regions:
            user.regions.set([regions[name] for name in persona.regions])
        if persona.projects:
            user.projects.set([projects[key] for key in persona.projects])


# --- participants ---------------------------------------------------------------------------------------------


class _Weighted:
    """Fast repeated weighted choice from a fixed table."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        total = 0.0
        self.cum: list[float] = []
        for item in self.items:
            total += weights[item]
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


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


def _generate(
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
        email = f"{_ascii(first_name)}.{_ascii(last_name)}.{n}@{EMAIL_DOMAIN}"

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
        person = Participant(  # type: ignore[misc]  # CodeListFields hold lists of codes
            organisation=org,
            region=region,
            project=project,
            role=role,
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
            availability=availability,
            has_children=has_children,
            household_size=household_size,
            wants_family_match=wants_family,
            meeting_mode=mode,
            same_gender_only=same_gender,
            capacity=capacity,
            about_me=about_me,
            hopes=hopes,
            heard_from=heard_from,
            preferred_language=preferred,
            status=status,
            paused_until=paused_until,
            signed_up_at=signed_up_at,
            source=source,
            external_ref=f"DEMO-{n:06d}" if source == Source.IMPORT else "",
        )
        people.append((person, rng.random() < 0.4))
    return people

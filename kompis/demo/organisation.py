"""The demo organisation and its staff: "Kompisföreningen Demo" (slug `demo`) with three regions (Uppsala,
Danderyd, Luleå), two funded projects with targets and staff personas with fixed logins (printed).

Nothing here is random. Contacts are generated: e-mail addresses use example.org and phone numbers the range
Post- och telestyrelsen reserves for fiction (070-174 06 00 … 070-174 06 99).
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password

from kompis.accounts.models import Role, User
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Project, ProjectTarget, Region

ORG_SLUG = "demo"
ORG_NAME = "Kompisföreningen Demo"
PASSWORD = "kompis-demo"
EMAIL_DOMAIN = "example.org"

REGIONS: dict[str, tuple[str, ...]] = {
    "Uppsala": ("0380", "0330", "0381", "0382", "0360", "0319", "0305", "0331"),
    "Danderyd": ("0162", "0160", "0115", "0163", "0186", "0187", "0117", "0114"),
    "Luleå": ("2580", "2582", "2581", "2514", "2560"),
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


def ascii_part(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens of `text` (for generated e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def create_organisation() -> tuple[Organisation, dict[str, Region]]:
    """The organisation and its regions (with their municipalities)."""
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
            contact_email=f"{ascii_part(name).lower().replace(' ', '-')}@{EMAIL_DOMAIN}",
            contact_phone=f"070-174 06 {10 + i:02d}",
        )
        regions[name].municipalities.set(Municipality.objects.filter(code__in=codes))
    return org, regions


def create_projects(org: Organisation, regions: dict[str, Region], today: date) -> dict[str, Project]:
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


def create_personas(org: Organisation, regions: dict[str, Region], projects: dict[str, Project]) -> None:
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

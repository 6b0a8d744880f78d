"""A real first run: one organisation, its regions and its first admin, with no demo data.

Used by `kompis setup` and by the first-run page (/setup/), which opens only with a one-time token that the
server prints on its console while no organisation exists (only the token's SHA-256 is stored).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompis.accounts.models import Role, User
from kompis.audit.actors import Actor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.core.links import absolute_url
from kompis.municipalities.models import Municipality
from kompis.organisations.models import FirstRunToken, Organisation, Region

SETUP = SystemActor("organisations.setup")
#: `kompis serve` making the one-time link to the first-run page
FIRST_RUN = SystemActor("organisations.first_run")
TOKEN_LIFETIME = timedelta(days=2)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# First path segments Kompis uses itself: an organisation slug cannot be one of them.
RESERVED_SLUGS = {
    "accounts",
    "admin",
    "dev",
    "django-admin",
    "f",
    "healthz",
    "language",
    "logo",
    "media",
    "setup",
    "static",
    "staff",
}


class SetupError(Exception):
    """Bad input for the set-up; the message says what and how to fix it."""


@dataclass
class RegionSpec:
    name: str
    municipalities: list[str] = field(default_factory=list)  # names or SCB codes as typed


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def _municipality_index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in Municipality.objects.all():
        index[m.code] = m
        index[_fold(m.name)] = m
        index[_fold(f"{m.name} kommun")] = m
    return index


def resolve_municipalities(items: Iterable[str]) -> list[Municipality]:
    """Municipalities by name ("Uppsala", "uppsala kommun") or 4-digit SCB code ("0380")."""
    index = _municipality_index()
    found: list[Municipality] = []
    unknown: list[str] = []
    for item in items:
        key = item.strip()
        if not key:
            continue
        m = index.get(key) or index.get(_fold(key))
        if m is None:
            unknown.append(key)
        elif m not in found:
            found.append(m)
    if unknown:
        names = sorted({m.name for m in index.values()})
        hints = []
        for item in unknown:
            close = difflib.get_close_matches(item, names, n=3, cutoff=0.6)
            hints.append(
                _("%(item)s (did you mean %(names)s?)") % {"item": item, "names": ", ".join(close)}
                if close
                else item
            )
        raise SetupError(
            _("Unknown municipality: %(items)s. Use a Swedish municipality's name or its 4-digit SCB code.")
            % {"items": "; ".join(hints)}
        )
    return found


def check_slug(slug: str) -> str:
    typed = slug.strip()
    slug = typed.lower()
    if not SLUG_RE.match(slug) or len(slug) > 50:
        suggestion = slugify(typed)[:50].strip("-") or "kompis-uppsala"
        raise SetupError(
            _(
                "“%(slug)s” cannot be the address name: use lower-case letters a–z, digits and single hyphens, "
                "e.g. %(suggestion)s."
            )
            % {"slug": typed, "suggestion": suggestion}
        )
    if slug in RESERVED_SLUGS:
        raise SetupError(
            _("“%(slug)s” is used by Kompis itself; choose another address name.") % {"slug": slug}
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise SetupError(
            _("An organisation with the address name “%(slug)s” exists already.") % {"slug": slug}
        )
    return slug


def check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise SetupError(_("“%(email)s” is not an e-mail address.") % {"email": email}) from exc
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise SetupError(_("There is already a staff account with the e-mail %(email)s.") % {"email": email})
    return email


def check_regions(specs: Sequence[RegionSpec]) -> list[tuple[str, list[Municipality]]]:
    if not specs:
        raise SetupError(_("Name at least one region (a local office) with its municipalities."))
    seen_names: set[str] = set()
    owner: dict[str, str] = {}
    result = []
    for spec in specs:
        name = " ".join(spec.name.split())
        if not name:
            raise SetupError(_("A region needs a name."))
        if _fold(name) in seen_names:
            raise SetupError(_("The region name “%(name)s” is given twice.") % {"name": name})
        seen_names.add(_fold(name))
        municipalities = resolve_municipalities(spec.municipalities)
        if not municipalities:
            raise SetupError(_("The region %(name)s needs at least one municipality.") % {"name": name})
        for m in municipalities:
            if m.code in owner:
                raise SetupError(
                    _(
                        "%(municipality)s is given for both %(first)s and %(second)s; a municipality belongs to one region."
                    )
                    % {"municipality": m.name, "first": owner[m.code], "second": name}
                )
            owner[m.code] = name
        result.append((name, municipalities))
    return result


@transaction.atomic
def create_organisation(
    *,
    name: str,
    slug: str,
    regions: Sequence[RegionSpec],
    admin_email: str,
    language: str,
    actor: Actor = SETUP,
    allow_existing: bool = False,
) -> tuple[Organisation, User]:
    """Create the organisation, its regions and its first admin, who gets a mail to set a password."""
    from kompis.accounts.services import invite_staff

    if not allow_existing and Organisation.objects.exists():
        raise SetupError(
            _("An organisation exists already. Add another only on purpose (kompis setup --another).")
        )
    name = " ".join(name.split())
    if not name:
        raise SetupError(_("The organisation needs a name."))
    slug = check_slug(slug)
    admin_email = check_email(admin_email)
    checked = check_regions(regions)
    organisation = Organisation.objects.create(name=name, slug=slug)
    created = []
    for region_name, municipalities in checked:
        region = Region.objects.create(organisation=organisation, name=region_name)
        region.municipalities.set(municipalities)
        created.append(region)
    record(
        actor=actor,
        action=EventType.ORGANISATION_CREATED,
        obj=organisation,
        data={"regions": [str(r.uid) for r in created]},
    )
    admin = invite_staff(
        actor=actor, organisation=organisation, email=admin_email, role=Role.ADMIN, language=language
    )
    # Every mail to a participant names a contact and replies go there: until the admin sets the contact
    # (Organisation → Settings, or one per region) it is the first admin, never nobody (noreply@).
    organisation.contact_name, organisation.contact_email = name, admin_email
    organisation.save(update_fields=["contact_name", "contact_email"])
    FirstRunToken.objects.filter(used_at__isnull=True).update(used_at=timezone.now())
    return organisation, admin


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_first_run_token() -> str | None:
    """A fresh one-time token for /setup/ while no organisation exists (older unused ones stop working)."""
    with transaction.atomic():
        if Organisation.objects.exists():
            return None
        FirstRunToken.objects.filter(used_at__isnull=True).delete()
        token = secrets.token_urlsafe(32)
        row = FirstRunToken.objects.create(token_hash=_hash(token))
        # who may create the first organisation is security-relevant: the link's making is on record
        record(actor=FIRST_RUN, action=EventType.ORGANISATION_FIRST_RUN_LINK_ISSUED, obj=row)
    return token


def first_run_url(token: str, *, site_root: str | None = None) -> str:
    url = absolute_url("organisation_public:setup")
    if site_root:  # `kompis serve` on a laptop: the address it serves
        url = site_root.rstrip("/") + url.removeprefix(settings.SITE_ROOT)
    return f"{url}?token={token}"


def first_run_token(token: str, *, lock: bool = False) -> FirstRunToken | None:
    """The stored token matching `token` when the first-run page may still be used, else None."""
    if not token or Organisation.objects.exists():
        return None
    rows = FirstRunToken.objects.select_for_update() if lock else FirstRunToken.objects
    row = rows.filter(token_hash=_hash(token), used_at__isnull=True).first()
    if row is None or row.created_at < timezone.now() - TOKEN_LIFETIME:
        return None
    return row


@transaction.atomic
def create_organisation_from_first_run(
    *, token: str, name: str, slug: str, region: RegionSpec, admin_email: str, language: str
) -> tuple[Organisation, User] | None:
    """The first-run page's set-up; None when the token is no longer valid (nothing is created)."""
    row = first_run_token(token, lock=True)
    if row is None:
        return None
    result = create_organisation(
        name=name, slug=slug, regions=[region], admin_email=admin_email, language=language, actor=SETUP
    )
    FirstRunToken.objects.filter(pk=row.pk).update(used_at=timezone.now())
    return result


def first_run_banner(*, site_root: str | None = None) -> str | None:
    """The line `kompis serve` prints while no organisation exists (a fresh one-time link each start)."""
    from django.db import DatabaseError

    try:
        token = issue_first_run_token()
    except DatabaseError:  # not migrated yet
        return None
    if token is None:
        return None
    url = first_run_url(token, site_root=site_root)
    return f"First run: open {url} to create your organisation (or run `kompis setup`)."

"""A person known by their e-mail address: the one record every activity shares (issue #13).

Public forms of other apps (an event's registration, a programme's enrolment) ask for little: a name, an
e-mail address and a language. `find_or_create_person` reuses the person already known by that address in
the organisation, or writes a new record with only these (year of birth, gender, municipality stay empty),
with the consent to data processing the form asked for. It runs inside the caller's transaction, so a
refusal later in the caller writes nothing here either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kompis.audit.actors import ParticipantActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Region
from kompis.participants.models import Consent, ConsentKind, Participant
from kompis.participants.vocab import Source


@dataclass(frozen=True)
class Found:
    person: Participant
    created: bool


def split_name(name: str) -> tuple[str, str]:
    """ "Amina Yusuf Ali" → ("Amina", "Yusuf Ali"); one word → (word, "")."""
    parts = name.split()
    return (parts[0][:100], " ".join(parts[1:])[:100]) if parts else ("", "")


@transaction.atomic
def find_or_create_person(
    *,
    organisation: Organisation,
    name: str,
    email: str,
    language: str,
    municipality: Municipality | None = None,
    region: Region | None = None,
    via: str,
) -> Found:
    """The person with this e-mail address in the organisation, or a new one in `region` (else the region
    covering `municipality`) (source: public sign-up;
    audited `participant.signed_up` with `via`, a code such as "event"). Either way the consent to data
    processing is on record afterwards. `email` must be a checked address; `name` non-empty."""
    email = email.strip().lower()
    existing = Participant.objects.filter(organisation=organisation, email=email).first()
    if existing is not None:
        _consent(existing)
        return Found(person=existing, created=False)
    first_name, last_name = split_name(name)
    if region is None and municipality is not None:
        region = (
            Region.objects.filter(organisation=organisation, municipalities=municipality)
            .order_by("id")
            .first()
        )
    person = Participant(
        organisation=organisation,
        region=region,
        first_name=first_name,
        last_name=last_name,
        email=email,
        municipality=municipality,
        preferred_language=language,
        source=Source.SIGNUP,
        signed_up_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # a parallel form with the same address won the race
        existing = Participant.objects.get(organisation=organisation, email=email)
        _consent(existing)
        return Found(person=existing, created=False)
    _consent(person)
    record(
        actor=ParticipantActor(person.pk),
        action=EventType.PARTICIPANT_SIGNED_UP,
        obj=person,
        data={"language": language, "via": via},
    )
    return Found(person=person, created=True)


def _consent(person: Participant) -> None:
    given = Consent.objects.filter(
        participant=person, kind=ConsentKind.DATA_PROCESSING, withdrawn_at__isnull=True
    ).exists()
    if not given:
        Consent.objects.create(
            participant=person,
            kind=ConsentKind.DATA_PROCESSING,
            policy_version=settings.PRIVACY_POLICY_VERSION,
        )

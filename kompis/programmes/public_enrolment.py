"""Enrolment through a programme's public form (`/<org>/programmes/<uid>/`, issue #13).

A visitor gives her name, e-mail address, language and a few answers about herself. Nothing is written then:
the address gets one mail (`request_enrolment`) with a signed link, valid CONFIRM_DAYS days, that carries the
answers (no pending row to clean up; the link is the only copy and only the address owner has it). The form's
answer is the same whoever the address belongs to, so it tells no one who is enrolled. Opening the link shows
the answers and one button; the POST (`enrol_publicly`) makes her the person known by that address in the
organisation (or a new one, with the consent the form asked for), e-mail verified, enrolled in the cohort by
herself (`ParticipantActor`), and told by mail whether she has a place or is on the waiting list. Refused
(`services.EnrolmentRefused`): nothing written, not even the person.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import ParticipantActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.core.links import absolute_url
from kompis.core.tokens import InvalidLink, make_token, read_token
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation
from kompis.outbox.services import queue_mail
from kompis.participants.models import Participant
from kompis.participants.people import find_or_create_person
from kompis.participants.services import self_service_url
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Programme
from kompis.programmes.services import EnrolmentData, EnrolmentRefused, enrol

#: `find_or_create_person`'s `via`: the audit code of a sign-up through this form
VIA = "programme"
#: the signing salt of the confirmation link (`kompis.core.tokens`): good for nothing else
CONFIRM_PURPOSE = "programme-enrolment"
#: how long the confirmation link works
CONFIRM_DAYS = 3


def open_programmes(organisation: Organisation) -> QuerySet[Programme]:
    """The organisation's programmes open for the public form that have a cohort still running."""
    return (
        Programme.objects.filter(
            organisation=organisation,
            public_enrolment=True,
            cohorts__ends_on__gte=timezone.localdate(),
        )
        .distinct()
        .order_by("name", "id")
    )


def open_cohorts(programme: Programme) -> QuerySet[Cohort]:
    """The programme's cohorts one may enrol in: those that have not ended (local date)."""
    return programme.cohorts.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "id")


@transaction.atomic
def set_public_enrolment(*, actor: User, programme: Programme, open_form: bool) -> Programme:
    """Open the programme for enrolment through its public form, or close it (the link then gives 404).
    Already so: nothing written."""
    row = Programme.objects.select_for_update().get(pk=programme.pk)
    if row.public_enrolment == open_form:
        return row
    row.public_enrolment = open_form
    row.save(update_fields=["public_enrolment"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_PUBLIC_ENROLMENT_CHANGED,
        obj=row,
        data={"open": open_form},
    )
    return row


@dataclass(frozen=True)
class PublicEnrolment:
    first_name: str
    last_name: str
    email: str  # a checked address
    language: str  # one of settings.LANGUAGES
    municipality: Municipality | None  # optional
    role: str  # a Role
    field: str  # a Field code, or ""
    meeting_mode: str  # a MeetingMode
    name_latin: str = ""
    field_other: str = ""
    goals: str = ""


@transaction.atomic
def enrol_publicly(
    *, organisation: Organisation, programme: Programme, cohort: Cohort, data: PublicEnrolment
) -> Enrolment:
    """Find or create the person, enrol her in `cohort` (a mentee in a full cohort goes on its waiting list)
    and queue the mail saying which, in her language. Refused when the programme is not open for the public
    form, belongs to another organisation, the cohort is not the programme's or has ended ("closed"), or she
    is already enrolled in the cohort ("duplicate")."""
    if programme.organisation_id != organisation.pk or cohort.programme_id != programme.pk:
        raise EnrolmentRefused("other_organisation")
    if not programme.public_enrolment:
        raise EnrolmentRefused("closed")
    found = find_or_create_person(
        organisation=organisation,
        name=f"{data.first_name} {data.last_name}",
        email=data.email,
        language=data.language,
        municipality=data.municipality,
        region=cohort.region or programme.region,
        via=VIA,
    )
    person = found.person
    if person.email_verified_at is None:  # she opened the link mailed to this address
        person.email_verified_at = timezone.now()
        person.save(update_fields=["email_verified_at"])
    if found.created:  # her names as she wrote them (a first name may have two words)
        person.first_name, person.last_name = data.first_name[:100], data.last_name[:100]
        person.name_latin = data.name_latin[:200]
        person.save(update_fields=["first_name", "last_name", "name_latin"])
    enrolment = enrol(
        actor=ParticipantActor(person.pk),
        cohort=cohort,
        participant=person,
        data=EnrolmentData(
            role=data.role,
            field=data.field,
            field_other=data.field_other,
            goals=data.goals,
            meeting_mode=data.meeting_mode,
        ),
    )
    _mail(person, programme, cohort, enrolment)
    return enrolment


def _mail(person: Participant, programme: Programme, cohort: Cohort, enrolment: Enrolment) -> None:
    """ "Enrolled" or "on the waiting list, we will tell you", with her personal link; the outbox adds the
    contact of her region (else the organisation's)."""
    if not person.email:
        return
    template = "programme_waiting" if enrolment.status == EnrolmentStatus.WAITING else "programme_enrolled"
    queue_mail(
        to_email=person.email,
        template=template,
        language=person.preferred_language,
        context={
            "first_name": person.first_name,
            "organisation": person.organisation.name,
            "programme": programme.name,
            "cohort": cohort.name,
            "starts_on": cohort.starts_on.isoformat(),
            "self_service_url": self_service_url(person),
        },
        dedupe_key=f"{template}:{enrolment.uid}",
        organisation=person.organisation,
        participant=person,
    )


@dataclass(frozen=True)
class Pending:
    """An enrolment asked for on the form, read back from its confirmation link."""

    programme: Programme
    cohort: Cohort
    data: PublicEnrolment


def request_enrolment(
    *, organisation: Organisation, programme: Programme, cohort: Cohort, data: PublicEnrolment
) -> None:
    """Queue one mail to `data.email`, in `data.language`, with the link that confirms the enrolment. Nothing
    else is written, and the caller answers the same whether the address is known, enrolled or new."""
    payload = {k: v for k, v in asdict(data).items() if k != "municipality"}
    payload |= {
        "programme": str(programme.uid),
        "cohort": str(cohort.uid),
        "municipality": data.municipality.pk if data.municipality else "",
    }
    token = make_token(CONFIRM_PURPOSE, payload)
    queue_mail(
        to_email=data.email,
        template="programme_confirm",
        language=data.language,
        context={
            "first_name": data.first_name,
            "organisation": organisation.name,
            "programme": programme.name,
            "cohort": cohort.name,
            "starts_on": cohort.starts_on.isoformat(),
            "confirm_url": absolute_url("programmes_public:confirm", organisation.slug, token),
            "days": CONFIRM_DAYS,
        },
        dedupe_key=f"programme_confirm:{hashlib.sha256(token.encode()).hexdigest()[:40]}",
        organisation=organisation,
    )


def read_pending(*, organisation: Organisation, token: str) -> Pending:
    """The enrolment a confirmation link asks for. InvalidLink: "invalid" (tampered, or for another kind of
    link), "expired" (payload kept, for her language), "gone" (the programme or cohort no longer exists, or
    is another organisation's)."""
    payload = read_token(CONFIRM_PURPOSE, token, max_age=timedelta(days=CONFIRM_DAYS))
    programme = Programme.objects.filter(organisation=organisation, uid=str(payload.get("programme"))).first()
    cohort = Cohort.objects.filter(programme=programme, uid=str(payload.get("cohort"))).first()
    if programme is None or cohort is None:
        raise InvalidLink("gone")
    code = payload.get("municipality") or ""
    try:
        data = PublicEnrolment(
            **{k: str(payload.get(k, "")) for k in _TEXT_FIELDS},
            municipality=Municipality.objects.filter(pk=code).first() if code else None,
        )
    except TypeError as exc:  # pragma: no cover - only a link we signed gets here
        raise InvalidLink("invalid") from exc
    return Pending(programme=programme, cohort=cohort, data=data)


_TEXT_FIELDS = [f for f in PublicEnrolment.__dataclass_fields__ if f != "municipality"]


def already_enrolled(*, organisation: Organisation, cohort: Cohort, email: str) -> bool:
    """Whether the person with this address is enrolled in the cohort (shown only to the address owner, on
    the page her confirmation link opens)."""
    return Enrolment.objects.filter(
        cohort=cohort, participant__organisation=organisation, participant__email=email.strip().lower()
    ).exists()

"""Enrolment through a programme's public form (`/<org>/programmes/<uid>/`, issue #13).

A visitor gives her name, e-mail address, language and a few answers about herself; she is the person known
by that address in the organisation (or a new one, with the consent the form asked for), enrolled in one of
the programme's cohorts that have not ended, by herself (`ParticipantActor`), and told by mail whether she
has a place or is on the waiting list. Refused (`services.EnrolmentRefused`): nothing written, not even the
person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import ParticipantActor
from kompis.audit.events import EventType
from kompis.audit.services import record
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

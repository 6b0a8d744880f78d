"""In-depth interviews: draw a random stratified sample (reproducible from its seed), add interview notes with
coded themes, count the themes across interviews.

The draw: the population's people are split into strata (role, region or gender); in each stratum (in code
order) `per_stratum` people are drawn (everyone if fewer) with a random generator seeded from the seed and the
stratum's code, from the stratum's people in id order. So the same seed and the same population give the same
people, whatever the order the database returns them in. The audit event keeps the seed and counts only.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.matching.models import Match
from kompis.organisations.models import Organisation, Region
from kompis.participants.vocab import ParticipantRole
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus
from kompis.surveys.interview_models import (
    InterviewNote,
    InterviewSample,
    InterviewSubject,
    InterviewTheme,
    Strata,
)

MAX_PER_STRATUM = 50
MAX_SEED = 2**31 - 1
NO_VALUE = "none"  # the stratum of people without a region or gender


@dataclass(frozen=True)
class Person:
    participant_id: int
    role: str
    region_id: int | None
    gender: str


def population(*, organisation: Organisation, cohort: Cohort | None, region: Region | None) -> list[Person]:
    """The people a sample is drawn from: a cohort's started people (not the waiting list), or the people in
    friend matches that are not ended (of `region` when given); each person once, in id order."""
    people: dict[int, Person] = {}
    if cohort is not None:
        enrolled = (
            Enrolment.objects.filter(cohort=cohort)
            .exclude(status=EnrolmentStatus.WAITING)
            .order_by("role", "participant_id")
            .values_list("participant_id", "role", "participant__region_id", "participant__gender")
        )
        for pid, role, region_id, gender in enrolled:
            people.setdefault(pid, Person(pid, role, region_id, gender))
    else:
        matches = Match.objects.filter(organisation=organisation).active()
        for side, role in (
            ("newcomer", ParticipantRole.NEWCOMER),
            ("established", ParticipantRole.ESTABLISHED),
        ):
            sides = matches.filter(**{f"{side}__region": region}) if region is not None else matches
            for pid, region_id, gender in sides.values_list(
                f"{side}_id", f"{side}__region_id", f"{side}__gender"
            ):
                people.setdefault(pid, Person(pid, str(role), region_id, gender))
    return [people[pid] for pid in sorted(people)]


def stratum_of(person: Person, strata: str) -> str:
    if strata == Strata.ROLE:
        return person.role
    if strata == Strata.REGION:
        return str(person.region_id) if person.region_id else NO_VALUE
    return person.gender or NO_VALUE


def choose(people: list[Person], *, strata: str, per_stratum: int, seed: int) -> dict[str, list[int]]:
    """The drawn participant ids per stratum (pure: the same arguments give the same answer)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for person in people:
        groups[stratum_of(person, strata)].append(person.participant_id)
    drawn: dict[str, list[int]] = {}
    for stratum in sorted(groups):
        ids = sorted(groups[stratum])
        generator = random.Random(f"kompis.interviews:{seed}:{stratum}")
        drawn[stratum] = generator.sample(ids, min(per_stratum, len(ids)))
    return drawn


@transaction.atomic
def draw_sample(
    *,
    actor: User,
    organisation: Organisation,
    cohort: Cohort | None,
    region: Region | None,
    strata: str,
    per_stratum: int,
    seed: int,
) -> InterviewSample:
    """Draw and keep a stratified random sample of people to interview."""
    errors: dict[str, str] = {}
    if strata not in Strata.values:
        errors["strata"] = _("Choose role, region or gender.")
    if not 1 <= per_stratum <= MAX_PER_STRATUM:
        errors["per_stratum"] = _("People per stratum must be between 1 and %(max)d.") % {
            "max": MAX_PER_STRATUM
        }
    if not 0 <= seed <= MAX_SEED:
        errors["seed"] = _("The seed must be a whole number between 0 and %(max)d.") % {"max": MAX_SEED}
    if cohort is not None and cohort.programme.organisation_id != organisation.pk:
        errors["cohort"] = _("Choose a cohort of your organisation.")
    if region is not None and region.organisation_id != organisation.pk:
        errors["region"] = _("Choose a region of your organisation.")
    if errors:
        raise ValidationError(errors)
    people = population(organisation=organisation, cohort=cohort, region=region)
    if not people:
        raise ValidationError({"cohort": _("Nobody to draw from: the group is empty.")})
    drawn = choose(people, strata=strata, per_stratum=per_stratum, seed=seed)
    programme = cohort.programme if cohort is not None else None
    sample = InterviewSample.objects.create(
        organisation=organisation,
        cohort=cohort,
        region=region or (cohort.region or programme.region if cohort and programme else None),
        project=(cohort.project or programme.project) if cohort and programme else None,
        strata=strata,
        per_stratum=per_stratum,
        seed=seed,
        population=len(people),
        drawn_at=timezone.now(),
        drawn_by=actor,
    )
    InterviewSubject.objects.bulk_create(
        InterviewSubject(sample=sample, participant_id=pid, stratum=stratum, position=position)
        for stratum, ids in drawn.items()
        for position, pid in enumerate(ids)
    )
    record(
        actor=actor,
        action=EventType.INTERVIEW_SAMPLE_DRAWN,
        obj=sample,
        organisation=organisation,
        data={
            "seed": seed,
            "strata": strata,
            "per_stratum": per_stratum,
            "population": len(people),
            "drawn": sum(len(ids) for ids in drawn.values()),
            "strata_count": len(drawn),
        },
    )
    return sample


@transaction.atomic
def add_theme(*, actor: User, organisation: Organisation, code: str, label: str) -> InterviewTheme:
    code, label = code.strip().lower(), label.strip()
    errors: dict[str, str] = {}
    if not code or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
        errors["code"] = _("The code may hold only letters a–z, digits, - and _.")
    elif InterviewTheme.objects.filter(organisation=organisation, code=code).exists():
        errors["code"] = _("There is already a theme with this code.")
    if not label:
        errors["label"] = _("Give the theme a label.")
    if errors:
        raise ValidationError(errors)
    theme = InterviewTheme.objects.create(organisation=organisation, code=code, label=label)
    record(
        actor=actor,
        action=EventType.INTERVIEW_THEME_ADDED,
        obj=theme,
        organisation=organisation,
        data={"code": code},
    )
    return theme


@transaction.atomic
def add_note(*, actor: User, subject: InterviewSubject, text: str, themes: list[str]) -> InterviewNote:
    """Notes from one interview, with the themes (codes of the organisation's themes) found in it."""
    text = text.strip()
    organisation_id = subject.sample.organisation_id
    known = set(InterviewTheme.objects.filter(organisation_id=organisation_id).values_list("code", flat=True))
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the interview notes.")
    unknown = sorted(set(themes) - known)
    if unknown:
        errors["themes"] = _("Unknown themes: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    note = InterviewNote.objects.create(
        subject=subject, text=text, themes=sorted(set(themes)), created_by=actor
    )
    record(
        actor=actor,
        action=EventType.INTERVIEW_NOTE_ADDED,
        obj=note,
        organisation=subject.sample.organisation,
        data={"sample": str(subject.sample.uid), "themes": sorted(set(themes))},
    )
    return note


def theme_counts(
    *, organisation: Organisation, sample: InterviewSample | None = None
) -> list[tuple[InterviewTheme, int]]:
    """Each theme of the organisation with the number of interviewed people whose notes name it (in `sample`,
    or in all samples), most named first."""
    notes = InterviewNote.objects.filter(subject__sample__organisation=organisation)
    if sample is not None:
        notes = notes.filter(subject__sample=sample)
    people: dict[str, set[int]] = defaultdict(set)
    for subject_id, codes in notes.values_list("subject_id", "themes"):
        for code in InterviewNote._meta.get_field("themes").to_python(codes):
            people[code].add(subject_id)
    counts = Counter({code: len(ids) for code, ids in people.items()})
    themes = InterviewTheme.objects.filter(organisation=organisation)
    return sorted(((t, counts[t.code]) for t in themes), key=lambda row: (-row[1], row[0].code))

"""factory-boy factories and the fixed test world. All data is generated, never real."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from kompis.accounts.models import Role, User
from kompis.matching.models import Match
from kompis.organisations.models import Organisation, Project, ProjectTarget, Region
from kompis.participants.models import FriendParticipation, Participant

PASSWORD = "test-password-123"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        exclude = ["signed_up_at_date"]

    role = "newcomer"
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Person"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    birth_year = 1990
    gender = "woman"
    municipality_id = "0380"
    postal_code = "75320"
    languages = factory.LazyFunction(lambda: ["ar", "en"])
    interests = factory.LazyFunction(lambda: ["fika", "football"])
    meeting_mode = "either"
    status = "waiting"
    signed_up_at_date = None
    signed_up_at = factory.LazyAttribute(
        lambda o: (
            timezone.make_aware(dt.datetime.combine(o.signed_up_at_date, dt.time(12)))
            if o.signed_up_at_date
            else timezone.now()
        )
    )

    @classmethod
    def _create(cls, model_class: type[Participant], *args: Any, **kwargs: Any) -> Participant:
        """The person, and (unless `friend_matching=False`) their participation in friend matching, from the
        same keywords as before the split (role, status, capacity, availability, meeting_mode, …)."""
        friend = {key: kwargs.pop(key) for key in FRIEND_KEYS if key in kwargs}
        wanted = kwargs.pop("friend_matching", True)
        person = super()._create(model_class, *args, **kwargs)
        if wanted:
            friend.setdefault("waiting_since", person.signed_up_at)
            FriendParticipation.objects.create(participant=person, organisation=person.organisation, **friend)
        return person

    @classmethod
    def _build(cls, model_class: type[Participant], *args: Any, **kwargs: Any) -> Participant:
        for key in (*FRIEND_KEYS, "friend_matching"):
            kwargs.pop(key, None)
        return super()._build(model_class, *args, **kwargs)


#: keywords of ParticipantFactory that describe the participation in friend matching, not the person
FRIEND_KEYS = (
    "role",
    "status",
    "capacity",
    "availability",
    "meeting_mode",
    "wants_family_match",
    "rematch_priority",
    "paused_until",
    "waiting_since",
)


class MatchFactory(factory.django.DjangoModelFactory):
    """A match written directly, as if approved earlier (no run, no audit, no introduction mails).

    Give it the two people (``MatchFactory(newcomer=n, established=e)``); the organisation is the
    newcomer's, the mode digital. Anything else (``status``, ``created_at``, ``kind`` …) as keywords.
    """

    class Meta:
        model = Match

    newcomer = factory.SubFactory(ParticipantFactory, role="newcomer")
    established = factory.SubFactory(
        ParticipantFactory, role="established", organisation=factory.SelfAttribute("..newcomer.organisation")
    )
    organisation = factory.LazyAttribute(lambda o: o.newcomer.organisation)
    mode = "digital"


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    uppsala: Region
    danderyd: Region
    lulea: Region
    project: Project
    admin: User
    uppsala_coordinator: User
    danderyd_coordinator: User
    viewer: User
    other_coordinator: User


def make_user(username: str, org: Organisation, role: str, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organisation=org, role=role, **extra
    )
    return user


def make_world() -> World:
    org = Organisation.objects.create(slug="kompisforeningen", name="Kompisföreningen")
    other = Organisation.objects.create(slug="annan", name="Annan förening")
    uppsala = Region.objects.create(organisation=org, name="Uppsala")
    uppsala.municipalities.set(["0380", "0305", "0360"])
    danderyd = Region.objects.create(organisation=org, name="Danderyd")
    danderyd.municipalities.set(["0162", "0160", "0186"])
    lulea = Region.objects.create(organisation=org, name="Luleå")
    lulea.municipalities.set(["2580", "2581"])
    other_region = Region.objects.create(organisation=other, name="Uppsala")
    other_region.municipalities.set(["0380"])
    project = Project.objects.create(
        organisation=org,
        region=uppsala,
        name="Familjekompis Uppsala",
        funder="Uppsala kommun",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    ProjectTarget.objects.create(project=project, kind="family_matches", target=35)
    ProjectTarget.objects.create(project=project, kind="individual_matches", target=15)
    admin = make_user("admin@kompis.test", org, Role.ADMIN)
    up = make_user("uppsala@kompis.test", org, Role.COORDINATOR)
    up.regions.set([uppsala])
    da = make_user("danderyd@kompis.test", org, Role.COORDINATOR)
    da.regions.set([danderyd])
    viewer = make_user("viewer@kompis.test", org, Role.VIEWER)
    oc = make_user("other@annan.test", other, Role.COORDINATOR)
    oc.regions.set([other_region])
    return World(org, other, uppsala, danderyd, lulea, project, admin, up, da, viewer, oc)

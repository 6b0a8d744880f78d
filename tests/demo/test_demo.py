"""`kompis demo`: deterministic, plausible and valid demo data with working personas."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import Role, User
from kompis.audit.models import AuditEvent
from kompis.demo import build as demo
from kompis.demo.organisation import ORG_SLUG, PERSONAS, REGIONS
from kompis.demo.places import POPULATION, POSTAL_PREFIXES
from kompis.municipalities.data import municipality_rows
from kompis.organisations.models import Organisation, Project
from kompis.participants.access import participants_for_user
from kompis.participants.forms import POSTAL_RE, clean_birth_year, clean_phone, clean_postal_code
from kompis.participants.models import Consent, Participant
from kompis.participants.services import region_for
from kompis.participants.vocab import AVAILABILITY, HEARD_FROM, INTERESTS, LANGUAGES, Gender, Status

N = 300
VISIBLE = (
    "role",
    "first_name",
    "last_name",
    "email",
    "phone",
    "share_phone",
    "birth_year",
    "gender",
    "municipality_id",
    "postal_code",
    "languages",
    "interests",
    "availability",
    "has_children",
    "household_size",
    "wants_family_match",
    "meeting_mode",
    "same_gender_only",
    "capacity",
    "about_me",
    "hopes",
    "heard_from",
    "preferred_language",
    "status",
    "paused_until",
    "signed_up_at",
    "email_verified_at",
    "email_bouncing",
    "source",
    "external_ref",
)


#: what the person's participation in friend matching holds (the rest is on the person)
FRIEND = ("role", "availability", "wants_family_match", "meeting_mode", "capacity", "status", "paused_until")


def visible(p: Participant, name: str):
    return getattr(p.friend_matching if name in FRIEND else p, name)


def snapshot() -> list[tuple]:
    rows = []
    for p in (
        Participant.objects.select_related("region", "project", "friend_matching")
        .prefetch_related("consents")
        .order_by("id")
    ):
        consents = sorted(c.kind for c in p.consents.all())
        region = p.region.name if p.region else None
        project = p.project.name if p.project else None
        rows.append((*(visible(p, name) for name in VISIBLE), region, project, tuple(consents)))
    return rows


def demo_snapshot(seed: int) -> list[tuple]:
    """Create the demo, read it back, and roll it back (a savepoint), leaving the database as it was."""
    with transaction.atomic():
        demo.create_demo(seed=seed, participants=N)
        rows = snapshot()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    return rows


@pytest.fixture
def demo_org(db):
    demo.create_demo(seed=1, participants=N)
    return Organisation.objects.get(slug=ORG_SLUG)


def share(items, predicate) -> float:
    items = list(items)
    return sum(1 for item in items if predicate(item)) / len(items)


# --- determinism ----------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_people_and_another_seed_other_people(db):
    first = demo_snapshot(42)
    second = demo_snapshot(42)
    third = demo_snapshot(43)

    assert len(first) == N
    assert first == second
    assert first != third
    # not just one field: most people differ under another seed
    assert sum(a[:4] != c[:4] for a, c in zip(first, third, strict=True)) > N * 0.9


# --- organisation, projects, personas ---------------------------------------------------------------------------


def test_organisation_regions_and_projects(demo_org):
    assert demo_org.name == "Kompisföreningen Demo"
    regions = {r.name: set(r.municipalities.values_list("code", flat=True)) for r in demo_org.regions.all()}
    assert regions == {name: set(codes) for name, codes in REGIONS.items()}
    year = timezone.localdate().year
    family = Project.objects.get(organisation=demo_org, name=f"Familjekompis Uppsala {year}")
    assert family.region.name == "Uppsala" and family.funder == "Uppsala kommun"
    assert {t.kind: t.target for t in family.targets.all()} == {
        "family_matches": 35,
        "individual_matches": 15,
        "newcomers": 120,
    }
    digital = Project.objects.get(organisation=demo_org, name=f"Digital språkvän {year}")
    assert digital.region is None and digital.funder
    assert {t.kind: t.target for t in digital.targets.all()} == {"individual_matches": 200, "signups": 300}
    today = timezone.localdate()
    for project in (family, digital):
        assert project.starts_on <= today <= project.ends_on


def test_region_municipality_names_match_the_codes():
    names = {row["code"]: row["name"] for row in municipality_rows()}
    expected = {
        "0380": "Uppsala",
        "0330": "Knivsta",
        "0381": "Enköping",
        "0382": "Östhammar",
        "0360": "Tierp",
        "0319": "Älvkarleby",
        "0305": "Håbo",
        "0331": "Heby",
        "0162": "Danderyd",
        "0160": "Täby",
        "0115": "Vallentuna",
        "0163": "Sollentuna",
        "0186": "Lidingö",
        "0187": "Vaxholm",
        "0117": "Österåker",
        "0114": "Upplands Väsby",
        "2580": "Luleå",
        "2582": "Boden",
        "2581": "Piteå",
        "2514": "Kalix",
        "2560": "Älvsbyn",
    }
    assert {code: names[code] for codes in REGIONS.values() for code in codes} == expected
    # the population and postal tables only name real municipalities; postal prefixes are 3 digits
    assert set(POPULATION) <= set(names)
    assert set(POSTAL_PREFIXES) <= set(names)
    assert all(100 <= prefix <= 989 for prefixes in POSTAL_PREFIXES.values() for prefix in prefixes)


def test_personas_have_their_roles_scopes_and_password(demo_org):
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])}
    assert set(users) == {
        "admin@demo.kompis",
        "uppsala@demo.kompis",
        "danderyd@demo.kompis",
        "lulea@demo.kompis",
        "viewer@demo.kompis",
        "superuser",
    }
    assert users["admin@demo.kompis"].role == Role.ADMIN
    assert users["viewer@demo.kompis"].role == Role.VIEWER
    for name, region in (("uppsala", "Uppsala"), ("danderyd", "Danderyd"), ("lulea", "Luleå")):
        user = users[f"{name}@demo.kompis"]
        assert user.role == Role.COORDINATOR and user.organisation == demo_org
        assert [r.name for r in user.regions.all()] == [region]
        assert user.email == user.username
    assert [p.name.split(" 20")[0] for p in users["lulea@demo.kompis"].projects.all()] == ["Digital språkvän"]
    assert not users["danderyd@demo.kompis"].projects.exists()
    superuser = users["superuser"]
    assert superuser.is_superuser and superuser.is_staff and superuser.organisation is None
    assert not any(u.is_staff for name, u in users.items() if name != "superuser")
    assert superuser.check_password("kompis-demo") and users["viewer@demo.kompis"].check_password(
        "kompis-demo"
    )


def test_coordinators_see_only_their_regions_and_projects(demo_org):
    users = {u.username: u for u in User.objects.all()}
    everyone = set(Participant.objects.values_list("id", flat=True))
    uppsala = users["uppsala@demo.kompis"]
    seen = list(participants_for_user(uppsala).select_related("region", "project"))
    assert seen
    project_ids = set(uppsala.projects.values_list("id", flat=True))
    assert all((p.region and p.region.name == "Uppsala") or p.project_id in project_ids for p in seen)
    expected = set(Participant.objects.filter(region__name="Uppsala").values_list("id", flat=True)) | set(
        Participant.objects.filter(project__in=project_ids).values_list("id", flat=True)
    )
    assert {p.id for p in seen} == expected
    assert not any(p.region and p.region.name == "Danderyd" for p in seen)

    lulea = users["lulea@demo.kompis"]
    lulea_seen = participants_for_user(lulea)
    digital = lulea.projects.get()
    assert (
        lulea_seen.filter(project=digital).count() == Participant.objects.filter(project=digital).count() > 0
    )
    assert lulea_seen.exclude(region__name="Luleå").exclude(project=digital).count() == 0

    assert set(participants_for_user(users["admin@demo.kompis"]).values_list("id", flat=True)) == everyone
    assert not participants_for_user(users["viewer@demo.kompis"]).exists()
    assert not participants_for_user(users["superuser"]).exists()


def test_one_audit_event_for_the_whole_demo(demo_org):
    events = AuditEvent.objects.filter(action="demo.created")
    assert events.count() == 1
    event = events.get()
    assert event.organisation == demo_org and event.data["participants"] == N
    assert AuditEvent.objects.count() == 1  # not one per participant


# --- plausibility -----------------------------------------------------------------------------------------------


def test_counts_and_shares_are_plausible(demo_org):
    people = list(Participant.objects.select_related("region", "project", "friend_matching"))
    assert len(people) == N
    assert 0.45 <= share(people, lambda p: p.friend_matching.role == "newcomer") <= 0.65
    assert 0.6 <= share(people, lambda p: p.region_id is not None) <= 0.8
    assert 0.01 <= share(people, lambda p: p.friend_matching.status == Status.PENDING) <= 0.08
    assert share(people, lambda p: p.friend_matching.status == Status.WAITING) >= 0.55
    assert {p.friend_matching.status for p in people} >= {
        Status.WAITING,
        Status.MATCHED,
        Status.PAUSED,
        Status.WITHDRAWN,
    }
    assert 0.07 <= share(people, lambda p: p.friend_matching.wants_family_match) <= 0.25
    assert 0.04 <= share(people, lambda p: p.same_gender_only) <= 0.17
    modes = Counter(p.friend_matching.meeting_mode for p in people)
    assert 0.25 <= modes["physical"] / N <= 0.45 and 0.12 <= modes["digital"] / N <= 0.3
    assert 0.35 <= modes["either"] / N <= 0.55
    assert share(people, lambda p: p.gender in (Gender.NONBINARY, Gender.UNSPECIFIED)) <= 0.12
    established = [p for p in people if p.friend_matching.role == "established"]
    assert share(established, lambda p: p.gender == Gender.WOMAN) > share(
        established, lambda p: p.gender == "man"
    )
    newcomers = [p for p in people if p.friend_matching.role == "newcomer"]
    mean_age = lambda group: sum(p.age for p in group) / len(group)  # noqa: E731
    assert mean_age(newcomers) < mean_age(established)
    assert share(established, lambda p: "sv" in p.languages) == 1
    assert share(newcomers, lambda p: "sv" not in p.languages) > 0.4
    # around 30 % of the Uppsala region take part in the Uppsala project
    in_uppsala = [p for p in people if p.region and p.region.name == "Uppsala"]
    assert (
        0.15
        <= share(in_uppsala, lambda p: p.project is not None and "Familjekompis" in p.project.name)
        <= 0.5
    )
    assert 0.03 <= share(people, lambda p: p.heard_from == "") <= 0.2
    assert share(people, lambda p: p.heard_from == "other") <= 0.1
    research = Consent.objects.filter(kind="research").count() / N
    assert 0.25 <= research <= 0.55
    # sign-ups spread over the past year
    today = timezone.localdate()
    ages_in_days = [(today - timezone.localtime(p.signed_up_at).date()).days for p in people]
    assert min(ages_in_days) >= 1 and max(ages_in_days) <= 366 and max(ages_in_days) > 250
    pending_age = [
        (today - timezone.localtime(p.signed_up_at).date()).days
        for p in people
        if p.friend_matching.status == Status.PENDING
    ]
    assert all(days < settings.SIGNUP_CONFIRM_DAYS for days in pending_age)


def test_every_participant_is_valid_under_the_model_and_form_rules(demo_org):
    people = list(
        Participant.objects.select_related("municipality", "region", "project", "friend_matching").order_by(
            "id"
        )
    )
    for person in people[::10]:
        person.full_clean()
    this_year = timezone.localdate().year
    site_languages = {code for code, _ in settings.LANGUAGES}
    emails = [p.email for p in people]
    assert len(set(emails)) == len(emails)
    for p in people:
        assert 18 <= p.age <= 80
        assert clean_birth_year(p.birth_year) == p.birth_year and p.birth_year <= this_year - 18
        assert p.email.endswith("@example.org") and re.fullmatch(
            r"[a-z-]+\.[a-z-]+\.\d+@example\.org", p.email
        )
        if p.phone:
            assert clean_phone(p.phone) == p.phone
            assert re.fullmatch(r"070-174 06 \d\d", p.phone)  # PTS' range for fiction
        if p.postal_code:
            assert POSTAL_RE.match(p.postal_code) and clean_postal_code(p.postal_code) == p.postal_code
        assert p.languages and set(p.languages) <= set(LANGUAGES)
        assert 2 <= len(p.interests) <= 6 and set(p.interests) <= set(INTERESTS)
        assert p.friend_matching.availability and set(p.friend_matching.availability) <= set(AVAILABILITY)
        assert p.heard_from == "" or p.heard_from in HEARD_FROM
        assert p.preferred_language in site_languages
        assert not (p.same_gender_only and p.gender == Gender.UNSPECIFIED)
        assert not p.friend_matching.wants_family_match or p.has_children
        assert p.friend_matching.capacity == 1 or (
            p.friend_matching.role == "established" and p.friend_matching.capacity == 2
        )
        assert (p.friend_matching.paused_until is not None) == (p.friend_matching.status == Status.PAUSED)
        assert (p.friend_matching.status == Status.PENDING) <= (p.email_verified_at is None)
        # every demo person takes part in friend matching, waiting (in the pool's order) since they signed up
        assert p.friend_matching.organisation_id == p.organisation_id
        assert p.friend_matching.waiting_since == p.signed_up_at
    # the region is the one covering the municipality
    for p in people[::7]:
        expected = region_for(organisation=demo_org, municipality_code=p.municipality_id)
        assert p.region_id == (expected.id if expected else None)
    assert all(p.project.region_id in (None, p.region_id) for p in people if p.project)
    assert Consent.objects.filter(kind="data_processing").count() == N


def test_uppsala_postal_codes_look_like_uppsala(demo_org):
    for p in Participant.objects.filter(municipality_id="0380").exclude(postal_code=""):
        assert p.postal_code.startswith("75")
    for p in Participant.objects.filter(municipality_id="2580").exclude(postal_code=""):
        assert p.postal_code.startswith("97")
    for p in Participant.objects.filter(municipality__county_code="01").exclude(postal_code=""):
        assert p.postal_code.startswith("1")


# --- the command ------------------------------------------------------------------------------------------------


def test_command_prints_logins_and_counts(db):
    out = io.StringIO()
    call_command("demo", "--participants", str(N), "--seed", "3", stdout=out)
    text = out.getvalue()
    for persona in PERSONAS:
        assert persona.username in text
    assert "kompis-demo" in text and f"{N} participants" in text
    assert Participant.objects.count() == N


def test_if_empty_is_idempotent(db):
    first = io.StringIO()
    call_command("demo", "--if-empty", "--participants", str(N), stdout=first)
    assert Participant.objects.count() == N
    before = snapshot()
    second = io.StringIO()
    call_command("demo", "--if-empty", "--participants", str(N), stdout=second)
    assert snapshot() == before
    assert Organisation.objects.count() == 1 and AuditEvent.objects.count() == 1
    assert "nothing created" in second.getvalue() and "admin@demo.kompis" in second.getvalue()


def test_if_empty_creates_nothing_next_to_a_real_organisation(db):
    Organisation.objects.create(slug="riktig", name="Riktig förening")
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert (
        Organisation.objects.count() == 1 and not Participant.objects.exists() and not User.objects.exists()
    )
    assert "no demo data" in out.getvalue()


def test_running_twice_without_if_empty_fails_cleanly(db):
    call_command("demo", "--participants", "5", stdout=io.StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("demo", "--participants", "5", stdout=io.StringIO())
    assert Participant.objects.count() == 5


def test_taken_username_aborts_without_leaving_anything(db):
    User.objects.create_user(username="superuser", password="x")
    with pytest.raises(CommandError, match="superuser"):
        call_command("demo", "--participants", "5", stdout=io.StringIO())
    assert not Organisation.objects.exists() and not Participant.objects.exists()

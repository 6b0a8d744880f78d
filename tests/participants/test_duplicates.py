"""Likely duplicate people and merging two records of one person (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.matching.models import ExcludedPair, Match, MatchingRun, Proposal
from kompis.participants import services
from kompis.participants.duplicates import Rule, likely_duplicates
from kompis.participants.merge import (
    MergeRefused,
    merge_participants,
    participant_by_uid,
    participant_relations,
)
from kompis.participants.models import Consent, FriendParticipation, MergedParticipant, Note, Participant
from tests.factories import ParticipantFactory


def uppsala(world, **kwargs):
    return ParticipantFactory(organisation=world.org, region=world.uppsala, municipality_id="0380", **kwargs)


def danderyd(world, **kwargs):
    return ParticipantFactory(organisation=world.org, region=world.danderyd, municipality_id="0162", **kwargs)


def pair_set(pairs):
    return {frozenset((p.first.pk, p.second.pk)): p.rules for p in pairs}


def snapshot():
    """Everything a merge could change, to compare before and after."""
    return {
        "participants": sorted(Participant.objects.values_list("pk", "email", "phone")),
        "friend_matching": sorted(FriendParticipation.objects.values_list("pk", "role", "status")),
        "matches": sorted(Match.objects.values_list("pk", "newcomer_id", "established_id")),
        "consents": sorted(Consent.objects.values_list("pk", "participant_id")),
        "notes": sorted(Note.objects.values_list("pk", "participant_id")),
        "aliases": MergedParticipant.objects.count(),
        "events": AuditEvent.objects.count(),
    }


# --- finding likely duplicates ---------------------------------------------------------------------------


def test_each_rule_finds_its_pair_and_nothing_else(world, org_admin):
    a = uppsala(
        world, email="Amal.Haddad@example.org", first_name="Amal", last_name="Haddad", birth_year=1990
    )
    b = uppsala(
        world, email="amal.haddad@EXAMPLE.org", first_name="Amina", last_name="Haddad", birth_year=1990
    )
    c = uppsala(world, phone="070-123 45 67", first_name="Omar", last_name="Ali", birth_year=1985)
    d = uppsala(world, phone="+46 70 123 45 67", first_name="Omer", last_name="Aly", birth_year=1985)
    e = uppsala(world, first_name="Åsa", last_name="Öberg", birth_year=1970)
    f = uppsala(world, first_name="ÅSA ", last_name="ÖBERG", birth_year=1970)
    uppsala(world, first_name="Åsa", last_name="Öberg", birth_year=1971)  # another year: another person
    found = pair_set(likely_duplicates(org_admin))
    assert found == {
        frozenset((a.pk, b.pk)): [Rule.EMAIL],
        frozenset((c.pk, d.pk)): [Rule.PHONE],
        frozenset((e.pk, f.pk)): [Rule.NAME],
    }


def test_a_coordinator_sees_only_pairs_with_both_in_scope(world, uppsala_coordinator, org_admin, client):
    up_a = uppsala(world, first_name="Sara", last_name="Nur", birth_year=1991)
    up_b = uppsala(world, first_name="sara", last_name="nur", birth_year=1991)
    da_a = danderyd(world, first_name="Lina", last_name="Berg", birth_year=1980)
    da_b = danderyd(world, first_name="Lina", last_name="Berg", birth_year=1980)
    cross = danderyd(world, first_name="Sara", last_name="Nur", birth_year=1991)
    assert set(pair_set(likely_duplicates(uppsala_coordinator))) == {frozenset((up_a.pk, up_b.pk))}
    assert len(likely_duplicates(org_admin)) == 1 + 1 + 2  # the Uppsala pair, the Danderyd pair, two crossing

    client.force_login(uppsala_coordinator)
    page = client.get(reverse("participants:duplicates"))
    assert page.status_code == 200
    html = page.content.decode()
    assert str(up_a.uid) in html and str(up_b.uid) in html
    for hidden in (da_a, da_b, cross):
        assert str(hidden.uid) not in html
    assert "Lina" not in html


def test_the_list_links_to_the_duplicates(world, uppsala_coordinator, client):
    client.force_login(uppsala_coordinator)
    assert reverse("participants:duplicates") in client.get(reverse("participants:list")).content.decode()


def test_viewers_see_no_duplicates(world, viewer, client):
    client.force_login(viewer)
    assert client.get(reverse("participants:duplicates")).status_code == 403


# --- merging -----------------------------------------------------------------------------------------------


@pytest.fixture
def two_records(world):
    """Layla signed up twice: once online (matched, with history), once on paper (waiting, with a phone)."""
    kept = uppsala(world, first_name="Layla", last_name="Haddad", birth_year=1992, email="layla@example.org")
    other = uppsala(
        world,
        first_name="Layla",
        last_name="Haddad",
        birth_year=1992,
        email="",
        phone="070-111 22 33",
        about_me="Likes walks",
        source="staff",
    )
    return kept, other


def _partner(world, **kwargs):
    return uppsala(world, role="established", **kwargs)


def _task_model():
    return next(fk.model for fk in participant_relations() if fk.model.__name__ == "Task")


def _make_task(world, participant, match):
    task_model = _task_model()
    names = {f.name for f in task_model._meta.get_fields()}
    about = {"match": match} if "match" in names else {"subject": match}
    return task_model.objects.create(
        organisation=world.org, participant=participant, kind="no_answer", due_on=date(2026, 5, 1), **about
    )


def test_merge_keeps_every_participation_match_consent_and_note(world, org_admin, two_records):
    from kompis.followup.models import FollowUp

    kept, other = two_records
    britt, karin = _partner(world), _partner(world)
    FriendParticipation.objects.filter(pk=other.pk).update(status="matched")
    other = Participant.objects.get(pk=other.pk)
    match = Match.objects.create(
        organisation=world.org, newcomer=other, established=britt, mode="physical", created_by=org_admin
    )
    old_match = Match.objects.create(
        organisation=world.org, newcomer=kept, established=karin, mode="physical", status="ended"
    )
    run = MatchingRun.objects.create(organisation=world.org, created_by=org_admin)
    proposal = Proposal.objects.create(run=run, newcomer=other, established=karin, score=0.5)
    both_excluded = ExcludedPair.objects.create(
        organisation=world.org, newcomer=kept, established=karin, reason="staff"
    )
    ExcludedPair.objects.create(organisation=world.org, newcomer=other, established=karin, reason="staff")
    ExcludedPair.objects.create(organisation=world.org, newcomer=other, established=britt, reason="staff")
    followup = FollowUp.objects.create(match=match, participant=other)
    task = _make_task(world, other, match)
    consent = Consent.objects.create(
        participant=other, kind="research", policy_version="2026-01", method="paper"
    )
    kept_consent = Consent.objects.create(participant=kept, kind="data_processing", policy_version="2026-01")
    note = Note.objects.create(participant=other, author=org_admin, text="Called her")
    other_uid = other.uid

    result = merge_participants(actor=org_admin, keep=kept, remove=other)

    assert not Participant.objects.filter(uid=other_uid).exists()
    kept.refresh_from_db()
    match.refresh_from_db()
    assert (match.newcomer_id, old_match.newcomer_id) == (kept.pk, kept.pk)
    proposal.refresh_from_db()
    assert proposal.newcomer_id == kept.pk
    followup.refresh_from_db()
    assert followup.participant_id == kept.pk
    task.refresh_from_db()
    assert task.participant_id == kept.pk
    assert set(kept.consents.all()) == {consent, kept_consent}
    assert list(kept.notes.all()) == [note]
    # the same exclusion on both records is kept once; the other one moves
    assert set(ExcludedPair.objects.filter(newcomer=kept).values_list("established_id", flat=True)) == {
        karin.pk,
        britt.pk,
    }
    assert ExcludedPair.objects.filter(pk=both_excluded.pk).exists()
    # empty fields are filled, filled ones stay; the match came along, so the kept record is matched
    assert (kept.email, kept.phone, kept.about_me) == ("layla@example.org", "070-111 22 33", "Likes walks")
    assert FriendParticipation.objects.get(pk=kept.pk).status == "matched"
    assert not FriendParticipation.objects.filter(pk=other.pk).exists()
    assert {"phone", "about_me", "status"} <= set(result.filled)
    event = AuditEvent.objects.get(action="participant.merged")
    assert (event.object_id, event.data["kept"], event.data["merged"]) == (
        str(kept.uid),
        str(kept.uid),
        str(other_uid),
    )
    assert event.data["moved"]["matching.match"] == 1
    assert event.actor_id == org_admin.pk


def test_a_link_mailed_to_the_merged_record_opens_the_kept_one(world, org_admin, two_records, client):
    kept, other = two_records
    old_link = services.self_service_url(other)
    merge_participants(actor=org_admin, keep=kept, remove=other)

    page = client.get(old_link)
    assert page.status_code == 200
    assert page.context["participant"].pk == kept.pk


def test_merges_chain(world, org_admin, two_records):
    kept, other = two_records
    third = uppsala(world, first_name="Layla", last_name="Haddad", birth_year=1992)
    merge_participants(actor=org_admin, keep=other, remove=third)
    merge_participants(actor=org_admin, keep=kept, remove=other)
    assert participant_by_uid(organisation=world.org, uid=third.uid) == kept
    assert participant_by_uid(organisation=world.other_org, uid=third.uid) is None


def test_the_merge_page_changes_nothing_on_get(world, uppsala_coordinator, two_records, client):
    kept, other = two_records
    client.force_login(uppsala_coordinator)
    before = snapshot()
    url = reverse("participants:duplicate_merge", args=[other.uid]) + f"?keep={kept.uid}"
    page = client.get(url)
    assert page.status_code == 200
    assert "same name and year of birth" in page.content.decode().lower()
    assert client.head(url).status_code == 200
    assert snapshot() == before


def test_a_coordinator_merges_in_scope_with_post(world, uppsala_coordinator, two_records, client):
    kept, other = two_records
    client.force_login(uppsala_coordinator)
    response = client.post(reverse("participants:duplicate_merge", args=[other.uid]), {"keep": kept.uid})
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[kept.uid])
    assert not Participant.objects.filter(pk=other.pk).exists()
    history = client.get(response["Location"]).content.decode()
    assert "Merged with a duplicate record" in history


def test_uppsala_cannot_merge_danderyd_records(world, uppsala_coordinator, danderyd_coordinator, client):
    a = danderyd(world, first_name="Lina", last_name="Berg", birth_year=1980)
    b = danderyd(world, first_name="Lina", last_name="Berg", birth_year=1980)
    mixed = uppsala(world, first_name="Lina", last_name="Berg", birth_year=1980)
    before = snapshot()
    client.force_login(uppsala_coordinator)

    def url(remove):
        return reverse("participants:duplicate_merge", args=[remove.uid])

    assert client.get(url(b) + f"?keep={a.uid}").status_code == 404
    assert client.post(url(b), {"keep": a.uid}).status_code == 404
    assert client.post(url(b), {"keep": mixed.uid}).status_code == 404
    assert client.post(url(mixed), {"keep": b.uid}).status_code == 404
    assert client.post(url(mixed), {"keep": "not-a-uid"}).status_code == 404
    with pytest.raises(MergeRefused) as refused:
        merge_participants(actor=uppsala_coordinator, keep=mixed, remove=a)
    assert refused.value.reason == "scope"
    assert snapshot() == before
    # their own coordinator may
    merge_participants(actor=danderyd_coordinator, keep=a, remove=b)
    assert not Participant.objects.filter(pk=b.pk).exists()


def test_a_refused_merge_writes_nothing(world, org_admin, two_records, client):
    """Both records have an active match with the same partner: the move breaks a unique constraint
    half-way, and the whole merge is rolled back."""
    kept, other = two_records
    britt = _partner(world)
    for p in (kept, other):
        Match.objects.create(organisation=world.org, newcomer=p, established=britt, mode="physical")
    Note.objects.create(participant=other, text="A note that must stay where it is")
    before = snapshot()
    with pytest.raises(MergeRefused) as refused:
        merge_participants(actor=org_admin, keep=kept, remove=other)
    assert refused.value.reason == "conflict"
    assert snapshot() == before

    client.force_login(org_admin)
    page = client.post(reverse("participants:duplicate_merge", args=[other.uid]), {"keep": kept.uid})
    assert page.status_code == 400
    assert "Resolve it on one of them first" in page.content.decode()
    assert snapshot() == before


def test_records_of_different_roles_are_not_merged(world, org_admin, two_records):
    kept, other = two_records
    other.friend_matching.role = "established"
    other.friend_matching.save()
    with pytest.raises(MergeRefused) as refused:
        merge_participants(actor=org_admin, keep=kept, remove=other)
    assert refused.value.reason == "role"
    with pytest.raises(MergeRefused):
        merge_participants(actor=org_admin, keep=kept, remove=kept)


# --- the participation in friend matching (one per person) ---------------------------------------------------


def _friend(person):
    return FriendParticipation.objects.filter(pk=person.pk).values("role", "status", "capacity").first()


def test_the_kept_records_friend_participation_stays(world, org_admin):
    kept = uppsala(world, first_name="Omar", last_name="Ali", birth_year=1980, role="established", capacity=3)
    other = uppsala(
        world, first_name="Omar", last_name="Ali", birth_year=1980, role="established", capacity=1, email=""
    )
    FriendParticipation.objects.filter(pk=other.pk).update(status="paused")
    result = merge_participants(actor=org_admin, keep=kept, remove=other)
    assert _friend(kept) == {"role": "established", "status": "waiting", "capacity": 3}
    assert FriendParticipation.objects.filter(pk__in=[kept.pk, other.pk]).count() == 1
    assert "friend_matching" not in result.filled


def test_a_kept_record_without_friend_matching_takes_over_the_other_ones(world, org_admin):
    """The kept record registered only for an event; the removed one waits for a match: the participation
    (with its role, status and dates) moves to the kept person, and the audit says so."""
    kept = uppsala(world, first_name="Sara", last_name="Nilsson", birth_year=1975, friend_matching=False)
    other = uppsala(
        world,
        first_name="Sara",
        last_name="Nilsson",
        birth_year=1975,
        role="established",
        capacity=2,
        email="",
    )
    waiting_since = other.friend_matching.waiting_since
    result = merge_participants(actor=org_admin, keep=kept, remove=other)
    assert _friend(kept) == {"role": "established", "status": "waiting", "capacity": 2}
    assert FriendParticipation.objects.get(pk=kept.pk).waiting_since == waiting_since
    assert not FriendParticipation.objects.filter(pk=other.pk).exists()
    assert "friend_matching" in result.filled
    event = AuditEvent.objects.get(action="participant.merged")
    assert "friend_matching" in event.data["filled"]


def test_a_removed_record_without_friend_matching_leaves_the_kept_ones_alone(world, org_admin):
    kept = uppsala(world, first_name="Nour", last_name="Saleh", birth_year=1999, role="newcomer")
    other = uppsala(
        world, first_name="Nour", last_name="Saleh", birth_year=1999, friend_matching=False, email=""
    )
    merge_participants(actor=org_admin, keep=kept, remove=other)
    assert _friend(kept) == {"role": "newcomer", "status": "waiting", "capacity": 1}


def test_roles_do_not_refuse_a_merge_when_one_record_has_no_friend_matching(world, org_admin):
    """The role is the friend participation's: a person without one has no role to differ."""
    kept = uppsala(world, first_name="Ali", last_name="Omar", birth_year=1960, friend_matching=False)
    other = uppsala(world, first_name="Ali", last_name="Omar", birth_year=1960, role="newcomer", email="")
    merge_participants(actor=org_admin, keep=kept, remove=other)
    assert _friend(kept)["role"] == "newcomer"


def test_people_without_friend_matching_are_found_and_merged(world, org_admin):
    a = uppsala(world, first_name="Eva", last_name="Lund", birth_year=1950, friend_matching=False)
    b = uppsala(world, first_name="Eva", last_name="Lund", birth_year=1950, friend_matching=False, email="")
    pairs = likely_duplicates(org_admin)
    assert pair_set(pairs) == {frozenset((a.pk, b.pk)): [Rule.NAME]}
    merge_participants(actor=org_admin, keep=pairs[0].first, remove=pairs[0].second)
    assert Participant.objects.filter(pk__in=[a.pk, b.pk]).count() == 1
    assert not FriendParticipation.objects.filter(pk__in=[a.pk, b.pk]).exists()

"""Mentor pairs (issue #13): the engine proposes with the programme's rules, staff approve, reject, choose
another mentor and end pairs; introductions go out in each one's language; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.outbox.models import OutboxMessage
from kompis.outbox.rendering import render
from kompis.programmes import pairs, services
from kompis.programmes.models import MentorPair, PairStatus
from kompis.programmes.pairing import PairingRules, add_months
from kompis.programmes.services import CohortData, EnrolmentData, ProgrammeData
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def setup(world, region=None, months=4):
    prog = services.create_programme(
        actor=world.admin,
        organisation=world.org,
        data=ProgrammeData(
            name="Ukraine mentors", region=region or world.uppsala, pair_duration_months=months
        ),
    )
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=world.admin,
        programme=prog,
        data=CohortData(name="Autumn", starts_on=today, ends_on=today + timedelta(days=180)),
    )
    return prog, cohort


def enrol(world, cohort, role, field="it", languages=("uk", "en"), places=1, mode="either", **kw):
    who = ParticipantFactory(organisation=world.org, region=world.uppsala, languages=list(languages), **kw)
    data = EnrolmentData(role=role, field=field, meeting_mode=mode, max_mentees=places)
    return services.enrol(actor=world.admin, cohort=cohort, participant=who, data=data)


def test_coordinator_runs_the_programme_pairs_made_and_reviewed(world, client):
    prog, cohort = setup(world)
    olena = enrol(world, cohort, "mentee", field="health", languages=("uk", "en"), first_name="Olena")
    taras = enrol(world, cohort, "mentee", field="it", languages=("uk", "ru"), first_name="Taras")
    nurse = enrol(world, cohort, "mentor", field="health", languages=("sv", "en"), preferred_language="sv")
    coder = enrol(world, cohort, "mentor", field="it", languages=("sv", "ru"))
    client.force_login(world.uppsala_coordinator)
    assert client.post(reverse("programmes:pairs_propose", args=[cohort.uid])).status_code == 302
    proposed = {p.mentee_id: p for p in cohort.pairs.filter(status=PairStatus.PROPOSED)}
    assert proposed[olena.pk].mentor_id == nurse.pk and proposed[taras.pk].mentor_id == coder.pk
    page = client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    assert "same field of work: Health and care" in page and "shared language: English" in page
    client.post(reverse("programmes:pairs_approve_all", args=[cohort.uid]))
    pair = MentorPair.objects.get(mentee=olena)
    today = timezone.localdate()
    assert pair.status == PairStatus.ACTIVE and pair.decided_by == world.uppsala_coordinator
    assert (pair.started_on, pair.ends_on) == (today, add_months(today, 4))
    mail = OutboxMessage.objects.get(template="programme_pair_introduction", participant=nurse.participant)
    subject, text, _ = render(mail)
    assert mail.language == "sv" and "Olena" in subject and "Olena" in text
    assert OutboxMessage.objects.filter(template="programme_pair_introduction").count() == 4
    lines = " ".join(line.text for line in history_lines(world.admin, history_of(prog)))
    assert "proposed 2 mentor pairs" in lines and "became a pair" in lines


def test_proposing_again_replaces_proposals_and_skips_rejected_and_paired(world):
    _, cohort = setup(world)
    a, b = enrol(world, cohort, "mentee"), enrol(world, cohort, "mentee")
    m1 = enrol(world, cohort, "mentor", languages=("sv", "uk"))
    m2 = enrol(world, cohort, "mentor", languages=("sv", "en"))
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    first = {p.mentee_id: p for p in cohort.pairs.all()}
    pairs.approve_pair(actor=world.admin, pair=first[a.pk])
    pairs.reject_pair(actor=world.admin, pair=first[b.pk])
    result = pairs.propose_pairs(actor=world.admin, cohort=cohort)
    assert result.proposed == 0 and result.unmatched == 1  # b's only other mentor was rejected for b
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    assert cohort.pairs.filter(status=PairStatus.PROPOSED).count() == 0
    assert {m1.pk, m2.pk} >= {first[a.pk].mentor_id}


def test_bad_decisions_are_refused_and_change_nothing(world):
    _, cohort = setup(world)
    a, b = enrol(world, cohort, "mentee"), enrol(world, cohort, "mentee")
    mentor = enrol(world, cohort, "mentor", places=1)
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    pair = cohort.pairs.get()
    pairs.approve_pair(actor=world.admin, pair=pair)
    with pytest.raises(pairs.PairRefused) as stale:
        pairs.reject_pair(actor=world.admin, pair=pair)
    assert stale.value.code == "stale"
    other = b if pair.mentee_id == a.pk else a
    with pytest.raises(pairs.PairRefused) as full:
        pairs.choose_mentor(actor=world.admin, mentee=other, mentor=mentor)
    assert full.value.code == "no_place"
    with pytest.raises(pairs.PairRefused) as paired:
        pairs.choose_mentor(actor=world.admin, mentee=pair.mentee, mentor=enrol(world, cohort, "mentor"))
    assert paired.value.code == "mentee_paired"
    assert cohort.pairs.count() == 1
    assert not AuditEvent.objects.filter(action="programme.pair_chosen").exists()


def test_staff_choose_another_mentor_from_the_ranked_candidates(world, client):
    _, cohort = setup(world)
    mentee = enrol(world, cohort, "mentee", field="it")
    best = enrol(world, cohort, "mentor", field="it")
    second = enrol(world, cohort, "mentor", field="health")
    far = enrol(world, cohort, "mentor", field="it", languages=("sv",))  # no shared language: not allowed
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    assert cohort.pairs.get().mentor_id == best.pk
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:choose_mentor", args=[mentee.uid])
    client.post(url, {"mentor": str(far.uid)})
    assert cohort.pairs.get().status == PairStatus.PROPOSED  # refused: the rules do not allow it
    client.post(url, {"mentor": str(second.uid)})
    chosen = cohort.pairs.get(status=PairStatus.ACTIVE)
    assert chosen.mentor_id == second.pk and chosen.chosen_by_staff
    assert cohort.pairs.get(status=PairStatus.REJECTED).mentor_id == best.pk


def test_ending_a_pair_and_dropping_out_end_open_pairs(world, client):
    _, cohort = setup(world)
    a, b = enrol(world, cohort, "mentee"), enrol(world, cohort, "mentee")
    enrol(world, cohort, "mentor", places=2)
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    pa, pb = cohort.pairs.get(mentee=a), cohort.pairs.get(mentee=b)
    pairs.approve_pair(actor=world.admin, pair=pa)
    client.force_login(world.uppsala_coordinator)
    client.post(reverse("programmes:pair_end", args=[pa.uid]), {"reason": "mismatch"})
    pa.refresh_from_db()
    assert (pa.status, pa.end_reason) == (PairStatus.ENDED, "mismatch")
    services.drop_out(actor=world.admin, enrolment=b, reason="moved")
    assert not MentorPair.objects.filter(pk=pb.pk).exists()  # a proposal is withdrawn
    c = enrol(world, cohort, "mentee")
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    pc = cohort.pairs.get(mentee=c)
    pairs.approve_pair(actor=world.admin, pair=pc)
    services.drop_out(actor=world.admin, enrolment=c, reason="work")
    pc.refresh_from_db()
    assert (pc.status, pc.end_reason) == (PairStatus.ENDED, "dropped_out")


def test_other_scope_gets_404_viewer_403_and_rules_are_saved(world, client):
    prog, cohort = setup(world)
    enrol(world, cohort, "mentee")
    enrol(world, cohort, "mentor")
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    pair = cohort.pairs.get()
    for user, status in ((world.danderyd_coordinator, 404), (world.viewer, 403)):
        client.force_login(user)
        assert client.post(reverse("programmes:pair_approve", args=[pair.uid])).status_code == status
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:pairing_rules", args=[prog.uid])
    bad = client.post(url, {"field_weight": "11", "language_weight": "1", "municipality_weight": "1"})
    assert bad.status_code == 200 and "field_weight" in bad.context["form"].errors
    ok = {"field_weight": "9", "language_weight": "1", "municipality_weight": "0", "must_same_field": "on"}
    client.post(url, ok)
    prog.refresh_from_db()
    assert pairs.rules_of(prog) == PairingRules(
        field_weight=9, language_weight=1, municipality_weight=0, must_same_field=True, must_can_meet=False
    )


def test_the_cohort_page_reads_the_same_number_of_queries_for_more_mentees(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, cohort = setup(world)
    enrol(world, cohort, "mentor", places=5)
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:cohort", args=[cohort.uid])
    counts = []
    for _ in range(2):
        for _ in range(3):
            enrol(world, cohort, "mentee", languages=("ar",))  # no shared language: offered no mentor
        enrol(world, cohort, "mentee")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_proposal_withdrawn_meanwhile_is_stale(world):
    _, cohort = setup(world)
    enrol(world, cohort, "mentee")
    enrol(world, cohort, "mentor")
    pairs.propose_pairs(actor=world.admin, cohort=cohort)
    old = cohort.pairs.get()
    pairs.propose_pairs(actor=world.admin, cohort=cohort)  # replaces the proposal
    with pytest.raises(pairs.PairRefused) as stale:
        pairs.approve_pair(actor=world.admin, pair=old)
    assert stale.value.code == "stale"
    assert cohort.pairs.get().status == PairStatus.PROPOSED

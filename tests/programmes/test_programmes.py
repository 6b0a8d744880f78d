"""Mentor programmes (issue #13, first part): programmes, cohorts, enrolments, the waiting list moving up,
coordinators' scope; every change a service with audit holding ids and codes only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.programmes import services
from kompis.programmes.access import get_cohort_for_user, get_programme_for_user, programmes_for_user
from kompis.programmes.models import Enrolment, EnrolmentStatus
from kompis.programmes.services import CohortData, EnrolmentData, EnrolmentRefused, ProgrammeData
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

GOALS = "Work as a nurse in Sweden again"


def programme(world, region=None, capacity=None):
    prog = services.create_programme(
        actor=world.admin,
        organisation=world.org,
        data=ProgrammeData(name="Professional mentorship", region=region or world.uppsala),
    )
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=world.admin,
        programme=prog,
        data=CohortData(
            name="Spring", starts_on=today, ends_on=today + timedelta(days=180), mentee_capacity=capacity
        ),
    )
    return prog, cohort


def person(world, region=None):
    return ParticipantFactory(organisation=world.org, region=region or world.uppsala)


def mentee(world, cohort, who, **kw):
    data = EnrolmentData(role="mentee", field="health", goals=GOALS, **kw)
    return services.enrol(actor=world.admin, cohort=cohort, participant=who, data=data)


def test_coordinator_sees_programmes_of_their_region_only(world):
    up, up_cohort = programme(world)
    dan, _ = programme(world, region=world.danderyd)
    assert list(programmes_for_user(world.uppsala_coordinator)) == [up]
    assert list(programmes_for_user(world.danderyd_coordinator)) == [dan]
    assert set(programmes_for_user(world.admin)) == {up, dan}
    assert not programmes_for_user(world.viewer).exists()
    with pytest.raises(Http404):
        get_programme_for_user(world.danderyd_coordinator, up.uid)
    with pytest.raises(Http404):
        get_cohort_for_user(world.danderyd_coordinator, up_cohort.uid)
    assert get_cohort_for_user(world.uppsala_coordinator, up_cohort.uid) == up_cohort


def test_full_cohort_puts_mentees_on_the_waiting_list_and_they_move_up(world):
    _, cohort = programme(world, capacity=1)
    a, b, c = (person(world) for _ in range(3))
    first = mentee(world, cohort, a)
    second = mentee(world, cohort, b)
    third = mentee(world, cohort, c)
    mentor = services.enrol(
        actor=world.admin, cohort=cohort, participant=person(world), data=EnrolmentData(role="mentor")
    )
    assert first.status == EnrolmentStatus.ACTIVE and mentor.status == EnrolmentStatus.ACTIVE
    assert second.status == third.status == EnrolmentStatus.WAITING
    services.drop_out(actor=world.admin, enrolment=first, reason="moved", note="Moved to Malmö")
    second.refresh_from_db(), third.refresh_from_db()
    assert second.status == EnrolmentStatus.ACTIVE and third.status == EnrolmentStatus.WAITING
    moved = AuditEvent.objects.get(action="programme.moved_up")
    assert moved.data["enrolment"] == str(second.uid)
    services.complete(actor=world.admin, enrolment=second)
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.ACTIVE
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.COMPLETED and second.completed_at is not None


def test_leaving_the_waiting_list_moves_no_one_up(world):
    _, cohort = programme(world, capacity=1)
    mentee(world, cohort, person(world))
    waiting = mentee(world, cohort, person(world))
    later = mentee(world, cohort, person(world))
    services.drop_out(actor=world.admin, enrolment=waiting, reason="own_wish")
    later.refresh_from_db()
    assert later.status == EnrolmentStatus.WAITING
    assert not AuditEvent.objects.filter(action="programme.moved_up").exists()


def test_duplicate_enrolment_is_refused_and_writes_nothing(world):
    _, cohort = programme(world)
    who = person(world)
    mentee(world, cohort, who)
    before = AuditEvent.objects.count()
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(actor=world.admin, cohort=cohort, participant=who, data=EnrolmentData(role="mentor"))
    assert refused.value.code == "duplicate"
    assert AuditEvent.objects.count() == before and Enrolment.objects.count() == 1


def second_cohort(world, prog):
    today = timezone.localdate()
    return services.create_cohort(
        actor=world.admin,
        programme=prog,
        data=CohortData(name="Autumn", starts_on=today, ends_on=today + timedelta(days=90)),
    )


def test_an_open_enrolment_in_another_cohort_of_the_programme_is_refused(world):
    prog, spring = programme(world)
    autumn = second_cohort(world, prog)
    who = person(world)
    first = mentee(world, spring, who)
    before = AuditEvent.objects.count()
    with pytest.raises(EnrolmentRefused) as refused:
        mentee(world, autumn, who)
    assert refused.value.code == "open_elsewhere"
    assert AuditEvent.objects.count() == before and Enrolment.objects.count() == 1
    # once that enrolment is over, the person may join the next cohort
    services.complete(actor=world.admin, enrolment=first)
    assert mentee(world, autumn, who).status == EnrolmentStatus.ACTIVE


def test_staff_enrolling_a_person_open_in_another_cohort_see_why_and_nothing_is_written(client, world):
    prog, spring = programme(world, capacity=1)
    autumn = second_cohort(world, prog)
    mentee(world, spring, person(world))
    who = person(world)
    mentee(world, spring, who)  # on spring's waiting list: open too
    client.force_login(world.uppsala_coordinator)
    response = client.post(
        reverse("programmes:enrol", args=[autumn.uid]),
        {"participant": str(who.uid), "role": "mentee", "field": "health"},
        follow=True,
    )
    assert "already waiting or active in another cohort of this programme" in response.content.decode()
    assert not Enrolment.objects.filter(cohort=autumn).exists()


def test_the_public_form_refuses_a_person_open_in_another_cohort(world):
    from kompis.programmes.public_enrolment import PublicEnrolment, enrol_publicly

    prog, spring = programme(world)
    prog.public_enrolment = True
    prog.save(update_fields=["public_enrolment"])
    autumn = second_cohort(world, prog)
    data = PublicEnrolment(
        first_name="Olena",
        last_name="Review",
        email="olena.review@example.org",
        language="uk",
        municipality=world.uppsala.municipalities.first(),
        role="mentee",
        field="",
        meeting_mode="either",
    )
    enrol_publicly(organisation=world.org, programme=prog, cohort=spring, data=data)
    before = (Enrolment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(EnrolmentRefused) as refused:
        enrol_publicly(organisation=world.org, programme=prog, cohort=autumn, data=data)
    assert refused.value.code == "open_elsewhere"
    assert (Enrolment.objects.count(), AuditEvent.objects.count()) == before


def test_person_of_another_organisation_is_refused(world):
    _, cohort = programme(world)
    stranger = ParticipantFactory(organisation=world.other_org)
    with pytest.raises(EnrolmentRefused) as refused:
        mentee(world, cohort, stranger)
    assert refused.value.code == "other_organisation" and not Enrolment.objects.exists()


def test_completing_twice_is_refused(world):
    _, cohort = programme(world)
    enrolment = mentee(world, cohort, person(world))
    services.complete(actor=world.admin, enrolment=enrolment)
    with pytest.raises(EnrolmentRefused):
        services.complete(actor=world.admin, enrolment=enrolment)
    with pytest.raises(EnrolmentRefused):
        services.drop_out(actor=world.admin, enrolment=enrolment, reason="time")


def test_audit_holds_no_free_text_and_history_reads(world):
    prog, cohort = programme(world, capacity=1)
    enrolment = mentee(world, cohort, person(world), field_other="")
    services.drop_out(actor=world.admin, enrolment=enrolment, reason="other", note="Private reason ZQX")
    enrolment.refresh_from_db()
    assert enrolment.goals == GOALS and enrolment.dropout_note == "Private reason ZQX"
    logged = " ".join(str(e.data) for e in AuditEvent.objects.all())
    assert "nurse" not in logged and "ZQX" not in logged and "Professional" not in logged
    dropped = AuditEvent.objects.get(action="programme.dropped_out")
    assert dropped.data["reason"] == "other"
    lines = history_lines(world.admin, history_of(prog))
    assert len(lines) == 4  # created, cohort created, enrolled, dropped out


def test_staff_pages_enrol_to_the_waiting_list_and_hide_other_regions(client, world):
    prog, cohort = programme(world, capacity=1)
    mentee(world, cohort, person(world))
    who = person(world)
    client.force_login(world.uppsala_coordinator)
    assert prog.name in client.get("/staff/programmes/").content.decode()
    assert "Spring" in client.get(f"/staff/programmes/{prog.uid}/").content.decode()
    response = client.post(
        f"/staff/programmes/cohorts/{cohort.uid}/enrol/",
        {"participant": str(who.uid), "role": "mentee", "field": "it", "goals": GOALS},
        follow=True,
    )
    assert "waiting list" in response.content.decode()
    assert Enrolment.objects.get(participant=who).status == EnrolmentStatus.WAITING
    again = client.post(
        f"/staff/programmes/cohorts/{cohort.uid}/enrol/",
        {"participant": str(who.uid), "role": "mentor"},
        follow=True,
    )
    assert "already enrolled" in again.content.decode() and Enrolment.objects.count() == 2
    client.force_login(world.danderyd_coordinator)
    assert client.get(f"/staff/programmes/{prog.uid}/").status_code == 404
    assert client.get(f"/staff/programmes/cohorts/{cohort.uid}/").status_code == 404
    assert prog.name not in client.get("/staff/programmes/").content.decode()

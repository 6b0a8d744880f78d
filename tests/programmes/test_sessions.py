"""A cohort's sessions (issue #13): a session is a non-public event whose registrations are the invited
people; inviting groups, refusing a session in the past or outside the cohort, refusing attendance for
someone not invited, double ticks never doubling, the completion rule (hand-counted 4 of 6), and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import attendance
from kompis.events import services as event_services
from kompis.events.attendance import AttendanceRefused
from kompis.events.models import Attendance, Event, EventRegistration
from kompis.programmes import services, sessions
from kompis.programmes.models import Cohort, CohortSession, Enrolment, Programme
from kompis.programmes.sessions import SessionData, SessionRefused
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world) -> Cohort:
    programme = Programme.objects.create(
        organisation=world.org, region=world.uppsala, name="Mentors", min_sessions_attended=4
    )
    today = timezone.localdate()
    return Cohort.objects.create(
        programme=programme,
        name="Autumn",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
    )


def enrol(world, cohort, first_name: str, role: str = "mentee") -> Enrolment:
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name=first_name, last_name="Test"
    )
    return Enrolment.objects.create(cohort=cohort, participant=person, role=role)


def data(*, days: float = 1, invite: str = "all", **over) -> SessionData:
    starts = timezone.now() + timedelta(days=days)
    values = {
        "kind": "group_session",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "Stadsbiblioteket",
        "invite": invite,
    }
    values.update(over)
    return SessionData(**values)


def invited(session: CohortSession) -> set[str]:
    return set(
        EventRegistration.objects.filter(event=session.event, status="registered").values_list(
            "participant__first_name", flat=True
        )
    )


def held(session: CohortSession, days_ago: int) -> None:
    """Move a session into the past (as if the days went by)."""
    starts = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=session.event_id).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    session.event.refresh_from_db()


def tick(world, session, enrolment, state="present", key=""):
    return attendance.mark_attendance(
        actor=world.admin,
        event=session.event,
        participant_uid=str(enrolment.participant.uid),
        state=state,
        key=key,
    )


def test_a_session_is_a_non_public_event_in_the_cohorts_region_inviting_the_chosen_group(world, cohort):
    mentee, mentor = enrol(world, cohort, "Amal"), enrol(world, cohort, "Maria", "mentor")
    enrol(world, cohort, "Waiting").__class__.objects.filter(participant__first_name="Waiting").update(
        status="waiting_list"
    )
    everyone = sessions.create_session(actor=world.uppsala_coordinator, cohort=cohort, data=data())
    event = everyone.event
    assert (event.public, event.region, event.capacity, event.organisation) == (
        False,
        world.uppsala,
        None,
        world.org,
    )
    assert event.title == f"Group session: {cohort.name}"
    assert invited(everyone) == {"Amal", "Maria"}  # the waiting list is not invited
    mentees = sessions.create_session(actor=world.admin, cohort=cohort, data=data(invite="mentees"))
    mentors = sessions.create_session(actor=world.admin, cohort=cohort, data=data(invite="mentors"))
    nobody = sessions.create_session(actor=world.admin, cohort=cohort, data=data(invite="nobody"))
    assert (invited(mentees), invited(mentors), invited(nobody)) == ({"Amal"}, {"Maria"}, set())
    logged = AuditEvent.objects.filter(action="programme.session_created").order_by("id").first()
    assert logged is not None and logged.data == {
        "cohort": str(cohort.uid),
        "session": str(everyone.uid),
        "event": str(event.uid),
        "kind": "group_session",
        "group": "all",
        "invited": 2,
    }
    # people enrolled later are invited afterwards; those invited already are skipped
    late = enrol(world, cohort, "Late")
    assert sessions.invite(actor=world.admin, session=everyone, enrolments=[mentee, mentor, late]) == 1
    assert invited(everyone) == {"Amal", "Maria", "Late"}


def test_a_session_in_the_past_or_outside_the_cohort_is_refused_and_nothing_written(world, cohort):
    enrol(world, cohort, "Amal")
    for bad, code in (
        (data(days=-1), "past"),
        (data(days=90), "outside_cohort"),
        (data(place="", online=False), "no_place"),
        (data(invite="friends"), "bad_group"),
    ):
        with pytest.raises(SessionRefused) as refused:
            sessions.create_session(actor=world.admin, cohort=cohort, data=bad)
        assert refused.value.code == code
    assert not Event.objects.exists() and not CohortSession.objects.exists()
    assert not EventRegistration.objects.exists()


def test_the_form_names_the_field_and_writes_nothing(client, world, cohort):
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:session_new", args=[cohort.uid])
    past = timezone.localtime() - timedelta(days=1)
    response = client.post(
        url,
        {
            "kind": "group_session",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (past + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "",
            "invite": "all",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Starts: A session cannot start in the past." in page
    assert "Place: Give a place, or tick “online”." in page
    assert not Event.objects.exists()
    later = timezone.localtime() + timedelta(days=2)
    response = client.post(
        url,
        {
            "kind": "network_meeting",
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "online": "on",
            "video_link": "https://meet.example.org/abc",
            "counts_for_completion": "on",
            "invite": "nobody",
        },
    )
    assert response.status_code == 302
    session = CohortSession.objects.get()
    assert session.kind == "network_meeting" and session.event.online and not session.event.place
    cohort_page = client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    assert "Network meeting" in cohort_page
    assert reverse("event_attendance:register", args=[session.event.uid]) in cohort_page


def test_attendance_for_someone_not_invited_is_refused_and_double_ticks_never_double(world, cohort):
    amal, maria = enrol(world, cohort, "Amal"), enrol(world, cohort, "Maria", "mentor")
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data(invite="mentees"))
    held(session, 1)
    with pytest.raises(AttendanceRefused) as refused:
        tick(world, session, maria)
    assert refused.value.code == "not_registered"
    assert not Attendance.objects.exists()
    assert tick(world, session, amal, key="k1").changed
    assert not tick(world, session, amal, key="k1").changed
    assert not tick(world, session, amal, key="k2").changed  # already present
    assert Attendance.objects.filter(event=session.event).count() == 1
    assert AuditEvent.objects.filter(action="event.attendance_marked").count() == 1
    assert sessions.attended_counts(cohort) == {amal.participant_id: 1}


def test_the_completion_rule_hand_counted_4_of_6(client, world, cohort):
    amal = enrol(world, cohort, "Amal")  # present at 4 of the 6: completed
    bashir = enrol(world, cohort, "Bashir")  # 3 that count + one that does not + a cancelled one: not
    maria = enrol(world, cohort, "Maria", "mentor")  # all 6: completed
    dana = enrol(world, cohort, "Dana")  # 5, but dropped out: stays dropped out
    erik = enrol(world, cohort, "Erik")  # 4 ticks, one of them changed to absent: 3, not
    counting = [sessions.create_session(actor=world.admin, cohort=cohort, data=data()) for _ in range(6)]
    extra = sessions.create_session(
        actor=world.admin, cohort=cohort, data=data(kind="network_meeting", counts_for_completion=False)
    )
    cancelled = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    upcoming = sessions.create_session(actor=world.admin, cohort=cohort, data=data(days=3))
    for days_ago, session in enumerate([*counting, extra, cancelled], start=1):
        held(session, days_ago)
    for i in range(4):
        tick(world, counting[i], amal)
    for i in range(3):
        tick(world, counting[i], bashir)
    tick(world, extra, bashir)
    tick(world, cancelled, bashir)
    for session in counting:
        tick(world, session, maria)
    for i in range(5):
        tick(world, counting[i], dana)
    for i in range(4):
        tick(world, counting[i], erik)
    tick(world, counting[3], erik, state="absent")
    event_services.cancel_event(actor=world.admin, event=cancelled.event)
    services.drop_out(actor=world.admin, enrolment=dana, reason="moved")
    assert upcoming.event.ends_at > timezone.now()

    assert sessions.attended_counts(cohort) == {
        amal.participant_id: 4,
        bashir.participant_id: 3,
        maria.participant_id: 6,
        dana.participant_id: 5,
        erik.participant_id: 3,
    }
    client.force_login(world.uppsala_coordinator)
    page = client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    assert "4/6" in page and "3/6" in page and "6/6" in page

    ended(cohort)
    response = client.post(reverse("programmes:completion_rule", args=[cohort.uid]), follow=True)
    assert "2 enrolments are marked completed." in response.content.decode()
    status = {e.participant.first_name: e.status for e in cohort.enrolments.select_related("participant")}
    assert status == {
        "Amal": "completed",
        "Bashir": "active",
        "Maria": "completed",
        "Dana": "dropped_out",
        "Erik": "active",
    }
    logged = AuditEvent.objects.get(action="programme.completion_rule_applied")
    assert logged.data == {"cohort": str(cohort.uid), "required": 4, "held": 6, "completed": 2}
    # again: nobody more (the completed are no longer active)
    assert sessions.apply_completion_rule(actor=world.admin, cohort=cohort) == 0


def ended(cohort: Cohort) -> None:
    """Move the cohort's last day to yesterday (Stockholm date)."""
    cohort.ends_on = timezone.localdate() - timedelta(days=1)
    Cohort.objects.filter(pk=cohort.pk).update(ends_on=cohort.ends_on)


def test_the_completion_rule_waits_until_the_cohort_has_ended(client, world, cohort):
    amal = enrol(world, cohort, "Amal")
    Programme.objects.filter(pk=cohort.programme_id).update(min_sessions_attended=1)
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    held(session, 2)
    tick(world, session, amal)
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:completion_rule", args=[cohort.uid])
    page = client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    assert url not in page and "completion rule can be applied after that day" in page
    # the last day itself (Stockholm date) is still running
    Cohort.objects.filter(pk=cohort.pk).update(ends_on=timezone.localdate())
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert "The cohort runs until" in body and "completion rule can be applied after that day" in body
    assert not AuditEvent.objects.filter(action="programme.completion_rule_applied").exists()
    amal.refresh_from_db()
    assert amal.status == "active"
    with pytest.raises(SessionRefused) as refused:
        sessions.apply_completion_rule(actor=world.admin, cohort=Cohort.objects.get(pk=cohort.pk))
    assert refused.value.code == "running"

    ended(cohort)
    assert url in client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    response = client.post(url, follow=True)
    assert "1 enrolment is marked completed." in response.content.decode()
    amal.refresh_from_db()
    assert amal.status == "completed"


def test_without_a_completion_rule_the_button_says_so(client, world, cohort):
    Programme.objects.filter(pk=cohort.programme_id).update(min_sessions_attended=None)
    enrol(world, cohort, "Amal")
    client.force_login(world.admin)
    response = client.post(reverse("programmes:completion_rule", args=[cohort.uid]), follow=True)
    assert "The programme has no completion rule" in response.content.decode()
    assert not AuditEvent.objects.filter(action="programme.completion_rule_applied").exists()
    assert cohort.enrolments.get().status == "active"


def test_sessions_in_scope_only(client, world, cohort):
    enrol(world, cohort, "Amal")
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    later = timezone.localtime() + timedelta(days=2)
    post = {
        "kind": "group_session",
        "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Library",
        "invite": "all",
    }
    client.force_login(world.danderyd_coordinator)
    assert client.post(reverse("programmes:session_new", args=[cohort.uid]), post).status_code == 404
    assert (
        client.post(reverse("programmes:session_invite", args=[session.uid]), {"invite": "all"}).status_code
        == 404
    )
    assert client.post(reverse("programmes:completion_rule", args=[cohort.uid])).status_code == 404
    assert client.get(reverse("event_attendance:register", args=[session.event.uid])).status_code == 404
    assert CohortSession.objects.count() == 1
    client.force_login(world.uppsala_coordinator)
    assert client.get(reverse("event_attendance:register", args=[session.event.uid])).status_code == 200
    assert client.post(reverse("programmes:session_new", args=[cohort.uid]), post).status_code == 302
    assert CohortSession.objects.count() == 2


def test_a_session_is_not_on_the_public_events_pages(client, world, cohort):
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    public = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Open language café",
        starts_at=session.event.starts_at,
        ends_at=session.event.ends_at,
        place="Library",
    )
    listing = client.get(reverse("public_events:list", args=[world.org.slug])).content.decode()
    assert public.title in listing and session.event.title not in listing
    form = reverse("public_events:register", args=[world.org.slug, session.event.uid])
    assert client.get(form).status_code == 404
    assert client.post(form, {"name": "Eve", "email": "eve@example.org"}).status_code == 404
    assert not EventRegistration.objects.exists()


def test_the_invite_button_invites_people_enrolled_later_once(client, world, cohort):
    enrol(world, cohort, "Amal")
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    enrol(world, cohort, "Late")
    enrol(world, cohort, "Mentor", "mentor")
    client.force_login(world.uppsala_coordinator)
    url = reverse("programmes:session_invite", args=[session.uid])
    response = client.post(url, {"invite": "mentees"}, follow=True)
    assert "1 more person is invited." in response.content.decode()
    assert invited(session) == {"Amal", "Late"}
    assert client.post(url, {"invite": "mentees"}, follow=True).status_code == 200
    assert EventRegistration.objects.filter(event=session.event).count() == 2
    assert AuditEvent.objects.filter(action="programme.session_invited").count() == 1
    # an enrolment of another cohort is refused, nothing written
    other = Cohort.objects.create(
        programme=cohort.programme, name="Other", starts_on=cohort.starts_on, ends_on=cohort.ends_on
    )
    stranger = enrol(world, other, "Stranger")
    with pytest.raises(SessionRefused) as refused:
        sessions.invite(actor=world.admin, session=session, enrolments=[stranger])
    assert refused.value.code == "other_cohort"
    assert invited(session) == {"Amal", "Late"}


def test_the_sweep_completes_a_cohort_after_its_end_once(world, cohort):
    from kompis.programmes.session_sweeps import complete_ended_cohorts

    Programme.objects.filter(pk=cohort.programme_id).update(min_sessions_attended=1)
    amal, bashir = enrol(world, cohort, "Amal"), enrol(world, cohort, "Bashir")
    session = sessions.create_session(actor=world.admin, cohort=cohort, data=data())
    held(session, 2)
    tick(world, session, amal)
    now = timezone.now()
    assert complete_ended_cohorts(now) == 0  # the cohort has not ended yet
    after_end = now + timedelta(days=61)
    assert complete_ended_cohorts(after_end) == 1
    assert complete_ended_cohorts(after_end) == 0
    amal.refresh_from_db()
    bashir.refresh_from_db()
    assert (amal.status, bashir.status) == ("completed", "active")
    logged = AuditEvent.objects.get(action="programme.completion_rule_applied")
    assert logged.actor is None and logged.actor_label == "system:programmes.completion_rule"

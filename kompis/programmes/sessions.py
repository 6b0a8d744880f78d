"""A cohort's sessions (group, expert-group, network and closing sessions) and the completion rule (issue #13).

A session is a non-public event (`events.Event`, `public=False`) plus a `CohortSession`: the event's services
create, cancel and move it, its registrations are the invitations, its `Attendance` the register (the phone's
tick-list of the events app, which refuses anyone not invited). Choices made here:

- who is invited when a session is created: a group of the cohort's *active* enrolments (`InviteGroup`: everyone,
  only the mentees, only the mentors, or nobody yet); people enrolled later are invited with `invite`;
- a session may not start in the past, nor on a (local, Europe/Stockholm) date outside the cohort's period
  (`starts_on`–`ends_on`, both included); it has no limit on places;
- the completion rule (`apply_completion_rule`) is run by staff from the cohort page at any time, and by a
  sweep after the cohort's last day (`session_sweeps`): it counts, per active enrolment, the sessions that
  count towards completion, have been held (ended, not cancelled) and where the person was ticked present.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from kompis.accounts.models import User
from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.events import services as event_services
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import Attendance, Event, EventRegistration, RegistrationStatus
from kompis.programmes.models import Cohort, CohortSession, Enrolment, EnrolmentStatus, Role, SessionKind
from kompis.programmes.services import complete


class InviteGroup:
    """Whom a new session invites among the cohort's active enrolments (a code on the form and in the log)."""

    ALL = "all"
    MENTEES = "mentees"
    MENTORS = "mentors"
    NOBODY = "nobody"
    CODES = (ALL, MENTEES, MENTORS, NOBODY)


class SessionRefused(ValueError):
    """The session change cannot be made; `code` says why ("past", "outside_cohort", "ends_before_start",
    "no_place", "bad_group", "other_cohort", "not_active", "cancelled", "no_rule", "running")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SessionData:
    kind: str
    starts_at: datetime
    ends_at: datetime
    title: str = ""  # empty: the kind and the cohort's name
    place: str = ""
    online: bool = False
    video_link: str = ""
    counts_for_completion: bool = True
    invite: str = InviteGroup.ALL


def check_times(*, cohort: Cohort, starts_at: datetime, ends_at: datetime) -> str | None:
    """The refusal code for a session's times, or None when they are fine (also used by the form)."""
    if starts_at < timezone.now():
        return "past"
    if ends_at < starts_at:
        return "ends_before_start"
    for moment in (starts_at, ends_at):
        if not cohort.starts_on <= timezone.localdate(moment) <= cohort.ends_on:
            return "outside_cohort"
    return None


def group_of(cohort: Cohort, group: str) -> list[Enrolment]:
    """The cohort's active enrolments of an invite group."""
    if group not in InviteGroup.CODES:
        raise SessionRefused("bad_group")
    if group == InviteGroup.NOBODY:
        return []
    qs = cohort.enrolments.filter(status=EnrolmentStatus.ACTIVE).select_related("participant")
    if group == InviteGroup.MENTEES:
        qs = qs.filter(role=Role.MENTEE)
    elif group == InviteGroup.MENTORS:
        qs = qs.filter(role=Role.MENTOR)
    return list(qs.order_by("enrolled_at", "id"))


@transaction.atomic
def create_session(*, actor: User, cohort: Cohort, data: SessionData) -> CohortSession:
    """Create the session's (non-public) event in the cohort's region and project, and invite the chosen
    group. Refused (nothing written) for a start in the past, a date outside the cohort, no place nor
    online, or an unknown group."""
    kind = SessionKind(data.kind)
    refused = check_times(cohort=cohort, starts_at=data.starts_at, ends_at=data.ends_at)
    if refused:
        raise SessionRefused(refused)
    if not data.place.strip() and not data.online:
        raise SessionRefused("no_place")
    enrolments = group_of(cohort, data.invite)
    programme = cohort.programme
    event = event_services.create_event(
        actor=actor,
        organisation=programme.organisation,
        data=event_services.EventData(
            title=data.title.strip() or f"{kind.label}: {cohort.name}"[:200],
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            region=cohort.region or programme.region,
            project=cohort.project or programme.project,
            place=data.place.strip(),
            online=data.online,
            video_link=data.video_link if data.online else "",
            capacity=None,
            public=False,
        ),
    )
    session = CohortSession.objects.create(
        cohort=cohort, event=event, kind=kind, counts_for_completion=data.counts_for_completion
    )
    invited = _register(actor=actor, session=session, enrolments=enrolments)
    record(
        actor=actor,
        action=EventType.PROGRAMME_SESSION_CREATED,
        obj=programme,
        data={
            "cohort": str(cohort.uid),
            "session": str(session.uid),
            "event": str(event.uid),
            "kind": kind.value,
            "group": data.invite,
            "invited": invited,
        },
    )
    return session


def _register(*, actor: Actor, session: CohortSession, enrolments: Iterable[Enrolment]) -> int:
    event = session.event
    already = set(
        EventRegistration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).values_list(
            "participant_id", flat=True
        )
    )
    invited = 0
    for enrolment in enrolments:
        if enrolment.participant_id in already:
            continue
        event_services.register_person(actor=actor, event=event, participant=enrolment.participant)
        already.add(enrolment.participant_id)
        invited += 1
    return invited


@transaction.atomic
def invite(*, actor: User, session: CohortSession, enrolments: Iterable[Enrolment]) -> int:
    """Invite more of the cohort's active enrolments (people enrolled after the session was made); those
    invited already are skipped. Returns how many were invited. Refused (nothing written) for a cancelled
    or past session, or an enrolment of another cohort or not active."""
    rows = list(enrolments)
    event = Event.objects.select_for_update().get(pk=session.event_id)
    if event.cancelled_at is not None:
        raise SessionRefused("cancelled")
    if event.ends_at < timezone.now():
        raise SessionRefused("past")
    for enrolment in rows:
        if enrolment.cohort_id != session.cohort_id:
            raise SessionRefused("other_cohort")
        if enrolment.status != EnrolmentStatus.ACTIVE:
            raise SessionRefused("not_active")
    session.event = event
    invited = _register(actor=actor, session=session, enrolments=rows)
    if invited:
        record(
            actor=actor,
            action=EventType.PROGRAMME_SESSION_INVITED,
            obj=session.cohort.programme,
            data={"cohort": str(session.cohort.uid), "session": str(session.uid), "invited": invited},
        )
    return invited


def held_sessions(cohort: Cohort) -> list[CohortSession]:
    """The cohort's sessions that count towards completion and have been held (ended, not cancelled)."""
    return list(
        CohortSession.objects.filter(
            cohort=cohort,
            counts_for_completion=True,
            event__cancelled_at__isnull=True,
            event__ends_at__lt=timezone.now(),
        ).select_related("event")
    )


def attended_counts(cohort: Cohort, held: list[CohortSession] | None = None) -> dict[int, int]:
    """{participant id: how many held sessions that count the person was ticked present at}."""
    sessions = held_sessions(cohort) if held is None else held
    rows = (
        Attendance.objects.filter(event_id__in=[s.event_id for s in sessions], state=AttendanceState.PRESENT)
        .values("participant_id")
        .annotate(n=Count("id"))
    )
    return {row["participant_id"]: row["n"] for row in rows}


@transaction.atomic
def apply_completion_rule(*, actor: Actor, cohort: Cohort, today: date | None = None) -> int:
    """Mark completed every active enrolment that attended at least `programme.min_sessions_attended` of the
    cohort's held sessions that count. Returns how many were completed. Refused when the programme has no
    completion rule ("no_rule") or before the cohort's last day has passed ("running"; `today` is the
    Stockholm date, today's by default): while the cohort runs, "of those held" would complete people early."""
    required = cohort.programme.min_sessions_attended
    if required is None:
        raise SessionRefused("no_rule")
    if cohort.ends_on >= (today or timezone.localdate()):
        raise SessionRefused("running")
    held = held_sessions(cohort)
    attended = attended_counts(cohort, held)
    done = 0
    for enrolment in cohort.enrolments.filter(status=EnrolmentStatus.ACTIVE).order_by("id"):
        if attended.get(enrolment.participant_id, 0) >= required:
            complete(actor=actor, enrolment=enrolment)
            done += 1
    record(
        actor=actor,
        action=EventType.PROGRAMME_COMPLETION_RULE_APPLIED,
        obj=cohort.programme,
        data={"cohort": str(cohort.uid), "required": required, "held": len(held), "completed": done},
    )
    return done


def refusal_message(code: str, *, cohort: Cohort | None = None) -> str:
    """A sentence for staff about a refusal (the form names the field; this is for the rest); "running"
    names the cohort's last day when the cohort is given."""
    if code == "running" and cohort is not None:
        return running_message(cohort)
    messages = {
        "past": gettext("A session cannot start in the past."),
        "ends_before_start": gettext("The session must end after it starts."),
        "outside_cohort": gettext("The session must be within the cohort's dates."),
        "no_place": gettext("Give a place, or tick “online”."),
        "bad_group": gettext("Choose whom to invite."),
        "other_cohort": gettext("This person is not enrolled in the session's cohort."),
        "not_active": gettext("Only active enrolments can be invited."),
        "cancelled": gettext("The session is cancelled."),
        "no_rule": gettext("The programme has no completion rule: set the sessions to attend first."),
        "running": gettext("The cohort is still running: apply the completion rule after its last day."),
    }
    return messages[code]


def running_message(cohort: Cohort) -> str:
    """Why the completion rule cannot be applied yet, naming the cohort's last day."""
    return gettext(
        "The cohort runs until %(date)s: the completion rule can be applied after that day, "
        "when every session has been held."
    ) % {"date": date_format(cohort.ends_on, "DATE_FORMAT")}

"""The cohort page's panel for the cohort's sessions (group, expert-group, network and closing sessions) and the completion rule: what the template `programmes/_cohort_sessions.html` shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from kompis.accounts.models import User
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import Attendance, EventRegistration, RegistrationStatus
from kompis.programmes.models import Cohort, CohortSession
from kompis.programmes.session_forms import InviteForm, SessionForm
from kompis.programmes.sessions import attended_counts, held_sessions, running_message


@dataclass(frozen=True)
class SessionRow:
    session: CohortSession
    starts: datetime  # local time
    invited: int
    present: int
    absent: int
    no_shows: int  # after the session: invited, neither ticked present nor absent
    held: bool
    cancelled: bool


def session_rows(cohort: Cohort) -> list[SessionRow]:
    """The cohort's sessions by start, each with its invited people and attendance counts."""
    sessions = list(
        CohortSession.objects.filter(cohort=cohort)
        .select_related("event")
        .annotate(
            invited=Count(
                "event__registrations",
                filter=Q(event__registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            )
        )
        .order_by("event__starts_at", "id")
    )
    event_ids = [s.event_id for s in sessions]
    invited_pairs = set(
        EventRegistration.objects.filter(
            event_id__in=event_ids, status=RegistrationStatus.REGISTERED
        ).values_list("event_id", "participant_id")
    )
    marks: Counter[tuple[int, str]] = Counter(
        (event_id, state)
        for event_id, participant_id, state in Attendance.objects.filter(event_id__in=event_ids).values_list(
            "event_id", "participant_id", "state"
        )
        if (event_id, participant_id) in invited_pairs
    )
    now = timezone.now()
    rows = []
    for s in sessions:
        invited: int = s.invited
        present = marks.get((s.event_id, AttendanceState.PRESENT), 0)
        absent = marks.get((s.event_id, AttendanceState.ABSENT), 0)
        held = s.event.ends_at < now
        rows.append(
            SessionRow(
                session=s,
                starts=timezone.localtime(s.event.starts_at),
                invited=invited,
                present=present,
                absent=absent,
                no_shows=max(invited - present - absent, 0) if held else 0,
                held=held,
                cancelled=s.event.cancelled_at is not None,
            )
        )
    return rows


def attended_of_enrolments(cohort: Cohort) -> dict[int, str]:
    """{enrolment id: "attended of held"} over the sessions that count and have been held."""
    held = held_sessions(cohort)
    attended = attended_counts(cohort, held)
    return {
        pk: f"{attended.get(participant_id, 0)}/{len(held)}"
        for pk, participant_id in cohort.enrolments.values_list("pk", "participant_id")
    }


def cohort_panel(*, user: User, cohort: Cohort) -> dict[str, Any]:
    rows = session_rows(cohort)
    return {
        "cohort": cohort,
        "rows": rows,
        "form": SessionForm(cohort=cohort, auto_id="session_%s"),
        "invite_choices": InviteForm.base_fields["invite"].choices,  # type: ignore[attr-defined]
        "required": cohort.programme.min_sessions_attended,
        # the completion rule only once the cohort's last day has passed (Stockholm date)
        "ended": cohort.ends_on < timezone.localdate(),
        "running_message": running_message(cohort),
        "held": sum(1 for r in rows if r.held and not r.cancelled and r.session.counts_for_completion),
        "attended": attended_of_enrolments(cohort),
    }

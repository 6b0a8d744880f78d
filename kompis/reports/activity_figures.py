"""Programme and event figures: registered once (dashboard, report, theory-of-change indicators, targets)
and the report's "Programmes" and "Events" sections. The definitions are in `activity_selectors`.

The registered programme figures count mentees (the people a programme is for: "150 started, 118
completed"); the report's tables show mentees, mentors and both. Sessions and events held are counts of
occasions, not of people: they are never hidden as small numbers.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kompis.core.figures import register
from kompis.programmes.models import DropoutReason
from kompis.reports import activity_selectors as a
from kompis.reports.figures import FigureFunc
from kompis.reports.periods import Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import DAYS, RATE, TARGET, Cell, Column, Row, Table

#: a count of occasions (sessions, events), not of people: shown as it is (like a target, never suppressed)
OCCASIONS = TARGET
PROGRAMME_SOURCE = gettext_lazy("Kompis: programmes")
EVENT_SOURCE = gettext_lazy("Kompis: events")
PEOPLE_MEASURES = ("enrolled", "started", "completed", "dropped_out")


def _people_labels() -> dict[str, str]:
    return {
        "enrolled": _("Enrolled"),
        "started": _("Started"),
        "completed": pgettext("programme enrolments", "Completed"),
        "dropped_out": _("Dropped out"),
    }


def attendance_rate(counts: dict[str, int]) -> Cell:
    n = counts["invited"]
    return Cell(counts["present"] / n if n else None, RATE, base=n)


def median_meetings(counts: dict[str, float | int | None]) -> Cell:
    value = counts["median_meetings"]
    return Cell(round(float(value), 1) if value is not None else None, DAYS, base=int(counts["pairs"] or 0))


def register_activity_figures() -> None:
    def people(measure: str) -> FigureFunc:
        return lambda scope, period: Cell(a.enrolment_counts(scope, period)[measure].get("mentee", 0))

    def dropped(reason: str) -> FigureFunc:
        return lambda scope, period: Cell(
            a.dropouts_by_reason(scope, period).get(reason, {}).get("mentee", 0)
        )

    labels = {
        "enrolled": gettext_lazy("Programme: mentees enrolled"),
        "started": gettext_lazy("Programme: mentees started"),
        "completed": gettext_lazy("Programme: mentees completed"),
        "dropped_out": gettext_lazy("Programme: mentees dropped out"),
    }
    for measure in PEOPLE_MEASURES:
        key = f"programme_{measure}"
        register(
            key,
            labels[measure],
            people(measure),
            PROGRAMME_SOURCE,
            ref=f"{key}:mentee",
            target=measure != "dropped_out",
        )
    for code, reason in DropoutReason.choices:
        register(
            f"programme_dropped_out_{code}",
            format_lazy(gettext_lazy("Programme: mentees dropped out ({reason})"), reason=reason),
            dropped(code),
            PROGRAMME_SOURCE,
            ref=f"programme_dropout:{code}:mentee",
        )

    def sessions(scope: ReportScope, period: Period) -> Cell:
        return Cell(a.session_counts(scope, period)["held"], OCCASIONS)

    def pairs(scope: ReportScope, period: Period) -> Cell:
        return Cell(a.pair_counts(scope, period)["pairs"])

    register("programme_sessions_held", gettext_lazy("Programme: sessions held"), sessions, PROGRAMME_SOURCE)
    register(
        "programme_attendance_rate",
        gettext_lazy("Programme: session attendance rate"),
        lambda scope, period: attendance_rate(a.session_counts(scope, period)),
        PROGRAMME_SOURCE,
    )
    register(
        "programme_pairs_active",
        gettext_lazy("Programme: mentor pairs active"),
        pairs,
        PROGRAMME_SOURCE,
        ref="programme_activity:pairs_active",
        target=True,
    )
    register(
        "programme_median_meetings",
        gettext_lazy("Programme: median meetings per pair"),
        lambda scope, period: median_meetings(a.pair_counts(scope, period)),
        PROGRAMME_SOURCE,
    )

    #: event figures a project may set a target for
    EVENT_TARGETS = {"event_unique_attendees", "event_newcomers", "event_established"}

    def event(measure: str, kind: str = "count") -> FigureFunc:
        return lambda scope, period: Cell(a.event_counts(scope, period)[measure], kind)

    for key, label, measure in (
        ("event_registrations", gettext_lazy("Events: registrations"), "registrations"),
        ("event_attendance", gettext_lazy("Events: attendance"), "attendance"),
        ("event_unique_attendees", gettext_lazy("Events: unique attendees"), "unique"),
        ("event_newcomers", gettext_lazy("Events: newcomers among the attendees"), "newcomer"),
        ("event_established", gettext_lazy("Events: established among the attendees"), "established"),
        ("event_no_shows", gettext_lazy("Events: no-shows"), "no_shows"),
    ):
        register(key, label, event(measure), EVENT_SOURCE, ref=f"events:{key}", target=key in EVENT_TARGETS)
    register("events_held", gettext_lazy("Events held"), event("held", OCCASIONS), EVENT_SOURCE, target=True)


# --- the report's sections ----------------------------------------------------------------------------


def _mentor_row(key: str, label: str, by_role: dict[str, int], ref: str, is_total: bool = False) -> Row:
    cells = {r: Cell(by_role.get(r, 0), ref=f"{ref}:{r}") for r in a.ENROLMENT_ROLES}
    cells["all"] = Cell(sum(by_role.get(r, 0) for r in a.ENROLMENT_ROLES), ref=f"{ref}:all")
    return Row(key, label, cells, is_total=is_total)


def _role_columns() -> list[Column]:
    return [
        Column("mentee", _("Mentees")),
        Column("mentor", _("Mentors")),
        Column("all", _("Total"), is_total=True),
    ]


def programme_tables(scope: ReportScope, period: Period) -> list[Table]:
    """The "Programmes" section: people, activity and dropouts by reason (none without a cohort in scope)."""
    if not a.has_programmes(scope):
        return []
    counts = a.enrolment_counts(scope, period)
    labels = _people_labels()
    people = Table(
        "programmes",
        _("Programmes: people"),
        _("Measure"),
        _role_columns(),
        [_mentor_row(m, labels[m], counts[m], ref=f"programme_{m}") for m in PEOPLE_MEASURES],
        note=_(
            "An enrolment starts on the later of the day it was made and its cohort's start; a person still on "
            "the waiting list has not started."
        ),
    )
    sessions = a.session_counts(scope, period)
    pair = a.pair_counts(scope, period)
    activity = Table(
        "programme_activity",
        _("Programmes: sessions and pairs"),
        _("Measure"),
        [Column("n", _("Value"))],
        [
            Row("sessions_held", _("Sessions held"), {"n": Cell(sessions["held"], OCCASIONS)}),
            Row("attendance_rate", _("Session attendance rate"), {"n": attendance_rate(sessions)}),
            Row(
                "pairs_active",
                _("Mentor pairs active"),
                {"n": Cell(pair["pairs"], ref="programme_activity:pairs_active")},
            ),
            Row("median_meetings", _("Median meetings per pair"), {"n": median_meetings(pair)}),
        ],
        note=_(
            "Attendance rate: of the people invited to the sessions held, the share marked present. Median "
            "meetings: over the pairs active in the period, the meetings each logged in it."
        ),
    )
    reasons = a.dropouts_by_reason(scope, period)
    choices = [(str(c), str(lbl)) for c, lbl in DropoutReason.choices] + [(a.NOT_STATED, _("Not stated"))]
    rows = [
        _mentor_row(code, label, reasons[code], ref=f"programme_dropout:{code}")
        for code, label in choices
        if code in reasons
    ]
    totals = {r: sum(int(row.cells[r].value or 0) for row in rows) for r in a.ENROLMENT_ROLES}
    rows.append(_mentor_row("total", _("Total"), totals, ref="programme_dropped_out", is_total=True))
    dropouts = Table(
        "programme_dropouts",
        _("Programmes: dropped out by reason"),
        _("Reason"),
        _role_columns(),
        rows,
        additive=True,
    )
    return [people, activity, dropouts]


def event_tables(scope: ReportScope, period: Period) -> list[Table]:
    """The "Events" section (none without an event in scope)."""
    if not a.has_events(scope):
        return []
    c = a.event_counts(scope, period)
    rows = [Row("events_held", _("Events held"), {"n": Cell(c["held"], OCCASIONS)})]
    for key, label, measure in (
        ("event_registrations", _("Registrations"), "registrations"),
        ("event_attendance", _("Attendance"), "attendance"),
        ("event_unique_attendees", _("Unique attendees"), "unique"),
        ("event_newcomers", _("Newcomers among them"), "newcomer"),
        ("event_established", _("Established among them"), "established"),
        ("event_not_stated", _("Not in friend matching (role not stated)"), a.NOT_STATED),
        ("event_no_shows", _("No-shows"), "no_shows"),
    ):
        rows.append(Row(key, label, {"n": Cell(c[measure], ref=f"events:{key}")}))
    return [
        Table(
            "events",
            _("Events"),
            _("Measure"),
            [Column("n", _("Value"))],
            rows,
            note=_(
                "Events that are not a programme's session, held in the period (not cancelled and over). "
                "Attendance counts each person once per event; a no-show is a registered person not marked "
                "present."
            ),
            extra={
                "sums": [
                    (
                        "n",
                        "event_unique_attendees",
                        ["event_newcomers", "event_established", "event_not_stated"],
                    ),
                ]
            },
        )
    ]


def activity_notes(programmes: bool, events: bool) -> list[str]:
    """The method notes of the "Programmes" and "Events" sections (when the report has them)."""
    notes = []
    if programmes:
        notes.append(
            _(
                "Programmes: a cohort, its enrolments, pairs and sessions belong to the cohort's region and project "
                "(else the programme's); a municipality filter counts the people living there. Enrolled = "
                "enrolments made in the period, waiting list included. Started = enrolments that became active in "
                "the period: on the later of the day of enrolment and the cohort's start, unless still on the "
                "waiting list or dropped out before that day. Completed and dropped out: on the day they were "
                "recorded. Sessions held: not cancelled, in the period and over. Attendance rate = people marked "
                "present ÷ people invited to the sessions held. Pairs active: active at any time in the period; "
                "median meetings per pair: the meetings each of them logged in the period (none counts as 0). "
                "The figures chosen as indicators or targets count mentees."
            )
        )
    if events:
        notes.append(
            _(
                "Events: events that are not a programme's session (public or not), in the event's region and "
                "project, held in the period (not cancelled and over). Registrations = people registered (not "
                "cancelled, not waiting); attendance = people marked present, once per event; unique attendees = "
                "different people present, by their role in friend matching (not stated for people outside it); "
                "no-shows = registered people not marked present. With a municipality filter: the events someone "
                "living there was registered for, and those people only. Events and sessions held are counts of "
                "occasions, not of people, and are never hidden."
            )
        )
    return notes

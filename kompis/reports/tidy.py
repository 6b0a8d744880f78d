"""Where each cell of a report sits in long (tidy) form: shared by the CSV and XLSX exports and the tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.reports.activity_figures import activity_notes
from kompis.reports.suppression import COUNT, DAYS, PERCENT, RATE, Cell, Column, Row, Table, suppression_note

if TYPE_CHECKING:
    from kompis.reports.report import Report

ROLE_KEYS = ("newcomer", "established", "total")
HEADER = ["section", "dimension", "category", "label", "role", "measure", "value", "suppressed"]


def machine_value(c: Cell) -> float | int | None:
    """The value exports write: None when suppressed or empty; rates as fractions, counts as integers."""
    if c.suppressed or c.value is None:
        return None
    if c.kind == COUNT:
        return int(c.value)
    if c.kind == RATE:
        return round(float(c.value), 4)
    if c.kind in (DAYS, PERCENT):
        return round(float(c.value), 1)
    v = float(c.value)
    return int(v) if v.is_integer() else v


@dataclass
class Fact:
    section: str
    dimension: str
    category: str
    label: str
    role: str
    measure: str
    cell: Cell

    @property
    def value(self) -> float | int | None:
        return machine_value(self.cell)

    def as_row(self) -> list[object]:
        value = self.value
        return [
            self.section,
            self.dimension,
            self.category,
            self.label,
            self.role,
            self.measure,
            "" if value is None else value,
            self.cell.reason if self.cell.suppressed else "",  # "small" or "secondary"; empty when shown
        ]


def coordinates(table: Table, row: Row, col: Column) -> tuple[str, str, str, str]:
    """(dimension, category, role, measure) of one cell."""
    section = table.key.split(":")[0]
    if col.key in ROLE_KEYS:
        if section == "summary":
            return "", "", col.key, row.key
        return section, row.key, col.key, "signups"
    if col.key == "n":
        if section == "matches":
            return "", "", "", row.key
        return section, row.key, "", "ended_matches" if section == "ended_by_reason" else col.key
    if section == "trend":
        return "month", row.key, "", col.key
    if section == "targets":
        return "project_target", row.key, "", col.key
    if section == "theory":
        return "indicator", row.key, "", col.key
    return section, row.key, "", col.key


def facts(tables: list[Table]) -> Iterator[Fact]:
    for table in tables:
        for row in table.rows:
            for col in table.columns:
                cell = row.cells.get(col.key)
                if cell is None:
                    continue
                dimension, category, role, measure = coordinates(table, row, col)
                yield Fact(table.key, dimension, category, row.label if category else "", role, measure, cell)


def method_notes(report: Report) -> list[str]:
    """The method notes printed at the end of every report (and in the page and the workbook)."""
    counts = report.facts["counts"]
    k = report.k
    # the counts as the tables show them (suppressed alike)
    asked = report.summary.cell("followup_asked", "total")
    answered = report.summary.cell("followup_answered", "total")
    followed = report.matches.cell("matches_followed_up", "n")
    notes = [
        _(
            "Period: %(start)s to %(end)s inclusive, in Swedish time (Europe/Stockholm). An event belongs to the "
            "day it happened on in Sweden."
        )
        % {"start": report.period.start, "end": report.period.end},
        _(
            "Scope: %(scope)s. A match is counted when its newcomer or its established participant is in the scope; "
            "each match is counted once. Filters on the kind or mode of match apply to the match figures only."
        )
        % {"scope": report.subtitle},
        _(
            "Sign-ups are participants who signed up in the period; confirmed sign-ups are those of them who "
            "confirmed their e-mail address. Waiting now is the number waiting for a match when the report was made "
            "(%(at)s), whatever the period."
        )
        % {"at": report.generated_at.strftime("%Y-%m-%d %H:%M")},
        _(
            "Matches made are matches approved in the period; introductions are matches introduced in the period. "
            "A confirmed meeting is a match where the follow-up says the two met (counted on the day it was "
            "confirmed)."
        ),
        _(
            "Met rate = matches followed up in the period that have a confirmed meeting ÷ matches followed up in "
            "the period (%(met)s of %(n)s)."
        )
        % {
            "met": counts["followed_up_met"] if not followed.suppressed else followed.mark(k),
            "n": followed.display(k),
        },
        _(
            "Response rate of the follow-up (questions asked in the period that were answered): %(answered)s of "
            "%(asked)s (%(rate)s). Participants who do not answer are neither counted as met nor as not met."
        )
        % {
            "answered": answered.display(k),
            "asked": asked.display(k),
            "rate": f"{answered.value / asked.value * 100:.0f} %"
            if not (asked.suppressed or answered.suppressed) and asked.value and answered.value is not None
            else "–",
        },
        _(
            "Breakdowns (age, gender identity, municipality, language, meeting mode) describe the participants who "
            "signed up in the period. Age = the year the period ends in − year of birth. Gender identity is as "
            "stated by the participant."
        ),
        _(
            "Participant figures count the people taking part in friend matching (someone only registered for an "
            "event is not counted). Someone who gave no year of birth or no gender (not every activity asks) is "
            "counted as not stated."
        ),
        _(
            "Median days from sign-up to match: over the matches made in the period, the days between each "
            "participant's sign-up and the approval of the match."
        ),
        ngettext(
            "Ended matches by reason: reasons given for at least %(k)s match are shown by name; the others are "
            "counted together, since a reason is free text that might describe a person.",
            "Ended matches by reason: reasons given for at least %(k)s matches are shown by name; the others are "
            "counted together, since a reason is free text that might describe a person.",
            k,
        )
        % {"k": k},
        _(
            "Targets are compared with what the whole project achieved within both the report period and the "
            "project's own dates (filters on municipality, kind or mode of match do not narrow them). Indicators of the theory of change that are not measured in Kompis show the value and source "
            "staff entered."
        ),
        *activity_notes(bool(report.programmes), bool(report.events)),
        suppression_note(k),
    ]
    return notes

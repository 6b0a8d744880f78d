"""Every figure of the reports, defined once. Views, the PDF, XLSX and CSV exports and the theory of change
all read figures from here; nothing else counts.

Definitions (repeated in the method notes of each report):
Every participant figure is about friend matching and counts only people who take part in it (who have a
friend participation; a person only registered for an event is not counted); role and status are those of
their friend participation.
- sign-ups: participants whose `signed_up_at` falls in the period (Europe/Stockholm dates);
- confirmed sign-ups: of those, the ones who confirmed their e-mail address (at any time);
- waiting now: participants whose status is "waiting" when the report is made (not period-bound);
- matches made: matches whose `created_at` (approval) falls in the period; introductions: `introduced_at`;
- matches followed up: matches whose follow-up question was first asked (`followup_asked_at`) in the period;
- confirmed meetings: matches whose meeting was confirmed (`met_at`) in the period;
- met rate: of the matches followed up in the period, the share with a confirmed meeting (glossary:
  confirmed meetings ÷ matches followed up);
- follow-up answered: follow-up questions asked in the period that got an answer, per role of who answered;
- median days from sign-up to match: over matches made in the period, per role;
- ended matches: matches ended in the period, by the reason given;
- breakdowns: the participants who signed up in the period; age = the period's (end) year − birth year.
  A person without a year of birth or a gender (not every activity asks) is counted as "not stated" (a row of
  its own, shown when there is anyone to count, so every breakdown still adds up to the sign-ups).
A match belongs to a scope (region, project, municipality, coordinator) when its newcomer or its
established participant does; the kind and mode filters apply to match figures only.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Model, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.accounts.access import coordinator_scope
from kompis.core.fields import has_code
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Project
from kompis.participants.models import FRIEND_FIELDS, Participant
from kompis.participants.vocab import LANGUAGES, Gender, MeetingMode
from kompis.reports.periods import STOCKHOLM, Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import (
    DAYS,
    RATE,
    Cell,
    Column,
    Row,
    Table,
)

ROLES = ("newcomer", "established")
#: a participant's role in friend matching, selected as "role" (`.values(role=ROLE)`)
ROLE = F("friend_matching__role")
#: the key of "not stated" (no year of birth, no gender) in the breakdowns
NOT_STATED = "not_stated"
#: one report's selector results, keyed by selector, scope, period and arguments (each selector its own type)
_MEMO: ContextVar[dict[tuple[object, ...], object] | None] = ContextVar("kompis_report_memo", default=None)

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Model)


def memoised(
    func: Callable[Concatenate[ReportScope, Period, P], R],
) -> Callable[Concatenate[ReportScope, Period, P], R]:
    """Within one `build_report`, a selector runs once per scope and period (targets and the theory of
    change ask for the same figures as the summary)."""

    def wrapper(scope: ReportScope, period: Period, /, *args: P.args, **kwargs: P.kwargs) -> R:
        memo = _MEMO.get()
        if memo is None:
            return func(scope, period, *args, **kwargs)
        key = (
            func.__name__,
            scope.signature(),
            period.start,
            period.end,
            args,
            tuple(sorted(kwargs.items())),
        )
        if key not in memo:
            memo[key] = func(scope, period, *args, **kwargs)
        return cast(R, memo[key])  # stored under func's own name just above: func's result type

    update_wrapper(wrapper, func)
    return wrapper


AGE_BANDS = [
    ("18-25", 18, 25),
    ("26-35", 26, 35),
    ("36-45", 36, 45),
    ("46-55", 46, 55),
    ("56-65", 56, 65),
    ("66+", 66, 200),
]
TOP_MUNICIPALITIES = 10
TOP_LANGUAGES = 12


def role_columns() -> list[Column]:
    return [
        Column("newcomer", _("Newcomers")),
        Column("established", _("Established")),
        Column("total", _("Total"), is_total=True),
    ]


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start_at, f"{field_name}__lt": period.end_at})


def _role_row(key: str, label: str, by_role: dict[str, int], is_total: bool = False, ref: str = "") -> Row:
    """`ref`: the figure this row is wherever else it is shown (its cells become `ref:newcomer` …)."""
    cells = {r: Cell(by_role.get(r, 0), ref=f"{ref}:{r}" if ref else "") for r in ROLES}
    cells["total"] = Cell(sum(by_role.get(r, 0) for r in ROLES), ref=f"{ref}:total" if ref else "")
    return Row(key, label, cells, is_total=is_total)


# --- participant figures ------------------------------------------------------------------------------


@memoised
def participant_counts(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    """{measure: {role: n}} for sign-ups, confirmed sign-ups and waiting now: one query."""
    signed = _in("signed_up_at", period)
    rows = (
        scope.friends()
        .values(role=ROLE)
        .annotate(
            signups=Count("id", filter=signed),
            confirmed=Count("id", filter=signed & Q(email_verified_at__isnull=False)),
            waiting=Count("id", filter=Q(friend_matching__status="waiting")),
        )
        .order_by()
    )
    out: dict[str, dict[str, int]] = {"signups": {}, "confirmed": {}, "waiting": {}}
    for row in rows:
        for measure in out:
            out[measure][row["role"]] = row[measure]
    return out


def matched_persons(scope: ReportScope, period: Period) -> dict[str, int]:
    """Distinct newcomers and established participants in the matches made in the period."""
    agg = (
        scope.matches()
        .filter(_in("created_at", period))
        .aggregate(
            newcomer=Count("newcomer_id", distinct=True), established=Count("established_id", distinct=True)
        )
    )
    return {r: agg[r] or 0 for r in ROLES}


# --- match figures ------------------------------------------------------------------------------------


@memoised
def match_counts(scope: ReportScope, period: Period) -> dict[str, int]:
    """Matches made (individual, family), introductions, followed up, confirmed meetings, ended: one query."""
    made = _in("created_at", period)
    followed = _in("followup_asked_at", period)
    agg = scope.matches().aggregate(
        made=Count("id", filter=made),
        individual=Count("id", filter=made & Q(kind="individual")),
        family=Count("id", filter=made & Q(kind="family")),
        physical=Count("id", filter=made & Q(mode="physical")),
        digital=Count("id", filter=made & Q(mode="digital")),
        introduced=Count("id", filter=_in("introduced_at", period)),
        followed_up=Count("id", filter=followed),
        followed_up_met=Count("id", filter=followed & Q(met_at__isnull=False)),
        confirmed=Count("id", filter=_in("met_at", period)),
        ended=Count("id", filter=_in("ended_at", period) & Q(status="ended")),
    )
    return {k: v or 0 for k, v in agg.items()}


def met_rate(counts: dict[str, int]) -> Cell:
    n = counts["followed_up"]
    return Cell(counts["followed_up_met"] / n if n else None, RATE, base=n)


def followup_answers(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    """Follow-up questions asked in the period and answered, per role of the participant asked."""
    rows = (
        scope.followups()
        .filter(_in("asked_at", period))
        .values(role=F("participant__friend_matching__role"))
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            met=Count("id", filter=Q(answer="met")),
        )
        .order_by()
    )
    out: dict[str, dict[str, int]] = {"asked": {}, "answered": {}, "met": {}}
    for row in rows:
        for measure in out:
            out[measure][row["role"]] = row[measure]
    return out


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_days_to_match(scope: ReportScope, period: Period) -> dict[str, Cell]:
    """Median days from a participant's sign-up to the approval of a match made in the period, per role."""
    qs = scope.matches().filter(_in("created_at", period))
    if connection.vendor == "postgresql":

        def seconds(role: str) -> Func:
            return Func(
                F("created_at") - F(f"{role}__signed_up_at"),
                function="EXTRACT",
                template="EXTRACT(EPOCH FROM %(expressions)s)",
                output_field=FloatField(),
            )

        agg = qs.aggregate(n=Count("id"), **{role: _Median(seconds(role)) for role in ROLES})
        n = agg["n"]
        values = {role: agg[role] / 86400 if agg[role] is not None else None for role in ROLES}
    else:  # SQLite (small installs): the durations are few enough to take the median here
        rows = list(qs.values_list("created_at", "newcomer__signed_up_at", "established__signed_up_at"))
        n = len(rows)
        values = {
            role: statistics.median((r[0] - r[i]).total_seconds() / 86400 for r in rows) if rows else None
            for i, role in enumerate(ROLES, start=1)
        }
    return {role: Cell(round(v, 1) if v is not None else None, DAYS, base=n) for role, v in values.items()}


def ended_by_reason(scope: ReportScope, period: Period) -> list[tuple[str, int]]:
    rows = (
        scope.matches()
        .filter(_in("ended_at", period), status="ended")
        .values("end_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "end_reason")
    )
    return [(r["end_reason"], r["n"]) for r in rows]


# --- breakdowns of the sign-ups -----------------------------------------------------------------------


def signups(scope: ReportScope, period: Period) -> QuerySet[Participant]:
    """The people taking part in friend matching who signed up in the period."""
    return scope.friends().filter(_in("signed_up_at", period))


def _pivot(rows: list[dict[str, Any]], dim: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row[dim], {})[row["role"]] = row["n"]
    return out


def by_age_band(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    y = period.year
    counts = {
        key: Count("id", filter=Q(birth_year__gte=y - hi, birth_year__lte=y - lo))
        for key, lo, hi in AGE_BANDS
    }
    counts["under18"] = Count("id", filter=Q(birth_year__gt=y - 18))
    counts[NOT_STATED] = Count("id", filter=Q(birth_year__isnull=True))
    rows = signups(scope, period).values(role=ROLE).annotate(**counts).order_by()
    out: dict[str, dict[str, int]] = {key: {} for key in counts}
    for row in rows:
        for key in counts:
            out[key][row["role"]] = row[key]
    if not any(out[NOT_STATED].values()):  # everyone gave a year of birth: no "not stated" to show
        del out[NOT_STATED]
    return out


def by_field(scope: ReportScope, period: Period, field_name: str) -> dict[str, dict[str, int]]:
    """{value of the field: {role: n}} over the sign-ups; a field of the friend participation (meeting mode)
    is read there. An empty value (no gender given) is counted under ""."""
    lookup = f"friend_matching__{field_name}" if field_name in FRIEND_FIELDS else field_name
    rows = signups(scope, period).values(role=ROLE, value=F(lookup)).annotate(n=Count("id")).order_by()
    return _pivot(list(rows), "value")


def by_language(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {code: {} for code in LANGUAGES}
    qs = signups(scope, period)
    if connection.vendor == "postgresql":  # one pass: split the stored " ar en sv " into rows
        sql, params = qs.values("languages", role=ROLE).query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT s.role, lang, COUNT(*) FROM ({sql}) AS s "
                "CROSS JOIN LATERAL unnest(string_to_array(btrim(s.languages), ' ')) AS lang "
                "GROUP BY s.role, lang",
                params,
            )
            for role, code, n in cur.fetchall():
                if code in out:
                    out[code][role] = n
        return out
    counts = {code: Count("id", filter=has_code("languages", code)) for code in LANGUAGES}
    for row in qs.values(role=ROLE).annotate(**counts).order_by():
        for code in LANGUAGES:
            if row[code]:  # as on PostgreSQL: no entry for nobody
                out[code][row["role"]] = row[code]
    return out


def monthly(qs: QuerySet[M], field_name: str, period: Period) -> dict[date, int]:
    rows = (
        qs.filter(_in(field_name, period))
        .annotate(month=TruncMonth(field_name, tzinfo=STOCKHOLM))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[date, int] = {}
    for row in rows:
        m = row["month"]
        m = timezone.localtime(m, STOCKHOLM) if isinstance(m, datetime) and timezone.is_aware(m) else m
        d = m.date() if isinstance(m, datetime) else m
        out[d] = out.get(d, 0) + row["n"]
    return out


# --- tables -------------------------------------------------------------------------------------------


def summary_table(scope: ReportScope, period: Period) -> tuple[Table, dict[str, Any]]:
    p = participant_counts(scope, period)
    m = match_counts(scope, period)
    persons = matched_persons(scope, period)
    answers = followup_answers(scope, period)
    medians = median_days_to_match(scope, period)
    rows = [
        _role_row("signups", _("Sign-ups"), p["signups"], ref="signups"),
        _role_row("confirmed_signups", _("Confirmed sign-ups"), p["confirmed"], ref="confirmed_signups"),
        _role_row("waiting_now", _("Waiting now"), p["waiting"]),
        _role_row("matched_persons", _("Participants matched"), persons),
        _role_row("followup_asked", _("Follow-up questions asked"), answers["asked"]),
        _role_row("followup_answered", _("Follow-up answered"), answers["answered"]),
    ]
    median_row = Row(
        "median_days_to_match",
        _("Median days from sign-up to match"),
        {**medians, "total": Cell(None, DAYS, base=None)},
    )
    rows.append(median_row)
    people = Table("summary", _("Participants"), _("Measure"), role_columns(), rows)
    match_rows = [
        Row("matches_made", _("Matches made"), {"n": Cell(m["made"])}),
        Row("individual_matches", _("Individual matches"), {"n": Cell(m["individual"])}),
        Row("family_matches", _("Family matches"), {"n": Cell(m["family"])}),
        Row("physical_matches", _("Matches meeting in person"), {"n": Cell(m["physical"])}),
        Row("digital_matches", _("Matches meeting online"), {"n": Cell(m["digital"])}),
        Row("introductions", _("Introductions"), {"n": Cell(m["introduced"])}),
        Row("matches_followed_up", _("Matches followed up"), {"n": Cell(m["followed_up"])}),
        Row("confirmed_meetings", _("Confirmed meetings"), {"n": Cell(m["confirmed"])}),
        Row("met_rate", _("Met rate"), {"n": met_rate(m)}),
        Row("ended_matches", _("Ended matches"), {"n": Cell(m["ended"])}),
    ]
    for row in match_rows:  # the same figures as the targets, the trend and the ended matches
        row.cells["n"].ref = "" if row.key == "met_rate" else f"matches:{row.key}"
    matches = Table(
        "matches",
        _("Matches"),
        _("Measure"),
        [Column("n", _("Matches"))],
        match_rows,
        extra={  # every match is individual or family, and meets in person or online
            "sums": [
                ("n", "matches_made", ["individual_matches", "family_matches"]),
                ("n", "matches_made", ["physical_matches", "digital_matches"]),
            ]
        },
    )
    return people, {"matches": matches, "counts": m, "answers": answers, "participants": p}


def ended_table(scope: ReportScope, period: Period, k: int) -> Table:
    """Reasons given by at least k matches are shown by name; the rest (free text that may name a person)
    are counted together as other reasons."""
    rows, other = [], 0
    for reason, n in ended_by_reason(scope, period):
        if reason and n >= k:
            rows.append(Row(f"reason:{reason}", reason, {"n": Cell(n)}))
        else:
            other += n
    if other:
        rows.append(Row("other", _("Other or no reason given"), {"n": Cell(other)}))
    total = Cell(sum(int(r.cells["n"].value or 0) for r in rows), ref="matches:ended_matches")
    rows.append(Row("total", _("Total"), {"n": total}, is_total=True))
    return Table(
        "ended_by_reason",
        _("Ended matches by reason"),
        _("Reason"),
        [Column("n", _("Matches"))],
        rows,
        additive=True,
    )


def _breakdown(
    key: str,
    title: str,
    dimension: str,
    categories: list[tuple[str, str]],
    data: dict[str, dict[str, int]],
    additive: bool = True,
    note: str = "",
) -> Table:
    rows = [_role_row(code, label, data.get(code, {})) for code, label in categories]
    if additive:
        totals = {r: sum(int(row.cells[r].value or 0) for row in rows) for r in ROLES}
        # every sign-up is in exactly one category: the total row is the sign-ups row of the summary
        rows.append(_role_row("total", _("Total"), totals, is_total=True, ref="signups"))
    return Table(key, title, dimension, role_columns(), rows, additive=additive, note=note)


def age_table(scope: ReportScope, period: Period) -> Table:
    data = by_age_band(scope, period)
    cats = [(key, key.replace("-", "–")) for key, _lo, _hi in AGE_BANDS]
    if any(data["under18"].values()):
        cats.insert(0, ("under18", _("Under 18")))
    if NOT_STATED in data:
        cats.append((NOT_STATED, _("Not stated")))
    return _breakdown(
        "age_band",
        _("Age"),
        _("Age"),
        cats,
        data,
        note=_(
            "Age = %(year)s − year of birth. Participants who gave no year of birth are counted as not stated."
        )
        % {"year": period.year},
    )


def gender_table(scope: ReportScope, period: Period) -> Table:
    data = {code or NOT_STATED: n for code, n in by_field(scope, period, "gender").items()}
    cats = [(str(c), str(lbl)) for c, lbl in Gender.choices]
    if any(data.get(NOT_STATED, {}).values()):  # no gender given (not every activity asks)
        cats.append((NOT_STATED, _("Not stated")))
    return _breakdown(
        "gender",
        _("Gender identity"),
        _("Gender"),
        cats,
        data,
        note=_(
            "Participants who gave no gender are counted as not stated; “Prefer not to say” is their answer."
        ),
    )


def meeting_mode_table(scope: ReportScope, period: Period) -> Table:
    data = by_field(scope, period, "meeting_mode")
    return _breakdown(
        "meeting_mode",
        _("How they want to meet"),
        _("Meeting mode"),
        [(c, str(lbl)) for c, lbl in MeetingMode.choices],
        data,
    )


def municipality_table(scope: ReportScope, period: Period, top: int = TOP_MUNICIPALITIES) -> Table:
    # no municipality given (a person who first came to an event): counted as not stated, shown last
    data = {code or NOT_STATED: n for code, n in by_field(scope, period, "municipality_id").items()}
    unstated = data.get(NOT_STATED, {})
    ranked = sorted(
        (code for code in data if code != NOT_STATED), key=lambda code: (-sum(data[code].values()), code)
    )
    names = dict(Municipality.objects.filter(code__in=ranked[:top]).values_list("code", "name"))
    cats = [(code, names.get(code, code)) for code in ranked[:top]]
    rest: dict[str, int] = {}
    for code in ranked[top:]:
        for role, n in data[code].items():
            rest[role] = rest.get(role, 0) + n
    if rest:
        data = {**data, "other": rest}
        cats.append(("other", _("Other municipalities (%(n)s)") % {"n": len(ranked) - top}))
    if any(unstated.values()):
        cats.append((NOT_STATED, _("Not stated")))
    return _breakdown("municipality", _("Municipality"), _("Municipality"), cats, data)


def language_table(scope: ReportScope, period: Period, top: int = TOP_LANGUAGES) -> Table:
    data = by_language(scope, period)
    ranked = [c for c in sorted(data, key=lambda c: (-sum(data[c].values()), c)) if sum(data[c].values())][
        :top
    ]
    return _breakdown(
        "language",
        _("Languages spoken"),
        _("Language"),
        [(c, str(LANGUAGES[c])) for c in ranked],
        data,
        additive=False,
        note=ngettext(
            "A participant can speak several languages; the most common %(n)s is shown.",
            "A participant can speak several languages; the most common %(n)s are shown.",
            top,
        )
        % {"n": top},
    )


def trend_table(scope: ReportScope, period: Period) -> Table:
    prev = period.previous_year()
    whole_months = period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
    if whole_months and prev.start.day == 1:  # one scan for both years (the month buckets do not overlap)
        both = Period(prev.start, period.end, "")
        su = su_prev = monthly(scope.friends(), "signed_up_at", both)
        ma = ma_prev = monthly(scope.matches(), "created_at", both)
    else:
        su, su_prev = (monthly(scope.friends(), "signed_up_at", p) for p in (period, prev))
        ma, ma_prev = (monthly(scope.matches(), "created_at", p) for p in (period, prev))
    cols = [
        Column("signups", _("Sign-ups %(year)s") % {"year": period.year}),
        Column("signups_prev", _("Sign-ups %(year)s") % {"year": prev.year}),
        Column("matches", _("Matches %(year)s") % {"year": period.year}),
        Column("matches_prev", _("Matches %(year)s") % {"year": prev.year}),
    ]
    rows = []
    for month in period.months():
        pm = month.replace(year=month.year - 1)
        rows.append(
            Row(
                month.strftime("%Y-%m"),
                month.strftime("%Y-%m"),
                {
                    "signups": Cell(su.get(month, 0)),
                    "signups_prev": Cell(su_prev.get(pm, 0)),
                    "matches": Cell(ma.get(month, 0)),
                    "matches_prev": Cell(ma_prev.get(pm, 0)),
                },
            )
        )
    refs = {"signups": "signups:total", "matches": "matches:matches_made"}  # the period's, as in the summary
    rows.append(
        Row(
            "total",
            _("Total"),
            {
                c.key: Cell(sum(int(r.cells[c.key].value or 0) for r in rows), ref=refs.get(c.key, ""))
                for c in cols
            },
            is_total=True,
        )
    )
    return Table("trend", _("Per month, with the previous year"), _("Month"), cols, rows, additive=True)


def projects_in_scope(scope: ReportScope) -> list[Project]:
    qs = Project.objects.filter(organisation_id=scope.organisation.pk).select_related("region")
    if scope.project is not None:
        return [scope.project]
    if scope.region is not None:
        qs = qs.filter(region_id=scope.region.pk)
    if scope.municipality is not None:  # a municipality report: the projects of regions covering it
        qs = qs.filter(region__municipalities=scope.municipality.pk)
    user = scope.user
    if user is not None and user.is_coordinator:
        qs = qs.filter(coordinator_scope(user, project="pk")).distinct()
    return list(qs.prefetch_related("targets"))


def project_scope(scope: ReportScope, project: Project) -> ReportScope:
    """A project's results are compared with its targets for the whole project (within what the user may
    see): the municipality, kind and mode filters of the page do not narrow them."""
    return scope.narrowed(project=project, region=None, municipality=None, kind="", mode="")

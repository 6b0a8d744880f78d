"""The cohort page's panel for mentor pairs (proposals from the engine, staff review, ending a pair): what the template `programmes/_cohort_pairs.html` shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.accounts.models import User
from kompis.matching.engine import candidates_for
from kompis.matching.reasons import language_name, render_reason
from kompis.participants.access import PersonView, visible_people
from kompis.programmes.models import Cohort, Enrolment, Field
from kompis.programmes.pair_models import MentorPair, PairEndReason, PairStatus
from kompis.programmes.pairing import PairingRules, engine_input, pair_reasons
from kompis.programmes.pairs import (
    active_mentees,
    active_mentors,
    earlier_pairs,
    open_pair_counts,
    pair_person,
    rules_of,
)

#: at most this many mentors are offered to choose from for one mentee
MAX_CANDIDATES = 10


def render_pair_reason(code: str, params: Mapping[str, Any] | None = None) -> str:
    """A programme reason in words: "same field of work: IT and technology", "shared language: Ukrainian",
    "both in Uppsala", "both can meet online"."""
    p = params or {}
    if code == "same_field":
        label = dict(Field.choices).get(str(p.get("field")), str(p.get("field")))
        return _("same field of work: %(field)s") % {"field": label}
    if code == "shared_language":
        names = ", ".join(language_name(str(c)) for c in p.get("items", []))
        return _("shared language: %(languages)s") % {"languages": names}
    if code == "both_online":
        return _("both can meet online")
    return render_reason(code, p)


def render_pair_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"text": render_pair_reason(str(r.get("code", "")), r.get("params")), "points": r.get("points", 0)}
        for r in reasons
    ]


@dataclass(frozen=True)
class Choice:
    """A mentor staff may choose for a mentee, with the engine's score."""

    mentor: Enrolment
    person: PersonView
    score: float
    reasons: list[dict[str, Any]]
    available: bool


def mentor_choices(
    *, user: User, cohort: Cohort, mentees: Sequence[Enrolment], rules: PairingRules | None = None
) -> dict[int, list[Choice]]:
    """For each mentee (by enrolment pk): the cohort's active mentors the rules allow, best score first
    (`available` when they have a place left). A few queries for all mentees together."""
    rules = rules or rules_of(cohort.programme)
    mentors = list(active_mentors(cohort))
    if not mentors:
        return {m.pk: [] for m in mentees}
    taken = open_pair_counts(cohort)
    excluded = earlier_pairs(cohort)
    them = {str(m.pk): pair_person(m, places=m.max_mentees) for m in mentors}
    by_id = {str(m.pk): m for m in mentors}
    people = visible_people(user, [m.participant for m in mentors])
    today = timezone.localdate()
    out: dict[int, list[Choice]] = {}
    for mentee in mentees:
        me = pair_person(mentee)
        data = engine_input(rules, [me], list(them.values()), exclude=excluded)
        ranked = candidates_for(
            me.id,
            data.newcomers,
            data.established,
            weights=data.weights,
            exclude=data.exclude,
            taken={str(m.pk): taken[m.pk] for m in mentors},
            limit=MAX_CANDIDATES,
            today=today,
        )
        out[mentee.pk] = [
            Choice(
                mentor=by_id[c.partner_id],
                person=people[by_id[c.partner_id].participant_id],
                score=round(c.score, 2),
                reasons=pair_reasons(rules, me, them[c.partner_id], c.reasons),
                available=c.available,
            )
            for c in ranked
        ]
    return out


def cohort_panel(*, user: User, cohort: Cohort) -> dict[str, Any]:
    rules = rules_of(cohort.programme)
    pairs = list(
        MentorPair.objects.filter(cohort=cohort)
        .select_related("mentee__participant", "mentor__participant")
        .order_by("-score", "id")
    )
    mentees = list(active_mentees(cohort))
    people = visible_people(
        user,
        [p.mentee.participant for p in pairs]
        + [p.mentor.participant for p in pairs]
        + [m.participant for m in mentees],
    )

    def row(pair: MentorPair) -> dict[str, Any]:
        return {
            "pair": pair,
            "mentee": people[pair.mentee.participant_id],
            "mentor": people[pair.mentor.participant_id],
            "reasons": render_pair_reasons(pair.reasons),
        }

    proposed = [p for p in pairs if p.status == PairStatus.PROPOSED]
    open_mentees = {p.mentee_id for p in pairs if p.status in (PairStatus.PROPOSED, PairStatus.ACTIVE)}
    active_mentee_ids = {p.mentee_id for p in pairs if p.status == PairStatus.ACTIVE}
    choose_for = [m for m in mentees if m.pk not in active_mentee_ids]
    choices = mentor_choices(user=user, cohort=cohort, mentees=choose_for, rules=rules)
    return {
        "cohort": cohort,
        "rules": rules,
        "proposals": [
            {**row(p), "choices": [c for c in choices.get(p.mentee_id, []) if c.mentor.pk != p.mentor_id]}
            for p in proposed
        ],
        "unpaired": [
            {"mentee": m, "person": people[m.participant_id], "choices": choices[m.pk]}
            for m in choose_for
            if m.pk not in open_mentees
        ],
        "active": [row(p) for p in pairs if p.status == PairStatus.ACTIVE],
        "ended": [row(p) for p in pairs if p.status == PairStatus.ENDED],
        "end_reasons": PairEndReason.choices,
        "has_mentors": active_mentors(cohort).exists(),
    }

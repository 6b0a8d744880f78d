"""Reasons and blocking rules rendered in the reader's language (the engine's own texts are English only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.matching.engine import Reason
from kompis.participants.vocab import AVAILABILITY, INTERESTS, LANGUAGES


class ReasonJSON(TypedDict):
    """A reason as stored on a proposal or a match (JSON): a code, its parameters, its points."""

    code: str
    #: the engine's parameters of the reason (counts, codes, lists of codes): JSON values
    params: dict[str, Any]
    points: float


class RenderedReason(TypedDict):
    text: str
    points: float


def _interest(code: str) -> str:
    return str(INTERESTS.get(code, code.replace("_", " ")))


def language_name(code: str) -> str:
    return str(LANGUAGES.get(code, code))


def _join(items: list[str]) -> str:
    return ", ".join(items)


def render_reason(
    code: str, params: Mapping[str, Any] | None = None, municipalities: Mapping[str, str] | None = None
) -> str:
    """One score reason, e.g. ``3 shared interests: Football, Cooking, Music``."""
    p = params or {}
    if code == "shared_interests":
        count = int(p.get("count", 0))
        items = _join([_interest(i) for i in p.get("items", [])])
        return ngettext(
            "%(count)d shared interest: %(items)s", "%(count)d shared interests: %(items)s", count
        ) % {
            "count": count,
            "items": items,
        }
    if code == "age_close":
        ages = list(p.get("ages") or [0, 0])
        return _("ages %(a)s and %(b)s") % {"a": ages[0], "b": ages[1]}
    if code == "waiting":
        days = max(int(p.get("newcomer_days", 0)), int(p.get("established_days", 0)))
        return ngettext("waiting %(days)d day", "waiting %(days)d days", days) % {"days": days}
    if code == "swedish_practice":
        return _("established speaks Swedish")
    if code == "same_municipality":
        name = (municipalities or {}).get(str(p.get("code")), p.get("name") or p.get("code"))
        return _("both in %(municipality)s") % {"municipality": name}
    if code == "postal_close":
        return _("postal codes close")
    if code == "family":
        return _("both families with children")
    if code == "shared_availability":
        items = _join([str(AVAILABILITY.get(i, i)) for i in p.get("items", [])])
        return _("can meet at the same times: %(items)s") % {"items": items}
    if code == "pool_shortage":
        return render_shortage(p, municipalities)
    return code.replace("_", " ")


RULES = {
    "language": lambda: _("no shared language"),
    "meeting_mode": lambda: _("meeting mode / municipality"),
    "same_gender": lambda: _("same-gender wish"),
    "family_match": lambda: _("family match wish"),
    "excluded": lambda: _("earlier match or staff rejection"),
    "no_partners": lambda: _("nobody of the other role"),
    "all_compatible_partners_taken": lambda: _("all compatible partners taken"),
    "must_interests": lambda: _("must share an interest"),
    "must_age": lambda: _("must be close in age"),
    "must_swedish": lambda: _("established must speak Swedish"),
    "must_proximity": lambda: _("must live in the same municipality"),
    "must_family_situation": lambda: _("must have the same family situation"),
    "must_availability": lambda: _("must share availability"),
}


def rule_label(rule: str) -> str:
    make = RULES.get(rule)
    return make() if make else rule.replace("_", " ")


def render_unmatched(rule: str, eliminated: int = 0) -> str:
    """Why a person is left without a partner."""
    if rule in ("all_compatible_partners_taken", "no_partners"):
        return rule_label(rule)
    return ngettext(
        "blocked by: %(rule)s (rules out %(count)d person of the other role)",
        "blocked by: %(rule)s (rules out %(count)d people of the other role)",
        eliminated,
    ) % {"rule": rule_label(rule), "count": eliminated}


def render_shortage(p: Mapping[str, Any], municipalities: Mapping[str, str] | None = None) -> str:
    """E.g. ``38 Arabic-speaking newcomers in Luleå want to meet physically; 4 compatible established``."""
    waiting = int(p.get("waiting", 0))
    compatible = int(p.get("compatible", 0))
    free = int(p.get("free", 0))
    code = p.get("municipality_code")
    place = (municipalities or {}).get(str(code), str(code or ""))
    values = {"count": waiting, "language": language_name(str(p.get("language", ""))), "place": place}
    mode = p.get("mode")
    if p.get("role") == "newcomer":
        if mode == "physical":
            who = ngettext(
                "%(count)d %(language)s-speaking newcomer in %(place)s wants to meet physically",
                "%(count)d %(language)s-speaking newcomers in %(place)s want to meet physically",
                waiting,
            )
        elif mode == "digital":
            who = ngettext(
                "%(count)d %(language)s-speaking newcomer wants to meet digitally",
                "%(count)d %(language)s-speaking newcomers want to meet digitally",
                waiting,
            )
        else:
            who = ngettext(
                "%(count)d %(language)s-speaking newcomer in %(place)s (physically or digitally)",
                "%(count)d %(language)s-speaking newcomers in %(place)s (physically or digitally)",
                waiting,
            )
        other = ngettext(
            "%(compatible)d compatible established (with room for another match: %(free)d)",
            "%(compatible)d compatible established (with room for another match: %(free)d)",
            compatible,
        )
    else:
        if mode == "physical":
            who = ngettext(
                "%(count)d %(language)s-speaking established in %(place)s wants to meet physically",
                "%(count)d %(language)s-speaking established in %(place)s want to meet physically",
                waiting,
            )
        elif mode == "digital":
            who = ngettext(
                "%(count)d %(language)s-speaking established wants to meet digitally",
                "%(count)d %(language)s-speaking established want to meet digitally",
                waiting,
            )
        else:
            who = ngettext(
                "%(count)d %(language)s-speaking established in %(place)s (physically or digitally)",
                "%(count)d %(language)s-speaking established in %(place)s (physically or digitally)",
                waiting,
            )
        other = ngettext(
            "%(compatible)d compatible newcomer (with room for another match: %(free)d)",
            "%(compatible)d compatible newcomers (with room for another match: %(free)d)",
            compatible,
        )
    return _("%(who)s; %(other)s") % {
        "who": who % values,
        "other": other % {"compatible": compatible, "free": free},
    }


def render_reasons(
    reasons: Sequence[Mapping[str, Any]], municipalities: Mapping[str, str] | None = None
) -> list[RenderedReason]:
    """Stored reasons ({code, params, points}) → [{"text", "points"}] for templates."""
    return [
        {
            "text": render_reason(r.get("code", ""), r.get("params"), municipalities),
            "points": r.get("points", 0),
        }
        for r in reasons
    ]


def reasons_to_json(reasons: Iterable[Reason]) -> list[ReasonJSON]:
    """The engine's reasons as stored on a proposal or match (codes and parameters, no prose)."""
    return [{"code": r.code, "params": dict(r.params), "points": round(float(r.points), 2)} for r in reasons]

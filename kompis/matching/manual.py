"""Matches made by hand and exclusions set by staff.

The hard rules of a pair are the engine's own (``kernels.fail_mask`` on the two people, so a manual check
never disagrees with a matching run). Staff may override the language, meeting-mode and place rules and
the organisation's "must" rules, with a written reason; never an exclusion (a rejected pair, an earlier
match, a staff exclusion), a same-gender or family wish, nor status and capacity: those are the
participant's own wishes and facts (staff change the profile, with the person, when they change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.matching import services
from kompis.matching.engine import kernels
from kompis.matching.engine.encode import build_problem
from kompis.matching.engine.reasons import pair_reasons
from kompis.matching.feed import person_to_engine, weights_for
from kompis.matching.models import ExcludedPair, ExclusionReason, Match, Proposal, ProposalState
from kompis.matching.reasons import ReasonJSON, language_name, reasons_to_json
from kompis.matching.selectors import friend_of, role_of
from kompis.participants.models import Participant
from kompis.participants.vocab import Status

#: rules staff may override with a reason (the engine's codes; "place" is the meeting-mode rule when both
#: would meet in person but live in different municipalities)
OVERRIDABLE = (
    "language",
    "meeting_mode",
    "place",
    "must_interests",
    "must_age",
    "must_swedish",
    "must_proximity",
    "must_family_situation",
    "must_availability",
)
#: exclusions staff may lift (an earlier match stays an exclusion for good)
REMOVABLE_EXCLUSIONS = (ExclusionReason.STAFF, ExclusionReason.REJECTED)

RULE_LABELS = {
    "friend_matching": gettext_lazy("Both take part in friend matching"),
    "birth_year": gettext_lazy("Both have given their year of birth"),
    "municipality": gettext_lazy("Both have given the municipality where they live"),
    "roles": gettext_lazy("One newcomer and one established participant"),
    "status": gettext_lazy("Both are waiting for a match"),
    "capacity": gettext_lazy("Both have room for another match"),
    "language": gettext_lazy("They share a language"),
    "meeting_mode": gettext_lazy("They can meet the same way (in person or online)"),
    "place": gettext_lazy("Meeting in person: they live in the same municipality"),
    "same_gender": gettext_lazy("Same-gender wish respected"),
    "family_match": gettext_lazy("Both want, or both do not want, a family match"),
    "excluded": gettext_lazy("Not excluded (no earlier match, rejection or staff exclusion)"),
    "must_interests": gettext_lazy("Share an interest (the organisation's rule)"),
    "must_age": gettext_lazy("Close in age (the organisation's rule)"),
    "must_swedish": gettext_lazy("The established participant speaks Swedish (the organisation's rule)"),
    "must_proximity": gettext_lazy("Live in the same municipality (the organisation's rule)"),
    "must_family_situation": gettext_lazy("Same family situation (the organisation's rule)"),
    "must_availability": gettext_lazy("Share a time to meet (the organisation's rule)"),
}


class ManualMatchRefused(services.MatchConflict):
    """The pair cannot be matched by hand (a rule that cannot be overridden, or no reason given)."""


@dataclass
class RuleCheck:
    code: str
    ok: bool
    overridable: bool
    detail: str = ""

    @property
    def label(self) -> str:
        return str(RULE_LABELS.get(self.code, self.code))


@dataclass
class PairCheck:
    newcomer: Participant
    established: Participant
    rules: list[RuleCheck] = field(default_factory=list)
    score: float = 0.0
    reasons: list[ReasonJSON] = field(default_factory=list)
    exclusion: ExcludedPair | None = None

    @property
    def blocking(self) -> list[RuleCheck]:
        """Broken rules that no override can lift."""
        return [r for r in self.rules if not r.ok and not r.overridable]

    @property
    def to_override(self) -> list[str]:
        """Codes of broken rules that staff may override with a reason."""
        return [r.code for r in self.rules if not r.ok and r.overridable]


def place_name(person: Participant) -> str:
    return person.municipality.name if person.municipality is not None else "–"


def _languages(person: Participant) -> str:
    return ", ".join(language_name(code) for code in person.languages) or "–"


def check_pair(newcomer: Participant, established: Participant) -> PairCheck:
    """The engine's hard rules for this pair, plus status, capacity and exclusions, and the explained score
    (read from both people's participations in friend matching)."""
    out = PairCheck(newcomer, established)
    both = (newcomer, established)
    outside = [p for p in both if friend_of(p) is None]
    if outside:
        detail = "; ".join(p.full_name for p in outside)
        out.rules.append(RuleCheck("friend_matching", False, False, detail))
        return out
    nf, ef = newcomer.friend_matching, established.friend_matching
    out.rules.append(RuleCheck("roles", nf.role == "newcomer" and ef.role == "established", False))
    waiting = [p for p in both if p.friend_matching.status != Status.WAITING]
    out.rules.append(
        RuleCheck(
            "status",
            not waiting,
            False,
            "; ".join(f"{p.full_name}: {p.friend_matching.get_status_display()}" for p in waiting),
        )
    )
    left = {p.pk: services.capacity_left(p) for p in both}
    full = [p for p in both if left[p.pk] <= 0]
    out.rules.append(RuleCheck("capacity", not full, False, "; ".join(p.full_name for p in full)))
    if nf.role != "newcomer" or ef.role != "established":
        return out
    unborn = [p for p in both if p.birth_year is None]
    if unborn:
        out.rules.append(RuleCheck("birth_year", False, False, "; ".join(p.full_name for p in unborn)))
        return out
    nowhere = [p for p in both if p.municipality is None]
    if nowhere:
        out.rules.append(RuleCheck("municipality", False, False, "; ".join(p.full_name for p in nowhere)))
        return out
    organisation = newcomer.organisation
    weights = weights_for(organisation)
    today = timezone.localdate()
    prob = build_problem(
        [person_to_engine(newcomer, capacity=max(1, left[newcomer.pk]))],
        [person_to_engine(established, capacity=max(1, left[established.pk]))],
        weights,
        today,
    )
    mask = int(kernels.fail_mask(0, 0, prob.N.A, prob.N.L, prob.N.I, prob.E.A, prob.E.L, prob.E.I, prob.P))
    failed = {code for bit, code in enumerate(kernels.RULE_CODES) if mask & (1 << bit)}
    out.rules.append(
        RuleCheck(
            "language",
            "language" not in failed,
            True,
            f"{newcomer.first_name}: {_languages(newcomer)} · {established.first_name}: {_languages(established)}",
        )
    )
    in_person = nf.meeting_mode != "digital" and ef.meeting_mode != "digital"
    place_only = "meeting_mode" in failed and in_person
    mode_detail = f"{nf.get_meeting_mode_display()} · {ef.get_meeting_mode_display()}"
    out.rules.append(RuleCheck("meeting_mode", "meeting_mode" not in failed or place_only, True, mode_detail))
    if in_person:
        out.rules.append(
            RuleCheck(
                "place",
                not place_only,
                True,
                f"{place_name(newcomer)} · {place_name(established)}",
            )
        )
    gender_detail = " · ".join(
        f"{p.first_name}: {p.get_gender_display()}"
        + (f" ({_('only the same gender')})" if p.same_gender_only else "")
        for p in both
    )
    out.rules.append(RuleCheck("same_gender", "same_gender" not in failed, False, gender_detail))
    family_detail = " · ".join(
        f"{p.first_name}: "
        + (_("wants a family match") if p.friend_matching.wants_family_match else _("no family match"))
        for p in both
    )
    out.rules.append(RuleCheck("family_match", "family_match" not in failed, False, family_detail))
    out.exclusion = ExcludedPair.objects.filter(newcomer=newcomer, established=established).first()
    earlier = Match.objects.filter(newcomer=newcomer, established=established).exists()
    detail = ""
    if out.exclusion is not None:
        detail = out.exclusion.get_reason_display()
    elif earlier:
        detail = str(ExclusionReason.PREVIOUS_MATCH.label)
    out.rules.append(RuleCheck("excluded", out.exclusion is None and not earlier, False, detail))
    for code in kernels.RULE_CODES:
        if code.startswith("must_") and getattr(weights, code.removeprefix("must_")).must:
            out.rules.append(RuleCheck(code, code not in failed, True))
    points, reasons = pair_reasons(prob, 0, 0)
    out.score = round(points / 100.0, 2)
    out.reasons = reasons_to_json(reasons)
    return out


@transaction.atomic
def create_manual_match(
    *, actor: Actor, newcomer: Participant, established: Participant, overrides: Iterable[str], reason: str
) -> Match:
    """Match two waiting people by hand, like approving a proposal (introduction mails, audit).

    Every broken overridable rule must be in ``overrides`` and a reason written; a broken rule that cannot
    be overridden refuses the match (:class:`ManualMatchRefused`).
    """
    people = services.lock_pair(newcomer.pk, established.pk)
    if newcomer.pk not in people or established.pk not in people:
        raise ManualMatchRefused(_("Both must take part in friend matching."))
    newcomer, established = people[newcomer.pk], people[established.pk]
    check = check_pair(newcomer, established)
    if check.blocking:
        rule = check.blocking[0]
        message = _("%(rule)s: not met, and this rule cannot be overridden.") % {"rule": rule.label}
        raise ManualMatchRefused(f"{message} {rule.detail}".strip())
    to_override = set(check.to_override)
    missing = to_override - set(overrides)
    if missing:
        labels = ", ".join(str(RULE_LABELS[c]) for c in sorted(missing))
        raise ManualMatchRefused(
            _("Not met: %(rules)s. Tick “override” for each of them and write why.") % {"rules": labels}
        )
    reason = (reason or "").strip()
    if to_override and not reason:
        raise ManualMatchRefused(_("Write why the rules are overridden."))
    left = services.check_pair_free(newcomer, established)
    return services.create_match(
        actor=actor,
        newcomer=newcomer,
        established=established,
        left=left,
        score=check.score,
        reasons=check.reasons,
        manual=True,
        overridden_rules=sorted(to_override),
        override_reason=reason,
    )


# --- exclusions ----------------------------------------------------------------------------------


@transaction.atomic
def add_exclusion(*, actor: Actor, newcomer: Participant, established: Participant) -> ExcludedPair:
    """Never propose (or match by hand) these two; their open proposals are withdrawn."""
    if role_of(newcomer) != "newcomer" or role_of(established) != "established":
        raise services.MatchConflict(_("An exclusion is between a newcomer and an established participant."))
    user = services.staff_of(actor)
    pair, created = ExcludedPair.objects.get_or_create(
        newcomer=newcomer,
        established=established,
        defaults={
            "organisation_id": newcomer.organisation_id,
            "reason": ExclusionReason.STAFF,
            "created_by": user,
        },
    )
    if created:
        withdrawn = Proposal.objects.filter(
            newcomer=newcomer, established=established, state=ProposalState.PROPOSED
        ).update(state=ProposalState.SUPERSEDED)
        for person, other in ((newcomer, established), (established, newcomer)):
            record(
                actor=actor,
                action=EventType.MATCHING_EXCLUSION_ADDED,
                obj=person,
                data={"other": str(other.uid), "reason": pair.reason, "proposals_withdrawn": withdrawn},
            )
    return pair


@transaction.atomic
def remove_exclusion(*, actor: Actor, newcomer: Participant, established: Participant) -> bool:
    """Lift a staff exclusion or a rejection between two people (an earlier match stays excluded)."""
    pair = ExcludedPair.objects.select_for_update().filter(newcomer=newcomer, established=established).first()
    if pair is None:
        return False
    if pair.reason not in REMOVABLE_EXCLUSIONS:
        raise services.MatchConflict(_("An earlier match between these two cannot be lifted."))
    reason = pair.reason
    pair.delete()
    for person, other in ((newcomer, established), (established, newcomer)):
        record(
            actor=actor,
            action=EventType.MATCHING_EXCLUSION_REMOVED,
            obj=person,
            data={"other": str(other.uid), "reason": reason},
        )
    return True


def exclusions_of(person: Participant) -> list[ExcludedPair]:
    return list(
        ExcludedPair.objects.filter(Q(newcomer=person) | Q(established=person)).select_related(
            "newcomer", "established"
        )
    )

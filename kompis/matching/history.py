"""Matching's sentences for the history, the partner look-up of "Matched with …" and the words staff gave for
ending a match (kept on the match, not in the log); registered in MatchingConfig.ready.

Partners are shown through participants' `visible_people`: outside the user's scope by first name and region only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import (
    Context,
    Sentence,
    by_staff,
    is_uid,
    plain,
    register,
    register_details,
    register_resolver,
)
from kompis.matching.access import AnyUser
from kompis.matching.models import Match
from kompis.participants.access import visible_people


def _match_uid(e: AuditEvent) -> str:
    return str(e.data.get("match") or "")


def _matched(e: AuditEvent, c: Context) -> str:
    return by_staff(_("Matched with %(partner)s") % {"partner": c.partner(_match_uid(e), e.object_id)}, e)


def _approved(e: AuditEvent, c: Context) -> str:
    return by_staff(
        _("Match approved: %(a)s and %(b)s")
        % {"a": c.person(e.data.get("newcomer")), "b": c.person(e.data.get("established"))},
        e,
    )


SENTENCES: dict[str, Sentence] = {
    "participant.matched": _matched,
    "matching.match_approved": _approved,
    "matching.run": plain(lambda: _("Matching was run")),
    "matching.proposal_rejected": plain(lambda: _("A proposal was rejected")),
    "matching.partner_chosen": plain(lambda: _("Another partner was chosen for a proposal")),
    "matching.settings_updated": plain(lambda: _("Matching weights changed")),
    # exclusions and background runs
    "matching.exclusion_added": lambda e, c: by_staff(
        _("Will never be matched with %(other)s") % {"other": c.person(e.data.get("other"))}, e
    ),
    "matching.exclusion_removed": lambda e, c: by_staff(
        _("May be matched with %(other)s again") % {"other": c.person(e.data.get("other"))}, e
    ),
    "matching.run_queued": plain(lambda: _("Matching run started")),
    "matching.run_failed": plain(lambda: _("Matching run failed"), staff=False),
    "matching.run_requeued": plain(lambda: _("Matching run restarted after an interruption"), staff=False),
}


def resolve_partners(user: AnyUser, events: list[AuditEvent], context: Context) -> None:
    """For each "matched" event: the partner of the person whose history it is, as `user` may see them."""
    match_uids: dict[str, str] = {}  # match uid -> the participant uid whose history names it
    for e in events:
        if e.action == "participant.matched" and (match_uid := _match_uid(e)):
            match_uids[match_uid] = e.object_id
    if not match_uids:
        return
    org_id: int = getattr(user, "organisation_id", None) or 0
    matches = list(
        Match.objects.filter(uid__in=list(match_uids), organisation_id=org_id).select_related(
            "newcomer__region", "established__region"
        )
    )
    views = visible_people(user, [p for m in matches for p in (m.newcomer, m.established)])
    for m in matches:
        for me, other in ((m.newcomer, m.established), (m.established, m.newcomer)):
            context.partners[(str(m.uid), str(me.uid))] = views[other.pk]


def end_reasons(user: AnyUser, events: list[AuditEvent]) -> dict[str, str]:
    """Staff's words for why a match ended, read from the match itself (they are not kept in the log)."""
    uids = [e.object_id for e in events if e.data.get("reason_on_match") and is_uid(e.object_id)]
    if not uids:
        return {}
    org_id: int = getattr(user, "organisation_id", None) or 0
    rows = Match.objects.filter(uid__in=uids, organisation_id=org_id).values_list("uid", "end_reason")
    return {str(uid): reason[:500] for uid, reason in rows}


def register_history() -> None:
    register(SENTENCES)
    register_resolver(resolve_partners)
    register_details(end_reasons)

"""Sentences for the history of mentor pairs (merged into `kompis.programmes.history.SENTENCES`). A pair's
events are about the programme; the mentee is `data["participant"]`, the mentor `data["other"]`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, plain


def _names(e: AuditEvent, c: Context) -> dict[str, str]:
    return {"mentee": c.person(e.data.get("participant")), "mentor": c.person(e.data.get("other"))}


def _proposed(e: AuditEvent, c: Context) -> str:
    count = int(e.data.get("pairs") or 0)
    text = ngettext(
        "The matching engine proposed %(count)d mentor pair",
        "The matching engine proposed %(count)d mentor pairs",
        count,
    ) % {"count": count}
    return by_staff(text, e)


def _approved(e: AuditEvent, c: Context) -> str:
    return by_staff(_("%(mentee)s and mentor %(mentor)s became a pair") % _names(e, c), e)


def _rejected(e: AuditEvent, c: Context) -> str:
    return by_staff(_("The proposed pair of %(mentee)s and mentor %(mentor)s was rejected") % _names(e, c), e)


def _chosen(e: AuditEvent, c: Context) -> str:
    return by_staff(_("%(mentor)s was chosen as mentor for %(mentee)s") % _names(e, c), e)


def _ended(e: AuditEvent, c: Context) -> str:
    return by_staff(_("The pair of %(mentee)s and mentor %(mentor)s ended") % _names(e, c), e)


PAIR_SENTENCES: dict[str, Sentence] = {
    "programme.pairs_proposed": _proposed,
    "programme.pair_approved": _approved,
    "programme.pair_rejected": _rejected,
    "programme.pair_chosen": _chosen,
    "programme.pair_ended": _ended,
    "programme.pairing_rules_changed": plain(lambda: _("Rules for mentor pairs changed")),
}

"""The participants' sentences for the history and their name look-up (registered in ParticipantsConfig.ready).

Names are resolved when the page is shown, through `visible_people`: the same rule as every page about a person.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import (
    PERSON_KEYS,
    Context,
    Sentence,
    by_staff,
    day,
    is_uid,
    plain,
    register,
    register_resolver,
)
from kompis.participants.access import visible_people
from kompis.participants.models import Participant

#: profile fields as staff call them (the model's labels speak as the person: "I am", "languages I speak")
FIELD_LABELS = {
    "role": gettext_lazy("role"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "name_latin": gettext_lazy("name in Latin letters"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "share_phone": gettext_lazy("sharing the phone number"),
    "birth_year": gettext_lazy("year of birth"),
    "gender": gettext_lazy("gender"),
    "municipality": gettext_lazy("municipality"),
    "postal_code": gettext_lazy("postal code"),
    "region": gettext_lazy("region"),
    "project": gettext_lazy("project"),
    "languages": gettext_lazy("languages"),
    "interests": gettext_lazy("interests"),
    "availability": gettext_lazy("when they can meet"),
    "has_children": gettext_lazy("children"),
    "household_size": gettext_lazy("household size"),
    "wants_family_match": gettext_lazy("family match"),
    "meeting_mode": gettext_lazy("how to meet"),
    "same_gender_only": gettext_lazy("same gender only"),
    "capacity": gettext_lazy("matches at the same time"),
    "about_me": gettext_lazy("about them"),
    "hopes": gettext_lazy("hopes"),
    "heard_from": gettext_lazy("how they heard about us"),
}


def _fields(event: AuditEvent) -> str:
    labels = []
    for name in event.data.get("fields") or []:
        label = FIELD_LABELS.get(name)
        if label is None:
            try:
                label = getattr(Participant._meta.get_field(name), "verbose_name", None)
            except FieldDoesNotExist:  # a field that no longer exists
                label = None
        labels.append(str(label or str(name).replace("_", " ")))
    return ", ".join(labels)


def _paused(e: AuditEvent, c: Context) -> str:
    until = e.data.get("until")
    if until:
        return by_staff(_("Paused until %(date)s") % {"date": day(until)}, e)
    if e.data.get("after_match_end"):
        return _("Paused after a match ended, for staff to decide what next")
    return by_staff(_("Paused"), e)


def _imported(e: AuditEvent, c: Context) -> str:
    created = int(e.data.get("created") or 0)
    return by_staff(
        ngettext("Imported %(count)d participant", "Imported %(count)d participants", created)
        % {"count": created},
        e,
    )


def _exported(e: AuditEvent, c: Context) -> str:
    count = int(e.data.get("count") or 0)
    return by_staff(
        ngettext("Exported %(count)d participant", "Exported %(count)d participants", count)
        % {"count": count},
        e,
    )


SENTENCES: dict[str, Sentence] = {
    "participant.signed_up": plain(lambda: _("Signed up online"), staff=False),
    "participant.confirmed_email": plain(lambda: _("Confirmed their e-mail address"), staff=False),
    "participant.added_by_staff": plain(lambda: _("Added from a paper sign-up")),
    "participant.imported": plain(lambda: _("Imported from a file")),
    "participant.email_bouncing": plain(
        lambda: _("Mail to their address bounced; marked as not working"), staff=False
    ),
    "participant.expired_unconfirmed": plain(
        lambda: _("Sign-up not confirmed in time; personal data deleted"), staff=False
    ),
    "participant.updated": lambda e, c: by_staff(
        _("Profile changed: %(fields)s") % {"fields": _fields(e)}, e
    ),
    "participant.paused": _paused,
    "participant.resumed": plain(lambda: _("Back in the waiting pool")),
    "participant.pause_ended": plain(lambda: _("Back in the waiting pool: the pause ended"), staff=False),
    "participant.back_to_pool": plain(lambda: _("Back in the waiting pool after a match ended")),
    "participant.withdrawn": plain(lambda: _("Left Kompis")),
    "participant.left_friend_matching": plain(lambda: _("Left friend matching")),
    "participant.note_added": plain(lambda: _("Note added")),
    "participant.merged": plain(
        lambda: _("Merged with a duplicate record: its matches, mails, consents and notes are now here")
    ),
    "participant.unsubscribed": plain(lambda: _("Asked for no more questions or reminders by mail")),
    "participants.imported": _imported,
    "participants.exported": _exported,
    # leaving and coming back
    "participant.rejoined": plain(lambda: _("Signed up again after leaving"), staff=False),
    "participant.rejoin_expired": plain(lambda: _("Signing up again was not confirmed in time"), staff=False),
}


def resolve_people(user: Any, events: list[AuditEvent], context: Context) -> None:
    """The people an event's data names (PERSON_KEYS), as `user` may see them."""
    uids = {str(e.data.get(k)) for e in events for k in PERSON_KEYS if is_uid(e.data.get(k))}
    if not uids:
        return
    org_id: int = getattr(user, "organisation_id", None) or 0
    participants = list(
        Participant.objects.filter(uid__in=list(uids), organisation_id=org_id).select_related("region")
    )
    views = visible_people(user, participants)
    context.people.update({str(p.uid): views[p.pk] for p in participants})


def register_history() -> None:
    register(SENTENCES)
    register_resolver(resolve_people)

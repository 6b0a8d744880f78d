"""Staff access to events: an admin sees the organisation's events, a coordinator those of their regions
and projects; a viewer none (registrations name persons). Everything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.events.models import Event, EventRegistration


def events_for_user(user: User) -> QuerySet[Event]:
    if not user.is_authenticated or not user.organisation_id or not user.can_see_people:
        return Event.objects.none()
    qs = Event.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user))


def get_event_for_user(user: User, event_id: Any) -> Event:
    """`event_id` is the uid from the URL."""
    try:
        return events_for_user(user).select_related("region", "project").get(uid=event_id)
    except (Event.DoesNotExist, ValueError) as exc:
        raise Http404("No such event") from exc


def get_registration_for_user(user: User, registration_id: Any) -> EventRegistration:
    """A registration for an event the user may see (the person may be anyone registered for it)."""
    try:
        return EventRegistration.objects.select_related("event", "participant").get(
            uid=registration_id, event__in=events_for_user(user)
        )
    except (EventRegistration.DoesNotExist, ValueError) as exc:
        raise Http404("No such registration") from exc

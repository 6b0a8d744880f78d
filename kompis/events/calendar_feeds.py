"""The staff calendar's reads, and each region's secret iCalendar feed (issue #13).

A feed URL names the region and carries an HMAC over the region and the feed's random secret (salted,
with the site's SECRET_KEY): only someone given the URL can read it. Revoking the feed, or issuing a new
one, changes the secret, so every earlier URL answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.events.access import events_for_user
from kompis.events.attendance_models import CalendarFeed, new_feed_secret
from kompis.events.models import Event
from kompis.organisations.models import Region

SALT = "kompis.events.calendar_feed"
#: a feed holds events from this long ago onwards
FEED_PAST = timedelta(days=60)


def feed_signature(feed: CalendarFeed) -> str:
    return salted_hmac(SALT, f"{feed.region.uid}:{feed.secret}", algorithm="sha256").hexdigest()[:40]


def feed_path(feed: CalendarFeed) -> str:
    return reverse(
        "event_calendar_feed:feed", kwargs={"region_id": feed.region.uid, "signature": feed_signature(feed)}
    )


def feed_for_url(region_id: str, signature: str) -> CalendarFeed | None:
    """The active feed the URL names, or None (unknown region, revoked feed, wrong signature)."""
    feed = CalendarFeed.objects.select_related("region").filter(region__uid=region_id).first()
    if feed is None or not feed.is_active:
        return None
    return feed if constant_time_compare(feed_signature(feed), signature) else None


def feed_events(feed: CalendarFeed, *, now: datetime | None = None) -> QuerySet[Event]:
    now = now or timezone.now()
    return Event.objects.filter(region=feed.region, ends_at__gte=now - FEED_PAST).order_by("starts_at", "id")


def regions_for_user(user: User) -> QuerySet[Region]:
    """The regions whose feeds the user manages: an admin all the organisation's, a coordinator theirs."""
    if user.organisation_id is None:
        return Region.objects.none()
    qs = Region.objects.filter(organisation_id=user.organisation_id).order_by("name")
    if user.is_org_admin:
        return qs
    return qs.filter(pk__in=user.regions.values("pk"))


@transaction.atomic
def issue_feed(*, actor: User, region: Region) -> CalendarFeed:
    """A new feed URL for the region (any earlier URL stops working)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        region=region, defaults={"created_by": actor}
    )
    if not created:
        feed.secret, feed.revoked_at = new_feed_secret(), None
        feed.created_at, feed.created_by = timezone.now(), actor
        feed.save(update_fields=["secret", "revoked_at", "created_at", "created_by"])
    record(
        actor=actor, action=EventType.EVENT_CALENDAR_FEED_ISSUED, obj=feed, data={"region": str(region.uid)}
    )
    return feed


@transaction.atomic
def revoke_feed(*, actor: User, region: Region) -> bool:
    """Revoke the region's feed: its URL answers 404 from now on. False if there was none active."""
    feed = CalendarFeed.objects.select_for_update().filter(region=region, revoked_at__isnull=True).first()
    if feed is None:
        return False
    feed.secret, feed.revoked_at = new_feed_secret(), timezone.now()
    feed.save(update_fields=["secret", "revoked_at"])
    record(
        actor=actor, action=EventType.EVENT_CALENDAR_FEED_REVOKED, obj=feed, data={"region": str(region.uid)}
    )
    return True


@dataclass(frozen=True)
class Week:
    monday: date
    events: list[Event]


def weeks_of_events(*, user: User, start: date, weeks: int = 4) -> list[Week]:
    """The events in the user's scope from the week of `start`, grouped by week (Monday first)."""
    monday = start - timedelta(days=start.weekday())
    tz = timezone.get_current_timezone()
    begin = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    end = begin + timedelta(weeks=weeks)
    events = list(
        events_for_user(user)
        .filter(starts_at__gte=begin, starts_at__lt=end)
        .select_related("region")
        .order_by("starts_at", "id")
    )
    out = [Week(monday=monday + timedelta(weeks=i), events=[]) for i in range(weeks)]
    for event in events:
        day = timezone.localtime(event.starts_at, tz).date()
        out[(day - monday).days // 7].events.append(event)
    return out

"""The staff calendar and the regions' iCalendar feeds (issue #13): RFC 5545 text, a signed secret URL,
revocation, scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import calendar_feeds, ics
from kompis.events.models import Event

pytestmark = pytest.mark.django_db


def make_event(world, *, region=None, title="Language café", **extra) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=2)
    fields = {"place": "Stadsbiblioteket, plan 2"} | extra
    return Event.objects.create(
        organisation=world.org,
        region=region or world.uppsala,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **fields,
    )


def test_ics_text_escapes_folds_and_uses_utc(world):
    event = make_event(world, title="Café; fika, and talk " + "å" * 80, video_link="https://meet.example/x")
    text = ics.calendar([event], name="Kompis · Uppsala", now=datetime(2026, 11, 1, 12, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Café\\; fika\\, and talk " in unfolded
    assert "LOCATION:Stadsbiblioteket\\, plan 2" in unfolded
    assert "URL:https://meet.example/x" in unfolded
    assert f"UID:{event.uid}@kompis" in unfolded
    assert f"DTSTART:{event.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in unfolded
    assert "DTSTAMP:20261101T120000Z" in unfolded


def test_feed_serves_the_regions_events_until_revoked(client, world):
    mine = make_event(world)
    theirs = make_event(world, region=world.danderyd, title="Danderyd walk")
    feed = calendar_feeds.issue_feed(actor=world.admin, region=world.uppsala)
    url = calendar_feeds.feed_path(feed)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:{mine.uid}@kompis" in body and str(theirs.uid) not in body
    assert client.get(url.replace(".ics", "0.ics")).status_code == 404  # tampered signature
    assert calendar_feeds.revoke_feed(actor=world.admin, region=world.uppsala)
    assert client.get(url).status_code == 404
    again = calendar_feeds.issue_feed(actor=world.admin, region=world.uppsala)
    assert calendar_feeds.feed_path(again) != url and client.get(url).status_code == 404
    assert client.get(calendar_feeds.feed_path(again)).status_code == 200
    actions = list(
        AuditEvent.objects.filter(action__startswith="event.calendar_feed").values_list("action", "data")
    )
    assert actions == [
        ("event.calendar_feed_issued", {"region": str(world.uppsala.uid)}),
        ("event.calendar_feed_revoked", {"region": str(world.uppsala.uid)}),
        ("event.calendar_feed_issued", {"region": str(world.uppsala.uid)}),
    ]


def test_calendar_page_lists_events_in_scope_by_week(client, world, uppsala_coordinator):
    mine = make_event(world)
    make_event(world, region=world.danderyd, title="Danderyd walk")
    client.force_login(uppsala_coordinator)
    page = client.get(reverse("event_calendar:calendar")).content.decode()
    assert mine.title in page and "Danderyd walk" not in page
    assert world.danderyd.name not in page.split("Calendar feeds")[-1]


def test_coordinator_cannot_issue_another_regions_feed(client, world, uppsala_coordinator):
    client.force_login(uppsala_coordinator)
    url = reverse("event_calendar:feed_issue", args=[world.danderyd.uid])
    assert client.post(url).status_code == 404
    assert client.post(reverse("event_calendar:feed_issue", args=[world.uppsala.uid])).status_code == 302
    assert world.uppsala.calendar_feed.is_active and not hasattr(world.danderyd, "calendar_feed_cache")

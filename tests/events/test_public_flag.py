"""Issue #13: an event (or a series) may be not public: only for invited people. The public page and the
public registration leave it out; the staff calendar and the region's feed show it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import calendar_feeds
from kompis.events.models import Event, EventSeries

pytestmark = pytest.mark.django_db


def event_form(**changes):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    return {
        "title": "Mentor evening",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "region": "",
        "place": "Café Linné",
        **changes,
    }


def series_form(**changes):
    return {
        "title": "Closed café",
        "weekday": "2",
        "start_time": "18:00",
        "duration_minutes": "90",
        "starts_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "ends_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "region": "",
        "place": "Stadsbiblioteket",
        **changes,
    }


def test_the_public_box_is_ticked_on_a_new_form(client, world):
    client.force_login(world.admin)
    for name in ("events:new", "events:series_new"):
        html = client.get(reverse(name)).content.decode()
        assert 'name="public"' in html and "checked" in html.split('name="public"')[1].split(">")[0]


def test_an_event_not_public_is_left_out_of_the_public_page_but_not_the_staff_calendar(client, world):
    client.force_login(world.admin)
    client.post(reverse("events:new"), event_form(title="Open café", public="on", region=world.uppsala.pk))
    client.post(reverse("events:new"), event_form(title="Mentor evening", region=world.uppsala.pk))
    open_one, closed = Event.objects.get(title="Open café"), Event.objects.get(title="Mentor evening")
    assert open_one.public and not closed.public
    created = AuditEvent.objects.filter(action="event.created", object_id=str(closed.uid)).get()
    assert created.data["public"] is False
    page = client.get(reverse("event_calendar:calendar")).content.decode()
    assert "Open café" in page and "Mentor evening" in page
    feed = client.get(
        calendar_feeds.feed_path(calendar_feeds.issue_feed(actor=world.admin, region=world.uppsala))
    )
    assert f"UID:{closed.uid}@kompis" in feed.content.decode()
    client.logout()
    public = client.get(reverse("public_events:list", args=[world.org.slug])).content.decode()
    assert "Open café" in public and "Mentor evening" not in public
    url = reverse("public_events:register", args=[world.org.slug, closed.uid])
    assert client.get(url).status_code == 404
    form = {"name": "Amina Yusuf", "email": "amina@example.org", "language": "sv", "consent": "on"}
    assert client.post(url, form).status_code == 404
    assert not closed.registrations.exists()


def test_occurrences_take_their_series_flag(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("events:series_new"), series_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    series = EventSeries.objects.get()
    assert not series.public and series.occurrences.exists()
    assert not series.occurrences.filter(public=True).exists()
    client.post(reverse("events:series_new"), series_form(title="Open café", public="on"))
    opened = EventSeries.objects.get(title="Open café")
    assert opened.public and not opened.occurrences.filter(public=False).exists()

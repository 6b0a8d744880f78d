"""The staff calendar (events in scope, by week), the regions' feed URLs (issue, revoke) and the feed."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.events import calendar_feeds, ics, mails
from kompis.events.attendance_models import CalendarFeed
from kompis.organisations.models import Region

WEEKS = 4


def _start(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


@people_required
def calendar_page(request: StaffRequest) -> HttpResponse:
    start = _start(request.GET.get("from", ""))
    weeks = calendar_feeds.weeks_of_events(user=request.user, start=start, weeks=WEEKS)
    regions = list(calendar_feeds.regions_for_user(request.user))
    feeds = {f.region_id: f for f in CalendarFeed.objects.filter(region__in=regions).select_related("region")}
    return render(
        request,
        "events/calendar.html",
        {
            "nav": "events",
            "weeks": weeks,
            "earlier": weeks[0].monday - timedelta(weeks=WEEKS),
            "later": weeks[0].monday + timedelta(weeks=WEEKS),
            "regions": [
                {
                    "region": r,
                    "url": request.build_absolute_uri(calendar_feeds.feed_path(feeds[r.pk]))
                    if r.pk in feeds and feeds[r.pk].is_active
                    else "",
                }
                for r in regions
            ],
        },
    )


def _region(request: StaffRequest, region_id: str) -> Region:
    try:
        return calendar_feeds.regions_for_user(request.user).get(uid=region_id)
    except Region.DoesNotExist as exc:
        raise Http404("No such region") from exc


@people_required
@require_POST
def feed_issue(request: StaffRequest, region_id: str) -> HttpResponse:
    calendar_feeds.issue_feed(actor=request.user, region=_region(request, region_id))
    messages.success(request, _("A new calendar feed address is made; any earlier address no longer works."))
    return redirect("event_calendar:calendar")


@people_required
@require_POST
def feed_revoke(request: StaffRequest, region_id: str) -> HttpResponse:
    if calendar_feeds.revoke_feed(actor=request.user, region=_region(request, region_id)):
        messages.success(request, _("The calendar feed is revoked; its address no longer works."))
    return redirect("event_calendar:calendar")


def feed(request: HttpRequest, region_id: str, signature: str) -> HttpResponse:
    """The region's events as iCalendar, for anyone holding the URL (404 for a wrong or revoked one)."""
    found = calendar_feeds.feed_for_url(region_id, signature)
    if found is None:
        raise Http404("No such calendar")
    events = list(calendar_feeds.feed_events(found))
    body = ics.calendar(
        events, name=f"Kompis · {found.region.name}", now=timezone.now(), sequences=mails.sequences(events)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kompis.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

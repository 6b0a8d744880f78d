"""The regions' iCalendar feeds: public, the signed URL is the secret (included at the site's root)."""

from django.urls import path

from kompis.events import calendar_views

app_name = "event_calendar_feed"
urlpatterns = [
    path("calendar/<uuid:region_id>/<str:signature>.ics", calendar_views.feed, name="feed"),
]

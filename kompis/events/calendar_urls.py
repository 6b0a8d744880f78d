from django.urls import path

from kompis.events import calendar_views

app_name = "event_calendar"
urlpatterns = [
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/feeds/<uuid:region_id>/issue/", calendar_views.feed_issue, name="feed_issue"),
    path("calendar/feeds/<uuid:region_id>/revoke/", calendar_views.feed_revoke, name="feed_revoke"),
]

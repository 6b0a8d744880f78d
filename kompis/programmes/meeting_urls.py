"""Staff URLs for a mentor pair's meeting log; included by `kompis.programmes.urls` (app name `programmes`)."""

from django.urls import path

from kompis.programmes import meeting_views

urlpatterns = [
    path("pairs/<uuid:pair_id>/meetings/", meeting_views.pair_meeting, name="pair_meeting"),
]

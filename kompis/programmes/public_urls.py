"""Public programme URLs: the enrolment form per programme and a pair's personal meeting-log link. Mounted at
the site root by `kompis.urls` (app name `programmes_public`)."""

from django.urls import URLPattern

app_name = "programmes_public"
urlpatterns: list[URLPattern] = []

"""Staff URLs for the cohort's sessions (group, expert-group, network and closing sessions) and the completion rule; included by `kompis.programmes.urls` (app name `programmes`)."""

from django.urls import URLPattern, path

from kompis.programmes import session_views

urlpatterns: list[URLPattern] = [
    path("cohorts/<uuid:cohort_id>/sessions/new/", session_views.session_new, name="session_new"),
    path("sessions/<uuid:session_id>/invite/", session_views.session_invite, name="session_invite"),
    path("cohorts/<uuid:cohort_id>/completion/", session_views.completion_rule, name="completion_rule"),
]

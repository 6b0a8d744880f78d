"""Staff URLs for the cohort's sessions (group, expert-group, network and closing sessions) and the completion rule; included by `kompis.programmes.urls` (app name `programmes`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

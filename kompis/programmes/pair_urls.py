"""Staff URLs for mentor pairs (proposals from the engine, staff review, ending a pair); included by `kompis.programmes.urls` (app name `programmes`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

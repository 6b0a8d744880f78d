"""Public survey URLs, mounted at the site root (app name `surveys_public`): a personal invitation link
(`/s/<token>/`) and an open survey's public link."""

from django.urls import URLPattern

app_name = "surveys_public"
urlpatterns: list[URLPattern] = []

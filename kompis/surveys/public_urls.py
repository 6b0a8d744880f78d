"""Public survey URLs, mounted at the site root (app name `surveys_public`): a personal invitation link
(`/s/<token>/`) and an open survey's public link."""

from django.urls import URLPattern, path

from kompis.surveys import respond_views

app_name = "surveys_public"
urlpatterns: list[URLPattern] = [
    path("s/preview/<str:survey_uid>/", respond_views.preview, name="preview"),
    path("s/<str:token>/", respond_views.respond, name="respond"),
]

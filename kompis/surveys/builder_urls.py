"""Staff URLs of the surveys app: builder pages; included by `kompis.surveys.urls` (app name `surveys`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

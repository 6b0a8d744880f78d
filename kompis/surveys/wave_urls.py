"""Staff URLs of the surveys app: wave pages; included by `kompis.surveys.urls` (app name `surveys`)."""

from django.urls import URLPattern, path

from kompis.surveys import wave_views as v

urlpatterns: list[URLPattern] = [
    path("<uuid:survey_id>/waves/", v.wave_list, name="waves"),
    path("<uuid:survey_id>/waves/new/", v.wave_new, name="wave_new"),
    path("waves/<uuid:wave_id>/", v.wave_detail, name="wave"),
    path("waves/<uuid:wave_id>/send/", v.wave_send, name="wave_send"),
]

"""Staff URLs of the surveys app: result pages; included by `kompis.surveys.urls` (app name `surveys`)."""

from django.urls import URLPattern, path

from kompis.surveys import result_views

urlpatterns: list[URLPattern] = [
    path("waves/<uuid:wave_id>/results/", result_views.wave_results_page, name="wave_results"),
    path(
        "waves/<uuid:wave_id>/results/export.<str:fmt>",
        result_views.wave_export,
        name="wave_results_export",
    ),
]

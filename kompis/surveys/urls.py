"""Staff URLs of surveys, mounted at /staff/surveys/ (app name `surveys`): the builder, waves and
invitations, results, interviews; each area has its own URL module."""

from django.urls import include, path

from kompis.surveys import builder_urls, interview_urls, result_urls, wave_urls

app_name = "surveys"
urlpatterns = [
    path("", include(builder_urls)),
    path("", include(wave_urls)),
    path("", include(result_urls)),
    path("", include(interview_urls)),
]

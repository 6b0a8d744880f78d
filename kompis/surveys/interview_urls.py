"""Staff URLs of the surveys app: interview pages; included by `kompis.surveys.urls` (app name `surveys`)."""

from django.urls import URLPattern, path

from kompis.surveys import interview_views

urlpatterns: list[URLPattern] = [
    path("interviews/", interview_views.interview_list, name="interviews"),
    path("interviews/draw/", interview_views.interview_draw, name="interview_draw"),
    path("interviews/themes/", interview_views.interview_theme_add, name="interview_theme_add"),
    path("interviews/<uuid:sample_id>/", interview_views.interview_sample, name="interview_sample"),
    path(
        "interviews/people/<uuid:subject_id>/notes/",
        interview_views.interview_note_add,
        name="interview_note_add",
    ),
]

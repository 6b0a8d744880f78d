"""Staff URLs of the surveys app: builder pages; included by `kompis.surveys.urls` (app name `surveys`)."""

from django.urls import URLPattern, path

from kompis.surveys import builder_views as v

urlpatterns: list[URLPattern] = [
    path("", v.survey_list, name="list"),
    path("new/", v.survey_new, name="new"),
    path("import/", v.import_survey, name="import"),
    path("bank/", v.bank, name="bank"),
    path("<uuid:survey_id>/", v.survey_detail, name="survey"),
    path("<uuid:survey_id>/edit/", v.survey_edit, name="edit"),
    path("<uuid:survey_id>/open/", v.survey_open, name="open"),
    path("<uuid:survey_id>/close/", v.survey_close, name="close"),
    path("<uuid:survey_id>/translations/", v.translations, name="translations"),
    path("<uuid:survey_id>/export/", v.export, name="export"),
    path("<uuid:survey_id>/questions/new/", v.question_new, name="question_new"),
    path("<uuid:survey_id>/bank/add/", v.bank_add, name="bank_add"),
    path("questions/<uuid:question_id>/", v.question_edit, name="question_edit"),
    path("questions/<uuid:question_id>/move/", v.question_move, name="question_move"),
    path("questions/<uuid:question_id>/delete/", v.question_delete, name="question_delete"),
    path("questions/<uuid:question_id>/bank/", v.question_to_bank, name="question_to_bank"),
]

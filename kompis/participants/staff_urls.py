from django.urls import include, path

from kompis.participants import duplicate_views
from kompis.participants import staff_views as views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("add/", views.participant_add, name="add"),
    path("<uuid:participant_id>/", views.participant_detail, name="detail"),
    path("<uuid:participant_id>/edit/", views.participant_edit, name="edit"),
    path("<uuid:participant_id>/pause/", views.participant_pause, name="pause"),
    path("<uuid:participant_id>/resume/", views.participant_resume, name="resume"),
    path("<uuid:participant_id>/withdraw/", views.participant_withdraw, name="withdraw"),
    path("<uuid:participant_id>/notes/", views.participant_note, name="note"),
    path("duplicates/", include(duplicate_views.urlpatterns)),
]

from kompis.participants import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_start, name="import"),
    path("import/preview/", import_views.import_preview, name="import_preview"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/rejected/", import_views.import_rejected, name="import_rejected"),
    path("import/template.<str:fmt>", import_views.import_template, name="import_template"),
    path("export.<str:fmt>", import_views.export, name="export"),
]

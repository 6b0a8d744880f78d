from django.urls import path

from kompis.matching import views, views_manual

app_name = "matching"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:run_id>/progress/", views.run_progress, name="run_progress"),
    path("runs/<uuid:run_id>/approve/", views.run_approve_page, name="run_approve_page"),
    path("proposals/<uuid:proposal_id>/approve/", views.proposal_approve, name="proposal_approve"),
    path("proposals/<uuid:proposal_id>/reject/", views.proposal_reject, name="proposal_reject"),
    path("proposals/<uuid:proposal_id>/candidates/", views.proposal_candidates, name="proposal_candidates"),
    path("proposals/<uuid:proposal_id>/choose/", views.proposal_choose, name="proposal_choose"),
    path("manual/", views_manual.manual_page, name="manual"),
    path("manual/<uuid:participant_id>/match/", views_manual.manual_match, name="manual_match"),
    path("exclusions/<uuid:participant_id>/add/", views_manual.exclusion_add, name="exclusion_add"),
    path("exclusions/<uuid:participant_id>/remove/", views_manual.exclusion_remove, name="exclusion_remove"),
    path("pool/", views.pool, name="pool"),
    path("matches/", views.match_list, name="matches"),
    path("settings/", views.settings_view, name="settings"),
]

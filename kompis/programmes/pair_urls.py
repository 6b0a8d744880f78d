"""Staff URLs for mentor pairs (proposals from the engine, staff review, ending a pair); included by `kompis.programmes.urls` (app name `programmes`)."""

from django.urls import URLPattern, path

from kompis.programmes import pair_views

urlpatterns: list[URLPattern] = [
    path("<uuid:programme_id>/pairing-rules/", pair_views.pairing_rules, name="pairing_rules"),
    path("cohorts/<uuid:cohort_id>/pairs/propose/", pair_views.pairs_propose, name="pairs_propose"),
    path(
        "cohorts/<uuid:cohort_id>/pairs/approve-all/", pair_views.pairs_approve_all, name="pairs_approve_all"
    ),
    path("pairs/<uuid:pair_id>/approve/", pair_views.pair_approve, name="pair_approve"),
    path("pairs/<uuid:pair_id>/reject/", pair_views.pair_reject, name="pair_reject"),
    path("pairs/<uuid:pair_id>/end/", pair_views.pair_end, name="pair_end"),
    path("enrolments/<uuid:enrolment_id>/choose-mentor/", pair_views.choose_mentor, name="choose_mentor"),
]

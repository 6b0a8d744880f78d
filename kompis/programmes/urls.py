from django.urls import include, path

from kompis.programmes import meeting_urls, pair_urls, public_staff_views, session_urls, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_new, name="new"),
    path("<uuid:programme_id>/", views.programme_detail, name="detail"),
    path("<uuid:programme_id>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path(
        "<uuid:programme_id>/public-enrolment/",
        public_staff_views.public_enrolment,
        name="public_enrolment",
    ),
    path("cohorts/<uuid:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:cohort_id>/enrol/", views.cohort_enrol, name="enrol"),
    path("enrolments/<uuid:enrolment_id>/complete/", views.enrolment_complete, name="complete"),
    path("enrolments/<uuid:enrolment_id>/drop-out/", views.enrolment_drop_out, name="drop_out"),
    path("", include(pair_urls)),
    path("", include(session_urls)),
    path("", include(meeting_urls)),
]

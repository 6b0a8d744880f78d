"""Public programme URLs: the enrolment form per programme and a pair's personal meeting-log link. Mounted at
the site root by `kompis.urls` (app name `programmes_public`)."""

from django.urls import URLPattern, path

from kompis.programmes import public_views

app_name = "programmes_public"
urlpatterns: list[URLPattern] = [
    path("<slug:org>/programmes/", public_views.programme_list, name="list"),
    path("<slug:org>/programmes/<uuid:programme_id>/", public_views.enrol, name="enrol"),
    path("<slug:org>/programmes/<uuid:programme_id>/thanks/", public_views.thanks, name="thanks"),
    path(
        "<slug:org>/programmes/confirm/<str:token>/",
        public_views.confirm,
        name="confirm",
    ),
]

from django.urls import path

from kompis.organisations import public_views as views

app_name = "organisation_public"
urlpatterns = [
    path("logo/<uuid:org>/<str:version>/", views.logo, name="logo"),
    path("setup/", views.first_run, name="setup"),
]

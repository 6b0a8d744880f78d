from django.urls import path

from kompis.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("edit/", views.settings_edit, name="edit"),
    path("logo/remove/", views.logo_remove, name="logo_remove"),
    path("regions/new/", views.region_new, name="region_new"),
    path("regions/<uuid:region_id>/", views.region_edit, name="region_edit"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<uuid:project_id>/", views.project_edit, name="project_edit"),
]

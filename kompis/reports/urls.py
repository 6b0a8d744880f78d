from django.urls import path

from kompis.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("municipality/", views.municipality, name="municipality"),
    path("theory-of-change/", views.theory_of_change, name="theory"),
]

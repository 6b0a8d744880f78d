from django.urls import path

from kompis.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.settings_page, name="settings"),
]

from django.urls import path

from kompis.home import views

# Joined into the "core" namespace by kompis/urls.py, so the name stays core:staff_home.
urlpatterns = [
    path("staff/", views.staff_home, name="staff_home"),
]

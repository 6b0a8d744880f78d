from django.urls import path

from kompis.events import attendance_views

app_name = "event_attendance"
urlpatterns = [
    path("<uuid:event_id>/attendance/", attendance_views.register, name="register"),
    path("<uuid:event_id>/attendance/mark/", attendance_views.mark, name="mark"),
]

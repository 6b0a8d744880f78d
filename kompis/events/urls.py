from django.urls import path

from kompis.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("series/new/", views.series_new, name="series_new"),
    path("<uuid:event_id>/", views.event_detail, name="detail"),
    path("<uuid:event_id>/register/", views.event_register, name="register"),
    path("<uuid:event_id>/cancel/", views.event_cancel, name="cancel_event"),
    path("<uuid:event_id>/move/", views.event_move, name="move"),
    path("registrations/<uuid:registration_id>/cancel/", views.registration_cancel, name="cancel"),
]

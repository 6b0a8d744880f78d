"""The public events pages (`/<org>/events/`): upcoming events and the registration form."""

from django.urls import path

from kompis.events import public_views as views

app_name = "public_events"
urlpatterns = [
    path("<slug:org>/events/", views.event_list, name="list"),
    path("<slug:org>/events/<uuid:event_id>/", views.register, name="register"),
    path("<slug:org>/events/<uuid:event_id>/thanks/", views.thanks, name="thanks"),
]

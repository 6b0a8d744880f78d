from django.urls import path

from kompis.organisations import staff_views as views

app_name = "team"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("invite/", views.staff_invite, name="invite"),
    path("<uuid:user_id>/", views.staff_detail, name="detail"),
    path("<uuid:user_id>/deactivate/", views.staff_deactivate, name="deactivate"),
    path("<uuid:user_id>/reactivate/", views.staff_reactivate, name="reactivate"),
    path("<uuid:user_id>/resend/", views.staff_resend, name="resend"),
]

from django.urls import path

from kompis.participants import public_views as views

app_name = "public"
urlpatterns = [
    path("<slug:org>/signup/", views.signup, name="signup"),
    path("<slug:org>/signup/thanks/", views.signup_thanks, name="signup_thanks"),
    path("<slug:org>/signup/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:org>/me/", views.request_link, name="request_link"),
    path("<slug:org>/me/<str:token>/", views.me, name="me"),
]

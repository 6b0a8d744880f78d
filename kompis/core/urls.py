from django.urls import path

from kompis.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.switch_language, name="language"),
    path("staff/", views.staff_home, name="staff_home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dev/mail/", views.mail_catcher, name="mail_catcher"),
    path("dev/mail/<str:name>/", views.mail_catcher_message, name="mail_catcher_message"),
]

from django.urls import path

from kompis.core import views

app_name = "core"  # kompis/urls.py adds the staff home (kompis.home) to this namespace
urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.switch_language, name="language"),
    path("healthz/", views.healthz, name="healthz"),
    path("dev/mail/", views.mail_catcher, name="mail_catcher"),
    path("dev/mail/<str:name>/", views.mail_catcher_message, name="mail_catcher_message"),
]

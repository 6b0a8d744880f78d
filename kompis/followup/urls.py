from django.urls import path

from kompis.followup import public_views, views

app_name = "followup"
urlpatterns = [
    path("f/<str:token>/", public_views.answer, name="answer"),
    path("staff/followup/tasks/", views.task_list, name="tasks"),
    path("staff/followup/tasks/<uuid:task_id>/", views.task_detail, name="task"),
    path("staff/followup/matches/<uuid:match_id>/", views.match_timeline, name="match"),
    path("staff/followup/matches/<uuid:match_id>/end/", views.match_end, name="match_end"),
    path("staff/followup/mails/<uuid:mail_id>/resend/", views.mail_resend, name="mail_resend"),
]

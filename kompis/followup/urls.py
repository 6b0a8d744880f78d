from django.urls import path

from kompis.followup import public_views, views
from kompis.worklist import views as worklist_views

app_name = "followup"
urlpatterns = [
    path("f/<str:token>/", public_views.answer, name="answer"),
    # The tasks moved to the work list (/staff/tasks/); their old addresses, in mails and bookmarks, still
    # open the same pages.
    path("staff/followup/tasks/", worklist_views.task_list, name="tasks"),
    path("staff/followup/tasks/<uuid:task_id>/", worklist_views.task_detail, name="task"),
    path("staff/followup/matches/<uuid:match_id>/", views.match_timeline, name="match"),
    path("staff/followup/matches/<uuid:match_id>/end/", views.match_end, name="match_end"),
    path("staff/followup/mails/<uuid:mail_id>/resend/", views.mail_resend, name="mail_resend"),
]

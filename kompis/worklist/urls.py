from django.urls import path

from kompis.worklist import views

app_name = "worklist"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("<uuid:task_id>/", views.task_detail, name="task"),
    path("<uuid:task_id>/assign/", views.task_assign, name="assign"),
]

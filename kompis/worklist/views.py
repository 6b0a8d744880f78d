"""The work list's staff pages: the task list (filtered by kind, region, due date and "mine"), a task's
page (resolve it, take it or give it back to its queue)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.participants.access import visible_people, visible_person
from kompis.worklist import kinds, services, subjects
from kompis.worklist.access import get_task_for_user
from kompis.worklist.forms import ResolveTaskForm
from kompis.worklist.selectors import DUE_CHOICES, TaskFilter, regions_for_filter
from kompis.worklist.selectors import task_list as list_tasks


def _filter(request: StaffRequest) -> tuple[TaskFilter, dict[str, str]]:
    """The list's filter from the query string; unknown values are ignored (the whole list)."""
    params = request.GET
    kind = params.get("kind", "")
    kind = kind if kinds.get(kind) else ""
    regions = {str(r.uid): r for r in regions_for_filter(request.user)}
    region_uid = params.get("region", "")
    region = regions.get(region_uid)
    due = params.get("due", "")
    due = due if due in DUE_CHOICES else ""
    which = TaskFilter(
        done=params.get("show") == "done", kind=kind, region=region, due=due, mine=params.get("mine") == "1"
    )
    chosen = {
        "show": "done" if which.done else "open",
        "kind": kind,
        "region": region_uid if region else "",
        "due": due,
        "mine": "1" if which.mine else "",
    }
    return which, chosen


@people_required
def task_list(request: StaffRequest) -> HttpResponse:
    which, chosen = _filter(request)
    page = Paginator(list_tasks(user=request.user, which=which), 50).get_page(request.GET.get("page"))
    tasks = list(page)
    people = visible_people(request.user, [t.participant for t in tasks if t.participant is not None])
    links = subjects.describe(request.user, tasks)
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return render(
        request,
        "worklist/tasks.html",
        {
            "nav": "tasks",
            "page": page,
            "show": chosen["show"],
            "chosen": chosen,
            "query": query,
            "kinds": kinds.all_kinds(),
            "regions": regions_for_filter(request.user),
            "due_choices": [
                ("overdue", _("Overdue")),
                ("week", _("Due this week")),
                ("later", _("Due later")),
            ],
            "today": timezone.localdate(),
            "rows": [
                {
                    "t": t,
                    "person": people.get(t.participant_id) if t.participant_id else None,
                    "subject": links.get(t.pk),
                }
                for t in tasks
            ],
        },
    )


@people_required
def task_detail(request: StaffRequest, task_id: str) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    form = ResolveTaskForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_task(
                actor=request.user,
                task=task,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The task is done."))
        except services.TaskAlreadyResolved:
            messages.error(request, _("Someone else has already resolved this task."))
        return redirect("worklist:tasks")
    return render(
        request,
        "worklist/task.html",
        {
            "nav": "tasks",
            "task": task,
            "form": form,
            "person": visible_person(request.user, task.participant) if task.participant else None,
            "subject": subjects.describe(request.user, [task]).get(task.pk),
            "panel": subjects.panel(request.user, task),
            "history": history_lines(request.user, history_of(task)[:50]),
            "mine": task.assignee_id == request.user.pk,
        },
    )


@people_required
@require_POST
def task_assign(request: StaffRequest, task_id: str) -> HttpResponse:
    """Take the task ("mine"), or give it back to its queue."""
    task = get_task_for_user(request.user, task_id)
    take = request.POST.get("take") == "1"
    services.assign_task(actor=request.user, task=task, assignee=request.user if take else None)
    messages.success(request, _("The task is yours.") if take else _("The task is back in the queue."))
    return redirect("worklist:task", task_id=task.uid)

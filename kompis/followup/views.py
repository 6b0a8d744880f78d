from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.followup import services
from kompis.followup.access import get_task_for_user, tasks_for_user
from kompis.followup.forms import ResolveTaskForm
from kompis.followup.selectors import (
    answer_rows,
    mail_rows,
    match_mails,
    match_page,
    open_tasks,
    resolved_tasks,
)
from kompis.matching.access import matches_for_user
from kompis.matching.manual import RULE_LABELS
from kompis.outbox.models import OutboxMessage
from kompis.participants.access import participants_for_user, visible_people, visible_person


@people_required
def task_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    qs = resolved_tasks(user=request.user) if show == "done" else open_tasks(user=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    people = visible_people(
        request.user,
        [
            p
            for t in page
            for p in (t.participant, *((t.match.newcomer, t.match.established) if t.match else ()))
        ],
    )
    return render(
        request,
        "followup/tasks.html",
        {
            "nav": "tasks",
            "page": page,
            "show": show,
            "today": timezone.localdate(),
            "rows": [
                {
                    "t": t,
                    "person": people.get(t.participant_id) if t.participant_id else None,
                    "newcomer": people.get(t.match.newcomer_id) if t.match else None,
                    "established": people.get(t.match.established_id) if t.match else None,
                }
                for t in page
            ],
        },
    )


@people_required
def task_detail(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    form = ResolveTaskForm(request.POST or None)
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
        return redirect("followup:tasks")
    page = match_page(request.user, task.match) if task.match else None
    return render(
        request,
        "followup/task.html",
        {
            "nav": "tasks",
            "task": task,
            "form": form,
            "person": visible_person(request.user, task.participant) if task.participant else None,
            "page": page,
            "answers": answer_rows(page, task.match.followups.all()) if page and task.match else [],
        },
    )


def _get_match(request: HttpRequest, match_id: str):  # type: ignore[no-untyped-def]
    match = (
        matches_for_user(request.user).select_related("newcomer", "established").filter(uid=match_id).first()
    )
    if match is None:
        raise Http404("No such match")
    return match


@people_required
def match_timeline(request: HttpRequest, match_id: str) -> HttpResponse:
    match = _get_match(request, match_id)
    page = match_page(request.user, match)
    openable = set(tasks_for_user(request.user).filter(match=match).values_list("pk", flat=True))
    return render(
        request,
        "followup/match.html",
        {
            "nav": "matching",
            "match": match,
            "page": page,
            "history": history_lines(request.user, history_of(match)[:200]),
            "answers": answer_rows(page, match.followups.all()),
            "mails": mail_rows(request.user, match_mails(match)[:50]),
            # a match made by hand: which rules staff overrode, and why (shown to staff, never mailed)
            "overridden": [str(RULE_LABELS.get(code, code)) for code in match.overridden_rules],
            "tasks": [
                {"task": t, "person": page.person(t.participant_id), "open": t.pk in openable}
                for t in match.tasks.all()
            ],
        },
    )


@people_required
@require_POST
def match_end(request: HttpRequest, match_id: str) -> HttpResponse:
    match = _get_match(request, match_id)
    reason = request.POST.get("reason", "").strip() or _("ended by staff")
    services.end_match(actor=request.user, match=match, reason=reason)
    messages.success(request, _("The match has ended."))
    return redirect("followup:match", match_id=match.uid)


@people_required
@require_POST
def mail_resend(request: HttpRequest, mail_id: str) -> HttpResponse:
    mail = (
        OutboxMessage.objects.filter(Q(participant__in=participants_for_user(request.user)), uid=mail_id)
        .select_related("participant")
        .first()
    )
    if mail is None:
        raise Http404("No such mail")
    if services.resend_mail(actor=request.user, message=mail) is None:
        messages.error(request, _("This mail is not sent again: it is to or about someone who has left."))
    else:
        messages.success(request, _("The mail is queued to be sent again."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = (
            reverse("participants:detail", args=[mail.participant.uid]) if mail.participant else "/staff/"
        )
    return redirect(target)

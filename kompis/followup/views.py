from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.followup import services
from kompis.followup.selectors import answer_rows, mail_rows, match_mails, match_page
from kompis.followup.services import MATCH_SUBJECT
from kompis.matching.access import matches_for_user
from kompis.matching.manual import RULE_LABELS
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.participants.access import participants_for_user
from kompis.worklist.access import tasks_for_user
from kompis.worklist.selectors import tasks_about


def _get_match(request: StaffRequest, match_id: str) -> Match:
    match = (
        matches_for_user(request.user).select_related("newcomer", "established").filter(uid=match_id).first()
    )
    if match is None:
        raise Http404("No such match")
    return match


@people_required
def match_timeline(request: StaffRequest, match_id: str) -> HttpResponse:
    match = _get_match(request, match_id)
    page = match_page(request.user, match)
    tasks = tasks_about(MATCH_SUBJECT, str(match.uid))
    openable = set(
        tasks_for_user(request.user).filter(pk__in=[t.pk for t in tasks]).values_list("pk", flat=True)
    )
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
                {"task": t, "person": page.person(t.participant_id), "open": t.pk in openable} for t in tasks
            ],
        },
    )


@people_required
@require_POST
def match_end(request: StaffRequest, match_id: str) -> HttpResponse:
    match = _get_match(request, match_id)
    reason = request.POST.get("reason", "").strip() or _("ended by staff")
    services.end_match(actor=request.user, match=match, reason=reason)
    messages.success(request, _("The match has ended."))
    return redirect("followup:match", match_id=match.uid)


@people_required
@require_POST
def mail_resend(request: StaffRequest, mail_id: str) -> HttpResponse:
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

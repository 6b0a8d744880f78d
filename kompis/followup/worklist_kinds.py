"""What the follow-up adds to the work list (registered in FollowupConfig.ready): its kinds of task, and how
a task about a match or about the mail server is shown (a link to the match's timeline, its answers; the
outbox's figures and the server's last reply)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.followup.models import Answer, CallOutcome, TaskKind, TaskOutcome
from kompis.followup.selectors import answer_rows, match_page
from kompis.followup.services import MATCH_SUBJECT
from kompis.matching.models import Match
from kompis.participants.access import visible_people
from kompis.worklist import kinds, subjects
from kompis.worklist.models import MAIL_SERVER, Task
from kompis.worklist.subjects import Panel, SubjectLink

#: a task about a match: what staff may log after calling
MATCH_OUTCOMES = tuple(TaskOutcome.choices)
#: a task about an address or the mail server: nothing to do to a match
NO_MATCH_OUTCOMES = ((TaskOutcome.NONE.value, TaskOutcome.NONE.label),)
#: a call instead of "did you meet?": the person's answer, the same choices as the mail's links
CALL_ANSWER_OUTCOMES = (
    *Answer.choices,
    (CallOutcome.NOT_REACHED.value, CallOutcome.NOT_REACHED.label),
)
#: a call instead of the introduction
CALL_INTRODUCTION_OUTCOMES = tuple(CallOutcome.choices)

SENTENCES = {
    TaskKind.WILL_NOT_MEET: _("One of the two says they will not meet: call them and decide what happens."),
    TaskKind.NO_ANSWER: _("No answer to the follow-up or the reminder: call and ask whether they met."),
    TaskKind.NOT_MET_AFTER_ROUNDS: _("Still not met after several rounds: call and decide what happens."),
    TaskKind.EMAIL_BOUNCING: _("Mail to this address does not arrive: call and ask for a working address."),
    TaskKind.MAIL_UNDELIVERED: _("Mails have waited for days: check the mail settings."),
    TaskKind.MAIL_SERVER_REFUSES: _("The mail server refuses our mail: check the mail settings."),
    TaskKind.CALL_INTRODUCTION: _(
        "This person has no e-mail address: call and tell them about their match and how to reach each other."
    ),
    TaskKind.CALL_QUESTION: _(
        "This person has no e-mail address: call and ask whether they have met, and log their answer."
    ),
    TaskKind.CALL_REMINDER: _(
        "No answer yet and no e-mail address: call again and ask whether they have met, and log their answer."
    ),
    TaskKind.CALL_PARTNER_LEFT: _(
        "The other person has left, and this person has no e-mail address: call and tell them the match has "
        "ended and that they are first in line for a new one."
    ),
}
ABOUT_A_MATCH = {TaskKind.WILL_NOT_MEET, TaskKind.NO_ANSWER, TaskKind.NOT_MET_AFTER_ROUNDS}


def _matches(tasks: Sequence[Task]) -> dict[str, Match]:
    uids = [t.subject_id for t in tasks if t.subject_type == MATCH_SUBJECT]
    orgs = {t.organisation_id for t in tasks}
    found = Match.objects.filter(uid__in=uids, organisation_id__in=orgs).select_related(
        "newcomer", "established"
    )
    return {str(m.uid): m for m in found}


def describe_matches(user: User, tasks: Sequence[Task]) -> Mapping[int, SubjectLink]:
    """ "Samir – Britt", linked to the match's timeline; first names as the user may see them."""
    matches = _matches(tasks)
    people = visible_people(user, [p for m in matches.values() for p in (m.newcomer, m.established)])
    links: dict[int, SubjectLink] = {}
    for task in tasks:
        match = matches.get(task.subject_id)
        if match is None:
            continue
        names = [people[pk].first_name for pk in (match.newcomer_id, match.established_id)]
        links[task.pk] = SubjectLink(
            label=" – ".join(names), url=reverse("followup:match", kwargs={"match_id": match.uid})
        )
    return links


def match_panel(user: User, task: Task) -> Panel | None:
    """The match's answers, each person as the user may see them (the task is in the user's scope)."""
    match = Match.objects.filter(uid=task.subject_id, organisation_id=task.organisation_id).first()
    if match is None:
        return None
    page = match_page(user, match)
    context: dict[str, object] = {
        "page": page,
        "match": match,
        "answers": answer_rows(page, match.followups.all()),
    }
    if task.kind == TaskKind.CALL_INTRODUCTION and task.participant_id in (
        match.newcomer_id,
        match.established_id,
    ):
        # What the introduction mail would have said about the partner, as the user may see the partner.
        other = page.established if task.participant_id == match.newcomer_id else page.newcomer
        context["other"] = other
        context["other_phone"] = other.participant.phone if other.participant.share_phone else ""
    return Panel(template="followup/_task_match.html", context=context)


def mail_server_panel(user: User, task: Task) -> Panel | None:
    return Panel(
        template="followup/_task_mail_server.html", context={"organisation_id": task.organisation_id}
    )


def _outcomes(kind: TaskKind) -> tuple[tuple[str, kinds.Text], ...]:
    if kind in ABOUT_A_MATCH:
        return MATCH_OUTCOMES
    if kind in (TaskKind.CALL_QUESTION, TaskKind.CALL_REMINDER):
        return CALL_ANSWER_OUTCOMES
    if kind in (TaskKind.CALL_INTRODUCTION, TaskKind.CALL_PARTNER_LEFT):
        return CALL_INTRODUCTION_OUTCOMES
    return NO_MATCH_OUTCOMES


def register_worklist() -> None:
    for kind in TaskKind:
        kinds.register(kind.value, kind.label, SENTENCES[kind], outcomes=_outcomes(kind))
    subjects.register(MATCH_SUBJECT, describe=describe_matches, panel=match_panel)
    subjects.register(MAIL_SERVER, panel=mail_server_panel)

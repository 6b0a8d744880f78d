"""Introductions and the follow-up: every transition of a match after approval is one function here.

The sweep functions are idempotent and claim their rows with conditional updates, so that several
workers, or a sweep that runs late after downtime, never ask twice or create a second task.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kompis.audit.actors import Actor, ParticipantActor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record, record_many
from kompis.core.links import absolute_url
from kompis.core.tokens import make_token
from kompis.followup.models import Answer, CallOutcome, FollowUp, TaskKind, TaskOutcome
from kompis.matching.models import ExcludedPair, ExclusionReason, Match, MatchStatus
from kompis.organisations.models import Organisation
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import ABOUT, Mail, queue_mail, queue_mails
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.names import display_name_for, partner_contact
from kompis.participants.services import self_service_url
from kompis.participants.vocab import Status
from kompis.worklist.models import Task
from kompis.worklist.services import close_moot_tasks, open_task

ANSWER_PURPOSE = "followup.answer"
#: a match in one of these statuses is still waiting for its first meeting
OPEN_STATUSES = (
    MatchStatus.INTRODUCED,
    MatchStatus.FOLLOWUP_ASKED,
    MatchStatus.NOT_YET,
    MatchStatus.NO_ANSWER,
    MatchStatus.WILL_NOT_MEET,
    MatchStatus.ESCALATED,
)
CHUNK = 500

#: how the work list names a task's match (as the audit log names objects)
MATCH_SUBJECT = "matching.match"

#: the actor of the follow-up's sweep and of what a participant's answer sets off
SWEEP = SystemActor("followup.sweep")


def friend_status(person: Participant) -> str:
    """The person's status in friend matching ("" for a person who does not take part in it)."""
    try:
        return person.friend_matching.status
    except FriendParticipation.DoesNotExist:
        return ""


def has_left(person: Participant) -> bool:
    """The person has left friend matching (the follow-up hears and writes nothing more of a match)."""
    return friend_status(person) == Status.WITHDRAWN


def _mailable(person: Participant) -> bool:
    return bool(person.email) and not person.email_bouncing and not has_left(person)


def needs_call(person: Participant) -> bool:
    """A person without an e-mail address (signed up on paper, imported) who still takes part: where a mail
    would go to them, staff get a task to call instead."""
    return not person.email and not has_left(person)


#: the task staff get instead of each mail to a person without an e-mail address (by the mail's template)
CALL_INSTEAD = {
    "introduction": TaskKind.CALL_INTRODUCTION,
    "followup_question": TaskKind.CALL_QUESTION,
    "followup_reminder": TaskKind.CALL_REMINDER,
    "partner_left": TaskKind.CALL_PARTNER_LEFT,
}
#: the kinds of task on whose page staff record the person's answer to "did you meet?"
CALL_QUESTION_KINDS = (TaskKind.CALL_QUESTION, TaskKind.CALL_REMINDER)


def _call_instead(
    *, actor: Actor, match: Match, person: Participant, template: str, when: datetime
) -> Task | None:
    """The task to call a person without an e-mail address instead of mailing them: due the day the mail
    would have gone, in the person's region queue. One open task per question: while a call about "did you
    meet?" is still to be made, its reminder opens no second one (the work list refuses exact duplicates)."""
    kind = CALL_INSTEAD[template]
    if (
        kind in CALL_QUESTION_KINDS
        and Task.objects.about(match).open().filter(participant=person, kind__in=CALL_QUESTION_KINDS).exists()
    ):
        return None
    return open_task(
        actor=actor,
        organisation=match.organisation,
        kind=kind,
        due_on=timezone.localtime(when).date(),
        subject=match,
        participant=person,
        region=person.region,
    )


def _base_context(person: Participant) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "organisation": person.organisation.name,
        "self_service_url": self_service_url(person),
    }


# --- introduction -------------------------------------------------------------------------------


def introduce_match(*, actor: Actor, match: Match) -> None:
    """Queue the introduction to both participants and mark the match introduced (same transaction)."""
    with transaction.atomic():
        pair = ((match.newcomer, match.established), (match.established, match.newcomer))
        now = timezone.now()
        calls = 0
        for me, other in pair:
            if needs_call(me):
                _call_instead(actor=actor, match=match, person=me, template="introduction", when=now)
                calls += 1
                continue
            if not _mailable(me):
                continue
            contact = partner_contact(other, me)
            queue_mail(
                to_email=me.email,
                template="introduction",
                language=me.preferred_language,
                context={
                    **_base_context(me),
                    "other": contact,
                    "mode": match.mode,
                    "kind": match.kind,
                    "other_municipality": other.municipality.name if other.municipality else "",
                    "followup_days": match.organisation.followup_days,
                    ABOUT: [str(other.uid)],
                },
                dedupe_key=f"introduction:{match.uid}:{me.uid}",
                organisation=match.organisation,
                participant=me,
            )
        # A re-matched participant's priority is used up by the new match.
        FriendParticipation.objects.filter(
            pk__in=[match.newcomer_id, match.established_id], rematch_priority=True
        ).update(rematch_priority=False)
        Match.objects.filter(pk=match.pk, status=MatchStatus.APPROVED).update(
            status=MatchStatus.INTRODUCED, introduced_at=now
        )
        match.status, match.introduced_at = MatchStatus.INTRODUCED, now
        record(
            actor=actor,
            action=EventType.FOLLOWUP_INTRODUCED,
            obj=match,
            organisation=match.organisation,
            data={"calls": calls} if calls else None,
        )


# --- follow-up questions --------------------------------------------------------------------------


def answer_url(followup: FollowUp, answer: str) -> str:
    return absolute_url("followup:answer", make_token(ANSWER_PURPOSE, {"f": str(followup.uid), "a": answer}))


def _question(followup: FollowUp, *, kind: str) -> Mail | None:
    """The "did you meet?" mail (or its reminder) for one question, or None if the person gets no mail."""
    person = followup.participant
    if not _mailable(person) or person.unsubscribed_at:
        return None
    match = followup.match
    other = match.established if person.pk == match.newcomer_id else match.newcomer
    return Mail(
        to_email=person.email,
        template=kind,
        language=person.preferred_language,
        context={
            **_base_context(person),
            "other_name": display_name_for(other, person.preferred_language),
            "round": followup.round,
            "answers": {a.value: answer_url(followup, a.value) for a in Answer},
            ABOUT: [str(other.uid)],
        },
        dedupe_key=f"{kind}:{followup.uid}",
        organisation=match.organisation,
        participant=person,
    )


def _asks_by_phone(person: Participant) -> bool:
    """No address to mail "did you meet?" to, and not unsubscribed from the questions: staff call."""
    return needs_call(person) and not person.unsubscribed_at


def _queue_question(followup: FollowUp, *, kind: str, now: datetime) -> None:
    """The question's mail (or reminder), or for a person without an e-mail address a task to call."""
    mail = _question(followup, kind=kind)
    if mail is not None:
        queue_mails([mail])
    elif _asks_by_phone(followup.participant):
        _call_instead(actor=SWEEP, match=followup.match, person=followup.participant, template=kind, when=now)


def _ask(match: Match, person: Participant, round_: int, now: datetime) -> FollowUp | None:
    followup, created = FollowUp.objects.get_or_create(
        match=match, participant=person, round=round_, defaults={"asked_at": now}
    )
    if not created:
        return None
    _queue_question(followup, kind="followup_question", now=now)
    return followup


def ask_due_followups(*, now: datetime) -> int:
    """Ask "did you meet?" of both participants of every match introduced `followup_days` ago."""
    asked = 0
    for organisation in Organisation.objects.all():
        cutoff = now - timedelta(days=organisation.followup_days)
        candidates = (
            Match.objects.filter(
                organisation=organisation, status=MatchStatus.INTRODUCED, introduced_at__lte=cutoff
            )
            .order_by("introduced_at", "id")
            .values_list("id", flat=True)
        )
        asked += _ask_chunks(candidates, now)
    return asked


def _ask_chunks(candidates: Any, now: datetime) -> int:
    asked = 0
    while True:
        ids = list(candidates[:CHUNK])
        if not ids:
            return asked
        with transaction.atomic():
            matches = list(
                Match.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(id__in=ids, status=MatchStatus.INTRODUCED)
                .select_related(
                    "organisation",
                    "newcomer__organisation",
                    "established__organisation",
                    "newcomer__municipality",
                    "established__municipality",
                    "newcomer__friend_matching",
                    "established__friend_matching",
                )
            )
            if not matches:
                return asked
            Match.objects.filter(id__in=[m.id for m in matches]).update(
                status=MatchStatus.FOLLOWUP_ASKED, followup_asked_at=now
            )
            # One statement each for the questions, their mails and the audit events of the whole chunk;
            # the row locks and the status condition above make a second question impossible, and the
            # unique key (match, participant, round) would refuse one anyway.
            questions = [
                FollowUp(match=match, participant=person, round=1, asked_at=now)
                for match in matches
                for person in (match.newcomer, match.established)
            ]
            FollowUp.objects.bulk_create(questions)
            queue_mails([m for q in questions if (m := _question(q, kind="followup_question"))])
            for question in questions:
                if _asks_by_phone(question.participant):
                    _call_instead(
                        actor=SWEEP,
                        match=question.match,
                        person=question.participant,
                        template="followup_question",
                        when=now,
                    )
            record_many(actor=SWEEP, action=EventType.FOLLOWUP_ASKED, objects=matches)
            asked += len(matches)


def _per_organisation_cutoff(field: str, now: datetime) -> Q:
    """`field` is at least the organisation's reminder_days old."""
    q = Q(pk__in=[])
    for org_id, days in Organisation.objects.values_list("id", "reminder_days"):
        q |= Q(match__organisation_id=org_id, **{f"{field}__lte": now - timedelta(days=days)})
    return q


def send_due_reminders(*, now: datetime) -> int:
    """One reminder `reminder_days` after a question that is still unanswered."""
    count = 0
    due = FollowUp.objects.filter(
        _per_organisation_cutoff("asked_at", now),
        answer="",
        reminded_at__isnull=True,
        handled_at__isnull=True,
    ).exclude(match__status__in=[MatchStatus.MET, MatchStatus.ENDED, MatchStatus.RESOLVED])
    for followup in due.select_related(
        "match__organisation",
        "match__newcomer",
        "match__established",
        "participant__organisation",
        "participant__friend_matching",
    ).iterator(chunk_size=CHUNK):
        with transaction.atomic():
            if FollowUp.objects.filter(pk=followup.pk, reminded_at__isnull=True, answer="").update(
                reminded_at=now
            ):
                _queue_question(followup, kind="followup_reminder", now=now)
                count += 1
    return count


def escalate_unanswered(*, now: datetime) -> int:
    """No answer `reminder_days` after the reminder: a task for the coordinator."""
    count = 0
    due = FollowUp.objects.filter(
        _per_organisation_cutoff("reminded_at", now),
        answer="",
        handled_at__isnull=True,
    )
    for followup in due.select_related("match", "participant").iterator(chunk_size=CHUNK):
        with transaction.atomic():
            if not FollowUp.objects.filter(pk=followup.pk, handled_at__isnull=True, answer="").update(
                handled_at=now
            ):
                continue
            match = followup.match
            if match.status in (MatchStatus.MET, MatchStatus.ENDED, MatchStatus.RESOLVED):
                continue
            if not match.followups.filter(answer=Answer.MET).exists():
                _set_status(match, MatchStatus.NO_ANSWER)
                _open_task(match=match, participant=followup.participant, kind=TaskKind.NO_ANSWER, now=now)
                count += 1
    return count


def reask_not_yet(*, now: datetime) -> int:
    """ "Not yet" is asked again after FOLLOWUP_NOT_YET_DAYS; after FOLLOWUP_MAX_ROUNDS it becomes a task."""
    count = 0
    due = FollowUp.objects.filter(
        answer=Answer.NOT_YET,
        handled_at__isnull=True,
        answered_at__lte=now - timedelta(days=settings.FOLLOWUP_NOT_YET_DAYS),
    )
    for followup in due.select_related(
        "match__organisation",
        "match__newcomer",
        "match__established",
        "participant__organisation",
        "participant__friend_matching",
    ).iterator(chunk_size=CHUNK):
        with transaction.atomic():
            if not FollowUp.objects.filter(
                pk=followup.pk, handled_at__isnull=True, answer=Answer.NOT_YET
            ).update(handled_at=now):
                continue
            match = followup.match
            if match.status in (MatchStatus.MET, MatchStatus.ENDED, MatchStatus.RESOLVED):
                continue
            if followup.round < settings.FOLLOWUP_MAX_ROUNDS:
                _ask(match, followup.participant, followup.round + 1, now)
            else:
                _open_task(
                    match=match, participant=followup.participant, kind=TaskKind.NOT_MET_AFTER_ROUNDS, now=now
                )
            count += 1
    return count


def run_followups(*, now: datetime | None = None) -> dict[str, int]:
    """The follow-up sweep (worker, `kompis followups`): catches up after any downtime."""
    now = now or timezone.now()
    return {
        "asked": ask_due_followups(now=now),
        "reminded": send_due_reminders(now=now),
        "reasked": reask_not_yet(now=now),
        "escalated": escalate_unanswered(now=now),
    }


# --- answers ------------------------------------------------------------------------------------


def _set_status(match: Match, status: str) -> None:
    if match.status != status:
        Match.objects.filter(pk=match.pk).update(status=status)
        match.status = status


def _open_task(*, match: Match | None, participant: Participant, kind: str, now: datetime) -> Task | None:
    """A task in the work list about the match (or, without one, about the participant)."""
    task = open_task(
        actor=SWEEP,
        organisation=participant.organisation,
        kind=kind,
        due_on=(timezone.localtime(now) + timedelta(days=settings.TASK_DUE_DAYS)).date(),
        subject=match if match is not None else participant,
        participant=participant,
        region=participant.region,
    )
    if task is not None and match is not None and match.status not in (MatchStatus.MET,):
        _set_status(match, MatchStatus.ESCALATED)
    return task


def record_answer(
    *, followup: FollowUp, answer: str, now: datetime | None = None, by_phone: Actor | None = None
) -> bool:
    """A participant's answer, sent by pressing the button on the answer page (never by opening the link),
    or told on the phone and recorded by staff (`by_phone`: the staff user, audited as the actor with
    `{"by": "phone"}`); either counts the same.

    The same answer again changes nothing (False). A different answer from the same person replaces the
    earlier one: the latest deliberate answer counts, and the audit log keeps every answer (the match's
    timeline shows them). A person who has left is not heard any more (False). A match is never both
    "met" and the subject of an open "will not meet" task: "met" resolves such tasks, and "will not meet"
    takes the match out of "met" unless the partner's own latest answer is "met".
    """
    if answer not in Answer.values:
        raise ValueError(answer)
    now = now or timezone.now()
    with transaction.atomic():
        followup = (
            FollowUp.objects.select_for_update().select_related("match", "participant").get(pk=followup.pk)
        )
        if followup.answer == answer or has_left(followup.participant):
            return False
        previous = followup.answer
        FollowUp.objects.filter(pk=followup.pk).update(answer=answer, answered_at=now, handled_at=None)
        followup.answer, followup.answered_at = answer, now
        match = Match.objects.select_for_update().get(pk=followup.match_id)
        data: dict[str, str | int] = {
            "answer": answer,
            "previous": previous,
            "participant": str(followup.participant.uid),
            "round": followup.round,
        }
        if by_phone is not None:
            data["by"] = "phone"
        record(
            actor=by_phone if by_phone is not None else ParticipantActor(followup.participant_id),
            action=EventType.FOLLOWUP_ANSWERED,
            obj=match,
            organisation=match.organisation,
            data=data,
        )
        if match.status in (MatchStatus.ENDED, MatchStatus.RESOLVED):
            return True
        person = followup.participant
        if answer == Answer.MET:
            _mark_met(match, now=now)
            return True
        # This person no longer says "met": the match stays met only if the partner says so.
        partner_says_met = _partner_says_met(match, person)
        if previous == Answer.MET and not partner_says_met:
            Match.objects.filter(pk=match.pk).update(met_at=None)
            match.met_at = None
        if answer == Answer.WILL_NOT_MEET:
            FollowUp.objects.filter(pk=followup.pk).update(handled_at=now)
            _set_status(match, MatchStatus.WILL_NOT_MEET)
            _open_task(match=match, participant=person, kind=TaskKind.WILL_NOT_MEET, now=now)
            return True
        # "Not yet": an earlier "will not meet" of this person is taken back.
        close_moot_tasks(
            Task.objects.about(match).filter(participant=person, kind=TaskKind.WILL_NOT_MEET),
            actor=SWEEP,
            outcome=TaskOutcome.NONE,
            now=now,
            because=answer,
        )
        if partner_says_met:
            _set_status(match, MatchStatus.MET)
        else:
            taken_back = (
                previous in (Answer.MET, Answer.WILL_NOT_MEET)
                and not Task.objects.about(match).open().exists()
            )
            if taken_back or match.status in (
                MatchStatus.FOLLOWUP_ASKED,
                MatchStatus.INTRODUCED,
                MatchStatus.NO_ANSWER,
            ):
                _set_status(match, MatchStatus.NOT_YET)
        return True


def _partner_says_met(match: Match, person: Participant) -> bool:
    """The latest answer of the other participant of the match is "met"."""
    latest = (
        FollowUp.objects.filter(match=match)
        .exclude(participant=person)
        .exclude(answer="")
        .order_by("-answered_at", "-id")
        .values_list("answer", flat=True)
        .first()
    )
    return latest == Answer.MET


def save_comment(*, followup: FollowUp, comment: str) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(comment=comment[:2000])
    record(
        actor=ParticipantActor(followup.participant_id),
        action=EventType.FOLLOWUP_COMMENTED,
        obj=followup.match,
        organisation=followup.match.organisation,
    )


def _mark_met(match: Match, *, now: datetime) -> None:
    if match.met_at is None:
        Match.objects.filter(pk=match.pk).update(met_at=now)
        match.met_at = now
    _set_status(match, MatchStatus.MET)
    # Every open task of the match is moot now, "will not meet" too: they have met, the latest word.
    close_moot_tasks(
        Task.objects.about(match), actor=SWEEP, outcome=TaskOutcome.MET, now=now, because=Answer.MET
    )


# --- staff -------------------------------------------------------------------------------------


def on_task_resolved(*, task: Task, outcome: str, actor: Actor, **_: object) -> None:
    """Staff logged the outcome of a task about a match (the work list's `task_resolved`, same transaction):
    met after all, re-match (back to the pool with priority), close, or no change."""
    if task.subject_type != MATCH_SUBJECT:
        return
    match = Match.objects.select_for_update().filter(uid=task.subject_id).first()
    if match is None:
        return
    if task.kind in CALL_QUESTION_KINDS:
        _answer_by_phone(task=task, match=match, answer=outcome, actor=actor)
        return
    if task.kind in CALL_INSTEAD.values():
        return  # told, or not reached: the follow-up goes on as it would after the mail
    if outcome == TaskOutcome.MET:
        _mark_met(match, now=task.resolved_at or timezone.now())
    elif outcome == TaskOutcome.REMATCH:
        end_match(
            actor=actor, match=match, reason="re-match", return_to_pool=True, priority_for=task.participant
        )
    elif outcome == TaskOutcome.CLOSE:
        end_match(actor=actor, match=match, reason="closed by staff", return_to_pool=False)


def _answer_by_phone(*, task: Task, match: Match, answer: str, actor: Actor) -> None:
    """Staff called instead of mailing "did you meet?" and log what the person said: recorded on the person's
    latest question exactly as a clicked answer (same row, same consequences). Not reached: nothing changes,
    the reminder and the escalation follow as for an unanswered mail."""
    if answer == CallOutcome.NOT_REACHED or answer not in Answer.values or task.participant_id is None:
        return
    followup = (
        FollowUp.objects.filter(match=match, participant_id=task.participant_id)
        .order_by("-round", "-id")
        .first()
    )
    if followup is not None:
        record_answer(followup=followup, answer=answer, now=task.resolved_at, by_phone=actor)


#: reasons the code itself gives for ending a match (not staff's words): these may go into the audit log
CODED_END_REASONS = frozenset({"withdrew", "re-match", "closed by staff"})


def end_match(
    *,
    actor: Actor,
    match: Match,
    reason: str,
    return_to_pool: bool = False,
    priority_for: Participant | None = None,
) -> None:
    """End a match. Its pair is never proposed again. With `return_to_pool` both go back to waiting,
    `priority_for` first in line; otherwise a participant with no other match is paused for staff to decide."""
    with transaction.atomic():
        if (
            not Match.objects.filter(pk=match.pk)
            .exclude(status=MatchStatus.ENDED)
            .update(status=MatchStatus.ENDED, ended_at=timezone.now(), end_reason=reason[:500])
        ):
            return
        match.status = MatchStatus.ENDED
        ExcludedPair.objects.get_or_create(
            newcomer_id=match.newcomer_id,
            established_id=match.established_id,
            defaults={
                "organisation": match.organisation,
                "reason": ExclusionReason.PREVIOUS_MATCH,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        friends = (
            FriendParticipation.objects.select_for_update(of=("self",))
            .filter(pk__in=[match.newcomer_id, match.established_id])
            .select_related("participant")
        )
        for friend in friends:
            if (
                friend.status != Status.MATCHED
                or Match.objects.active()
                .filter(Q(newcomer_id=friend.pk) | Q(established_id=friend.pk))
                .exists()
            ):
                continue
            friend.status = Status.WAITING if return_to_pool else Status.PAUSED
            if return_to_pool and priority_for is not None and friend.pk == priority_for.pk:
                friend.rematch_priority = True
            friend.save(update_fields=["status", "rematch_priority", "updated_at"])
            record(
                actor=actor,
                action=EventType.PARTICIPANT_BACK_TO_POOL if return_to_pool else EventType.PARTICIPANT_PAUSED,
                obj=friend.participant,
                data={"match": str(match.uid), "after_match_end": True},
            )
        # Staff's own words stay on the match (end_reason), where an erasure reaches them; the history shows
        # them from there. Only the coded reasons go into the append-only log.
        coded = reason in CODED_END_REASONS
        record(
            actor=actor,
            action=EventType.FOLLOWUP_MATCH_ENDED,
            obj=match,
            organisation=match.organisation,
            data={"reason": reason.replace(" ", "_")} if coded else {"reason_on_match": True},
        )


def left_people_in(message: OutboxMessage) -> bool:
    """Is the mail to, or about, someone who has left? (Then no copy of it may go out.)"""
    people = {str(uid) for uid in (message.context or {}).get(ABOUT, [])}
    if message.participant is not None:
        people.add(str(message.participant.uid))
    return Participant.objects.filter(uid__in=people, friend_matching__status=Status.WITHDRAWN).exists()


def resend_mail(*, actor: Actor, message: OutboxMessage) -> OutboxMessage | None:
    """Send a copy of a mail again (new Message-ID), e.g. after the participant fixed their address.
    None (nothing queued) when the mail is to or about someone who has left (issue 10 §3)."""
    if left_people_in(message):
        return None
    with transaction.atomic():
        copies = OutboxMessage.objects.filter(dedupe_key__startswith=f"resend:{message.uid}:").count()
        copy = queue_mail(
            to_email=message.participant.email if message.participant else message.to_email,
            template=message.template,
            language=message.language,
            context=message.context,
            dedupe_key=f"resend:{message.uid}:{copies + 1}",
            organisation=message.organisation,
            participant=message.participant,
        )
        if message.participant is not None:
            record(
                actor=actor,
                action=EventType.OUTBOX_RESENT,
                obj=message.participant,
                data={"template": message.template, "mail": str(message.uid)},
            )
        return copy


def on_mail_bounced(*, participant_id: int, message: OutboxMessage, **_: Any) -> None:
    """The server refuses a participant's address: a task for the coordinator to find a working one."""
    person = Participant.objects.select_related("organisation", "region").filter(pk=participant_id).first()
    if person is None:
        return
    with transaction.atomic():
        _open_task(match=None, participant=person, kind=TaskKind.EMAIL_BOUNCING, now=timezone.now())

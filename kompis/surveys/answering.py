"""Answering one invitation: the page flow, checking a page, partial answers, submitting, and writing the
anonymous responses of a wave in shuffled batches.

Pages. A survey's pages are the distinct `Question.page` numbers in order; the person is on the n-th of them
(`Invitation.page`, 1-based). A question shows when it has no condition, or when the question it depends on
shows and has the given answer (evaluated here, on the server: the pages work without JavaScript). A page
with no question showing is skipped. When an answer on a page makes another question of the same page show,
the page is shown again with it ("more") instead of moving on.

Anonymous waves. Submitting marks the invitation used (no time), clears its partial answers, and puts the
answers in `AnonymousPending` (no token, no person, no time). `flush_anonymous` writes the waiting answers
of a wave to `AnonymousResponse` in an order drawn by `random.SystemRandom`, with the day only, once at least
`Survey.k_min` are waiting (or, forced, when the wave closes), and deletes them from the waiting table.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.audit.actors import ParticipantActor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.core.sweeps import register
from kompis.surveys.models import (
    AnonymousPending,
    AnonymousResponse,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    Wave,
    WaveStatus,
)

#: the actor of an anonymous submission: names no person
RESPONDENT = SystemActor("surveys.respondent")
FLUSH_ACTOR = SystemActor("surveys.flush")
TEXT_MAX = 5000
Answers = dict[str, Any]
Status = Literal["invalid", "more", "page", "submitted", "used", "closed"]


@dataclass
class Outcome:
    """What became of a page that was sent: its errors ({code: message}) and the page to show next."""

    status: Status
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)
    posted: Answers = field(default_factory=dict)


# --- the survey's structure -----------------------------------------------------------------------------


def survey_questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(survey=survey).prefetch_related("options").order_by("page", "position", "id")
    )


def page_numbers(questions: Sequence[Question]) -> list[int]:
    return sorted({q.page for q in questions})


def _matches(value: Any, wanted: str) -> bool:
    if value is None or value == "" or value == []:
        return False
    if isinstance(value, list):
        return wanted in [str(v) for v in value]
    if isinstance(value, bool):
        return ("yes" if value else "no") == wanted
    if isinstance(value, int | float):
        try:
            return float(wanted.replace(",", ".")) == float(value)
        except ValueError:
            return False
    return str(value) == wanted


def is_shown(question: Question, answers: Mapping[str, Any], by_id: Mapping[int, Question]) -> bool:
    """Whether a question shows, given the answers so far (its condition, and its condition's, …)."""
    seen: set[int] = set()
    current = question
    while current.show_if_id is not None and current.pk not in seen:
        seen.add(current.pk)
        parent = by_id.get(current.show_if_id)
        if parent is None:
            return True
        if not _matches(answers.get(parent.code), current.show_if_value):
            return False
        current = parent
    return True


def shown_on_page(questions: Sequence[Question], page: int, answers: Mapping[str, Any]) -> list[Question]:
    """The questions showing on page `page` (1-based among the survey's pages)."""
    pages = page_numbers(questions)
    if not 1 <= page <= len(pages):
        return []
    by_id = {q.pk: q for q in questions}
    return [q for q in questions if q.page == pages[page - 1] and is_shown(q, answers, by_id)]


def next_page(questions: Sequence[Question], page: int, answers: Mapping[str, Any]) -> int | None:
    """The next page after `page` with a question showing, or None (`page` is the last)."""
    for candidate in range(page + 1, len(page_numbers(questions)) + 1):
        if shown_on_page(questions, candidate, answers):
            return candidate
    return None


def previous_page(questions: Sequence[Question], page: int, answers: Mapping[str, Any]) -> int | None:
    for candidate in range(page - 1, 0, -1):
        if shown_on_page(questions, candidate, answers):
            return candidate
    return None


def first_page(questions: Sequence[Question], answers: Mapping[str, Any]) -> int:
    return next_page(questions, 0, answers) or 1


def pruned(questions: Sequence[Question], answers: Mapping[str, Any]) -> Answers:
    """The answers of questions that still show (an answer changed can hide later questions)."""
    by_id = {q.pk: q for q in questions}
    known = {q.code: q for q in questions}
    kept = {code: value for code, value in answers.items() if code in known}
    while True:
        hidden = [code for code in kept if not is_shown(known[code], kept, by_id)]
        if not hidden:
            return kept
        for code in hidden:
            del kept[code]


# --- checking a page ------------------------------------------------------------------------------------


def _number(raw: str) -> int | float:
    text = raw.strip().replace(" ", "").replace("\u2212", "-").replace(",", ".")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return int(value) if value.is_integer() and "." not in text else value


def read_answer(question: Question, raw: Sequence[str]) -> tuple[Any, str]:
    """(value, "") for what was sent for one question, (None, "") when nothing was, or (None, message)."""
    values = [v.strip() for v in raw if v.strip()]
    if not values:
        return None, ""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        codes = {o.code for o in question.options.all()}
        if any(v not in codes for v in values):
            return None, _("Choose one of the answers shown.")
        if kind == QuestionKind.SINGLE:
            return values[0], ""
        return [o.code for o in question.options.all() if o.code in values], ""
    value = values[0]
    if kind in (QuestionKind.LIKERT5, QuestionKind.LIKERT7):
        top = 5 if kind == QuestionKind.LIKERT5 else 7
        if value not in {str(i) for i in range(1, top + 1)}:
            return None, _("Choose a point on the scale.")
        return int(value), ""
    if kind == QuestionKind.YES_NO:
        if value not in ("yes", "no"):
            return None, _("Choose yes or no.")
        return value, ""
    if kind == QuestionKind.NUMBER:
        try:
            return _number(value), ""
        except ValueError:
            return None, _("Write a number, for example 12.")
    if kind == QuestionKind.DATE:
        try:
            return date.fromisoformat(value).isoformat(), ""
        except ValueError:
            return None, _("Write a date as year-month-day, for example 2026-09-01.")
    if len(value) > TEXT_MAX:
        return None, _("Write at most %(count)d characters.") % {"count": TEXT_MAX}
    return value, ""


def read_page(
    questions: Sequence[Question], posted: Mapping[str, Sequence[str]], *, required: bool
) -> tuple[Answers, set[str], dict[str, str]]:
    """(answers given, codes left empty, errors) for the questions of a page as sent (`q-<code>` fields)."""
    given: Answers = {}
    empty: set[str] = set()
    errors: dict[str, str] = {}
    for question in questions:
        value, error = read_answer(question, posted.get(f"q-{question.code}", []))
        if error:
            errors[question.code] = error
        elif value is None:
            empty.add(question.code)
            if required and question.required:
                errors[question.code] = _("This question needs an answer.")
        else:
            given[question.code] = value
    return given, empty, errors


# --- the invitation's state -----------------------------------------------------------------------------


def wave_is_open(wave: Wave, *, now: datetime | None = None) -> bool:
    """Whether a wave's links take answers: not closed, between its opening and closing, survey open."""
    now = now or timezone.now()
    return (
        wave.status != WaveStatus.CLOSED
        and wave.survey.status == SurveyStatus.OPEN
        and wave.opens_at <= now < wave.closes_at
    )


def current_page(invitation: Invitation, questions: Sequence[Question]) -> int:
    """The page the person is on (the saved one, or the nearest earlier page that still shows)."""
    answers = invitation.partial or {}
    count = len(page_numbers(questions))
    page = min(max(invitation.page, 1), max(count, 1))
    if shown_on_page(questions, page, answers):
        return page
    return previous_page(questions, page, answers) or first_page(questions, answers)


@transaction.atomic
def answer_page(
    *,
    invitation: Invitation,
    page: int,
    posted: Mapping[str, Sequence[str]],
    back: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Take one page as sent: keep its answers on the invitation, move on, or submit after the last page.

    The page's questions are those showing with the answers kept so far; a question that an answer on the
    same page makes show is shown before moving on. `back`: keep the valid answers and go to the page before.
    """
    locked = Invitation.objects.select_for_update().select_related("wave__survey").get(pk=invitation.pk)
    if locked.used:
        return Outcome("used")
    wave = locked.wave
    if not wave_is_open(wave, now=now):
        return Outcome("closed")
    questions = survey_questions(wave.survey)
    if not 1 <= page <= len(page_numbers(questions)):
        page = current_page(locked, questions)
    answers: Answers = dict(locked.partial or {})
    on_page = shown_on_page(questions, page, answers)
    given, empty, errors = read_page(on_page, posted, required=not back)
    answers.update(given)
    for code in empty:
        answers.pop(code, None)
    answers = pruned(questions, answers)
    # a question hidden again by an answer on the same page needs no answer
    now_shown = {q.code for q in shown_on_page(questions, page, answers)}
    errors = {code: message for code, message in errors.items() if code in now_shown}
    if back:
        target = previous_page(questions, page, answers) or page
        _save(locked, answers, target)
        return Outcome("page", page=target)
    if errors:
        _save(locked, answers, page)
        return Outcome("invalid", page=page, errors=errors, posted=dict(posted))
    if now_shown - {q.code for q in on_page}:  # an answer here made another question of the page show
        _save(locked, answers, page)
        return Outcome("more", page=page)
    following = next_page(questions, page, answers)
    if following is not None:
        _save(locked, answers, following)
        return Outcome("page", page=following)
    _submit(locked, answers, now=now or timezone.now())
    return Outcome("submitted")


def _save(invitation: Invitation, answers: Answers, page: int) -> None:
    invitation.partial = answers
    invitation.page = page
    invitation.save(update_fields=["partial", "page"])


def _submit(invitation: Invitation, answers: Answers, *, now: datetime) -> None:
    wave = invitation.wave
    if wave.survey.anonymous:
        AnonymousPending.objects.create(wave=wave, answers=answers)
        # all an anonymous wave keeps of the link: that it was used (no time, no answers, no page)
        invitation.used = True
        invitation.partial = {}
        invitation.page = 1
        invitation.save(update_fields=["used", "partial", "page"])
        # No audit row per anonymous submission: its exact time (and, on PostgreSQL, its transaction id)
        # would join the invitation; the batch's event counts the submissions instead.
        flush_anonymous(wave)
        return
    Response.objects.create(
        wave=wave,
        invitation=invitation,
        participant_id=invitation.participant_id,
        answers=answers,
        started_at=invitation.invited_at,
        submitted_at=now,
    )
    invitation.used = True
    invitation.submitted_at = now
    invitation.partial = {}
    invitation.save(update_fields=["used", "submitted_at", "partial"])
    record(
        actor=ParticipantActor(invitation.participant_id),
        action=EventType.SURVEY_RESPONSE_SUBMITTED,
        obj=wave,
        organisation=wave.survey.organisation,
        data={"wave": str(wave.uid), "participant": invitation.participant_id},
    )


# --- anonymous batches ----------------------------------------------------------------------------------


@transaction.atomic
def flush_anonymous(wave: Wave, *, force: bool = False, rng: random.Random | None = None) -> int:
    """Write the wave's waiting anonymous answers as responses in a shuffled order, once at least k are
    waiting (or always when `force`d: the wave has closed). Returns how many were written."""
    locked = Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    waiting = list(AnonymousPending.objects.select_for_update().filter(wave=locked))
    if not waiting or (len(waiting) < locked.survey.k_min and not force):
        return 0
    (rng or random.SystemRandom()).shuffle(waiting)
    day = timezone.localdate()
    AnonymousResponse.objects.bulk_create(
        [AnonymousResponse(id=uuid.uuid4(), wave=locked, day=day, answers=w.answers) for w in waiting]
    )
    AnonymousPending.objects.filter(pk__in=[w.pk for w in waiting]).delete()
    # Touch every used invitation of the wave in this transaction, so that their row versions (PostgreSQL's
    # xmin) are the batch's and no longer tell when, or in which order, each person submitted.
    Invitation.objects.filter(wave=locked, used=True).update(used=True)
    record(
        actor=FLUSH_ACTOR,
        action=EventType.SURVEY_ANONYMOUS_BATCH_WRITTEN,
        obj=locked,
        organisation=locked.survey.organisation,
        data={"wave": str(locked.uid), "count": len(waiting), "forced": force},
    )
    return len(waiting)


def flush_closed(*, now: datetime | None = None) -> int:
    """Write what is waiting in every closed anonymous wave, however few (the wave takes no more)."""
    now = now or timezone.now()
    waiting = AnonymousPending.objects.values("wave_id")
    waves = Wave.objects.filter(Q(status=WaveStatus.CLOSED) | Q(closes_at__lte=now), id__in=waiting)
    return sum(flush_anonymous(wave, force=True) for wave in waves)


@register("surveys.flush_closed")
def _sweep_flush_closed(now: datetime) -> int:
    return flush_closed(now=now)

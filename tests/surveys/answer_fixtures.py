"""Helpers of the answering tests: a two-page survey (a condition on page 1, a question on page 2 shown
only for some answers), an open wave, and invitations made directly with a token's hash."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kompis.surveys.models import (
    Invitation,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
    Wave,
    WaveKind,
    WaveStatus,
)
from kompis.surveys.tokens import new_token
from tests.factories import ParticipantFactory

LANGUAGES = ["sv", "en", "ar", "uk"]


def _t(en: str, ar: str = "", uk: str = "", sv: str = "") -> dict[str, Any]:
    return {"en": en, "ar": ar or f"ع {en}", "uk": uk or f"у {en}", "sv": sv or f"sv {en}"}


def _q(
    survey: Survey, code: str, kind: str, page: int, position: int, text: dict[str, Any], **extra: Any
) -> Question:
    texts = {lang: {"text": value} for lang, value in text.items()}
    return Question.objects.create(
        survey=survey, code=code, kind=kind, page=page, position=position, texts=texts, **extra
    )


def two_page_survey(world: Any, *, anonymous: bool = False, k_min: int = 5) -> Survey:
    """Page 1: has_job (yes/no, required), hours (number, shown when has_job = yes), lessons (multiple).
    Page 2: satisfied (Likert 5, required), started (date), comment (free text)."""
    survey = Survey.objects.create(
        organisation=world.org,
        name="Final survey",
        texts={
            "en": {"title": "After the programme", "intro": "A few questions."},
            "ar": {"title": "بعد البرنامج"},
            "uk": {"title": "Після програми"},
            "sv": {"title": "Efter programmet"},
        },
        languages=LANGUAGES,
        anonymous=anonymous,
        k_min=k_min,
        status=SurveyStatus.OPEN,
    )
    has_job = _q(
        survey,
        "has_job",
        QuestionKind.YES_NO,
        1,
        1,
        _t("Do you have a job?", "هل لديك عمل؟", "Чи маєте ви роботу?"),
        required=True,
    )
    _q(
        survey,
        "hours",
        QuestionKind.NUMBER,
        1,
        2,
        _t("Hours a week?", "كم ساعة في الأسبوع؟", "Скільки годин на тиждень?"),
        show_if=has_job,
        show_if_value="yes",
        required=True,
    )
    lessons = _q(
        survey, "lessons", QuestionKind.MULTIPLE, 1, 3, _t("Which lessons?", "أي دروس؟", "Які уроки?")
    )
    for i, code in enumerate(["swedish", "english"]):
        Option.objects.create(
            question=lessons, code=code, position=i, texts=_t(code.title(), f"ع{code}", f"у{code}")
        )
    _q(
        survey,
        "satisfied",
        QuestionKind.LIKERT5,
        2,
        1,
        _t("How satisfied are you?", "ما مدى رضاك؟", "Наскільки ви задоволені?"),
        required=True,
    )
    _q(survey, "started", QuestionKind.DATE, 2, 2, _t("When did you start?", "متى بدأت؟", "Коли ви почали?"))
    _q(survey, "comment", QuestionKind.TEXT, 2, 3, _t("Anything else?", "شيء آخر؟", "Ще щось?"))
    return survey


def open_wave(survey: Survey, **extra: Any) -> Wave:
    now = timezone.now()
    fields: dict[str, Any] = {
        "name": "Final",
        "kind": WaveKind.FINAL,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=14),
        "status": WaveStatus.OPEN,
    }
    fields.update(extra)
    return Wave.objects.create(survey=survey, **fields)


def invite(
    wave: Wave, participant: Any = None, *, language: str = "en", world: Any = None
) -> tuple[str, Invitation]:
    if participant is None:
        participant = ParticipantFactory(
            organisation=wave.survey.organisation, region=world.uppsala if world else None
        )
    token, token_hash = new_token()
    invitation = Invitation.objects.create(
        wave=wave, participant=participant, token_hash=token_hash, language=language
    )
    return token, invitation

"""Demo surveys (issue #14), written as rows directly (no mails, no audit events), as the services would leave them.

* The Ukraine programme's ANONYMOUS final survey: one final wave per finished cohort; each of the 118
  completed mentees has one invitation (a random token's SHA-256; the token itself is thrown away), 94 of
  them used (no time kept). The 94 `AnonymousResponse` rows carry the wave's closing day only and are written
  in shuffled order. Of the 94: 27 % had a job (25), 66 % had applied to education (62), 84 % had started
  Swedish lessons (79): the nearest integer of share x 94 (25.38, 62.04, 78.96). Plus a five-point
  "How satisfied are you with the programme?".
* The Uppsala professional mentorship's IDENTIFIED baseline (at the cohort's start, closed) and final wave
  (open now): a five-point "How confident are you in finding work in Sweden?" and "Do you have a job?",
  answered by the same mentees, so that the pairs show a clear change (confidence up, more with a job).

The yes/no questions come from the organisation's question bank, each with the indicator it measures.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kompis.demo.cohorts import at
from kompis.demo.programmes import UKRAINE, UPPSALA
from kompis.organisations.models import Organisation
from kompis.participants.models import Participant
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Role
from kompis.surveys.models import (
    AnonymousResponse,
    BankQuestion,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    Wave,
    WaveKind,
    WaveStatus,
)

LANGUAGES = ["sv", "en", "uk", "ar"]
UKRAINE_SURVEY = "Ukraine programme: final survey"
UPPSALA_SURVEY = "Professional mentorship Uppsala: before and after"
UKRAINE_RESPONDED = 94
#: yes/no question code -> share of the respondents answering yes
UKRAINE_SHARES = {"has_job": 0.27, "applied_education": 0.66, "started_swedish": 0.84}

YES_NO: dict[str, tuple[dict[str, str], str]] = {
    "has_job": (
        {
            "sv": "Har du ett arbete?",
            "en": "Do you have a job?",
            "uk": "Чи маєте ви роботу?",
            "ar": "هل لديك عمل؟",
        },
        "Share of participants in work",
    ),
    "applied_education": (
        {
            "sv": "Har du sökt till en utbildning?",
            "en": "Have you applied to an education?",
            "uk": "Чи подавали ви заявку на навчання?",
            "ar": "هل تقدمت بطلب للالتحاق بالتعليم؟",
        },
        "Share of participants who applied to education",
    ),
    "started_swedish": (
        {
            "sv": "Har du börjat läsa svenska?",
            "en": "Have you started Swedish lessons?",
            "uk": "Чи почали ви вивчати шведську мову?",
            "ar": "هل بدأت دروس اللغة السويدية؟",
        },
        "Share of participants who started Swedish lessons",
    ),
}
LIKERT: dict[str, dict[str, dict[str, str]]] = {
    "satisfied": {
        "sv": {"text": "Hur nöjd är du med programmet?", "low": "Inte alls nöjd", "high": "Mycket nöjd"},
        "en": {"text": "How satisfied are you with the programme?", "low": "Not at all", "high": "Very"},
        "uk": {"text": "Наскільки ви задоволені програмою?", "low": "Зовсім ні", "high": "Дуже"},
        "ar": {"text": "ما مدى رضاك عن البرنامج؟", "low": "غير راضٍ إطلاقًا", "high": "راضٍ جدًا"},
    },
    "confidence": {
        "sv": {
            "text": "Hur säker känner du dig på att hitta arbete i Sverige?",
            "low": "Inte alls",
            "high": "Mycket",
        },
        "en": {
            "text": "How confident are you in finding work in Sweden?",
            "low": "Not at all",
            "high": "Very",
        },
        "uk": {
            "text": "Наскільки ви впевнені, що знайдете роботу у Швеції?",
            "low": "Зовсім ні",
            "high": "Дуже",
        },
        "ar": {"text": "ما مدى ثقتك في إيجاد عمل في السويد؟", "low": "غير واثق إطلاقًا", "high": "واثق جدًا"},
    },
}
TITLES = {
    UKRAINE_SURVEY: {
        "sv": "Slutenkät",
        "en": "Final survey",
        "uk": "Підсумкове опитування",
        "ar": "الاستبيان النهائي",
    },
    UPPSALA_SURVEY: {"sv": "Enkät", "en": "Survey", "uk": "Опитування", "ar": "استبيان"},
}


def _token_hash() -> str:
    """A random link token's SHA-256: the token is not kept anywhere, as in a sent invitation."""
    return hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()


def _bank(org: Organisation) -> dict[str, BankQuestion]:
    rows = [
        BankQuestion(
            organisation=org,
            code=code,
            kind=QuestionKind.YES_NO,
            texts={lang: {"text": text} for lang, text in texts.items()},
            indicator=indicator,
        )
        for code, (texts, indicator) in YES_NO.items()
    ]
    return {b.code: b for b in BankQuestion.objects.bulk_create(rows)}


def _survey(org: Organisation, name: str, *, anonymous: bool, **values: Any) -> Survey:
    return Survey.objects.create(
        organisation=org,
        name=name,
        texts={lang: {"title": TITLES[name][lang], "intro": "", "thanks": ""} for lang in LANGUAGES},
        languages=LANGUAGES,
        anonymous=anonymous,
        status=SurveyStatus.CLOSED if anonymous else SurveyStatus.OPEN,
        **values,
    )


def _questions(survey: Survey, codes: list[str], bank: dict[str, BankQuestion]) -> None:
    rows = []
    for position, code in enumerate(codes):
        if code in YES_NO:
            kind, texts = QuestionKind.YES_NO, {k: {"text": v} for k, v in YES_NO[code][0].items()}
        else:
            kind, texts = QuestionKind.LIKERT5, LIKERT[code]
        rows.append(
            Question(
                survey=survey,
                code=code,
                kind=kind,
                position=position,
                required=True,
                texts=texts,
                bank_question=bank.get(code),
            )
        )
    Question.objects.bulk_create(rows)


def _language(person: Participant) -> str:
    return person.preferred_language if person.preferred_language in LANGUAGES else "en"


def _mentees(cohort: Cohort, status: str | None = None) -> list[Participant]:
    enrolments = Enrolment.objects.filter(cohort=cohort, role=Role.MENTEE).select_related("participant")
    if status:
        enrolments = enrolments.filter(status=status)
    else:
        enrolments = enrolments.exclude(status=EnrolmentStatus.WAITING)
    return [e.participant for e in enrolments.order_by("participant_id")]


def _yes_no_column(rng: random.Random, share: float, n: int) -> list[str]:
    yes = round(share * n)
    column = ["yes"] * yes + ["no"] * (n - yes)
    rng.shuffle(column)
    return column


def _ukraine(rng: random.Random, org: Organisation, bank: dict[str, BankQuestion], today: date) -> int:
    cohorts = [c for c in Cohort.objects.filter(programme__name=UKRAINE, programme__organisation=org)]
    survey = _survey(org, UKRAINE_SURVEY, anonymous=True)
    _questions(survey, [*YES_NO, "satisfied"], bank)
    invited: list[tuple[Wave, Participant]] = []
    for cohort in cohorts:
        people = _mentees(cohort, EnrolmentStatus.COMPLETED)
        if not people:
            continue
        completed = Enrolment.objects.filter(
            cohort=cohort, status=EnrolmentStatus.COMPLETED, role=Role.MENTEE
        )
        last = max(d for d in completed.values_list("completed_at", flat=True) if d is not None)
        opens = min(timezone.localdate(last) + timedelta(days=1), today - timedelta(days=30))
        wave = Wave.objects.create(
            survey=survey,
            name=f"{cohort.name}: final",
            kind=WaveKind.FINAL,
            cohort=cohort,
            opens_at=at(opens, 9),
            closes_at=at(opens + timedelta(days=21), 23),
            status=WaveStatus.CLOSED,
        )
        invited += [(wave, person) for person in people]
    # 94 of 118 (a smaller demo: the same share)
    used = set(rng.sample(range(len(invited)), round(len(invited) * UKRAINE_RESPONDED / 118)))
    Invitation.objects.bulk_create(
        Invitation(
            wave=wave,
            participant=person,
            token_hash=_token_hash(),
            language=_language(person),
            invited_at=wave.opens_at,
            used=i in used,
        )
        for i, (wave, person) in enumerate(invited)
    )
    waves = [invited[i][0] for i in sorted(used)]
    columns = {code: _yes_no_column(rng, share, len(waves)) for code, share in UKRAINE_SHARES.items()}
    satisfied = [rng.choices([1, 2, 3, 4, 5], [2, 4, 12, 38, 44])[0] for _ in waves]
    rows = [
        AnonymousResponse(
            wave=wave,
            day=wave.closes_at.date(),
            answers={**{code: column[i] for code, column in columns.items()}, "satisfied": satisfied[i]},
        )
        for i, wave in enumerate(waves)
    ]
    rng.shuffle(rows)
    AnonymousResponse.objects.bulk_create(rows)
    return len(rows)


def _uppsala(rng: random.Random, org: Organisation, bank: dict[str, BankQuestion], today: date) -> int:
    cohort = Cohort.objects.filter(programme__name=UPPSALA, programme__organisation=org).first()
    if cohort is None:
        return 0
    survey = _survey(org, UPPSALA_SURVEY, anonymous=False, region=cohort.programme.region)
    _questions(survey, ["confidence", "has_job"], bank)
    people = _mentees(cohort)
    baseline_opens = cohort.starts_on - timedelta(days=7)
    final_opens = today - timedelta(days=10)
    waves = [
        Wave.objects.create(
            survey=survey,
            name=f"{cohort.name}: {label}",
            kind=kind,
            cohort=cohort,
            opens_at=at(opens, 9),
            closes_at=at(closes, 23),
            status=status,
        )
        for label, kind, opens, closes, status in (
            (
                "baseline",
                WaveKind.BASELINE,
                baseline_opens,
                cohort.starts_on + timedelta(days=7),
                WaveStatus.CLOSED,
            ),
            (
                "final",
                WaveKind.FINAL,
                final_opens,
                max(cohort.ends_on, today) + timedelta(days=14),
                WaveStatus.OPEN,
            ),
        )
    ]
    written = 0
    for wave in waves:
        final = wave.kind == WaveKind.FINAL
        invitations = Invitation.objects.bulk_create(
            Invitation(
                wave=wave,
                participant=person,
                token_hash=_token_hash(),
                language=_language(person),
                invited_at=wave.opens_at,
            )
            for person in people
        )
        responses = []
        for invitation in invitations:
            if rng.random() < (0.2 if final else 0.1):
                continue  # not answered (yet)
            confidence = rng.choices([1, 2, 3, 4, 5], [10, 2, 1, 0, 0] if not final else [0, 1, 3, 6, 4])[0]
            answers = {
                "confidence": confidence,
                "has_job": "yes" if rng.random() < (0.45 if final else 0.05) else "no",
            }
            submitted = wave.opens_at + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 10))
            invitation.used, invitation.submitted_at = True, submitted
            responses.append(
                Response(
                    wave=wave,
                    invitation=invitation,
                    participant=invitation.participant,
                    answers=answers,
                    started_at=submitted - timedelta(minutes=rng.randint(3, 12)),
                    submitted_at=submitted,
                )
            )
        Invitation.objects.bulk_update(
            [r.invitation for r in responses if r.invitation], ["used", "submitted_at"]
        )
        Response.objects.bulk_create(responses)
        written += len(responses)
    return written


def create_surveys(rng: random.Random, *, org: Organisation, today: date) -> dict[str, int]:
    """The demo's question bank and two surveys with waves, invitations and responses; returns counts."""
    bank = _bank(org)
    anonymous = _ukraine(rng, org, bank, today)
    identified = _uppsala(rng, org, bank, today)
    return {"surveys": 2, "survey_responses": anonymous + identified}

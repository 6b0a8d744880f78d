"""The respondent's pages: a personal link `/s/<token>/` (no login, in the invitation's language, right to
left for Arabic and Persian, without JavaScript), and the staff preview of a survey as a respondent sees it.

Opening a link (GET or HEAD: mail scanners open every link) only shows the page the person is on; answers
are kept when a page is sent (POST). A used link shows "thank you", never the form; an unknown or tampered
link, or one of a closed wave, shows a friendly page and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompis.accounts.access import people_required
from kompis.accounts.requests import staff_user
from kompis.core.links import page_language, render_in
from kompis.surveys import answering
from kompis.surveys.access import get_survey_for_builder
from kompis.surveys.models import Invitation, Question, QuestionKind, Survey
from kompis.surveys.tokens import find_invitation


def _text_language(survey: Survey, *wanted: str) -> str:
    languages = list(survey.languages or [])
    for code in wanted:
        if code in languages:
            return code
    return languages[0] if languages else (wanted[0] if wanted else "en")


def _texts(texts: Mapping[str, Any], language: str, fallback: str) -> Mapping[str, Any]:
    found = texts.get(language) or texts.get(fallback) or {}
    return found if isinstance(found, Mapping) else {}


def _label(texts: Mapping[str, Any], language: str, fallback: str) -> str:
    return str(texts.get(language) or texts.get(fallback) or "")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def question_views(
    questions: Sequence[Question],
    *,
    language: str,
    fallback: str,
    values: Mapping[str, list[str]],
    errors: Mapping[str, str],
) -> list[dict[str, Any]]:
    """What the template needs to show each question (texts in `language`, the values to show checked)."""
    shown = []
    for q in questions:
        texts = _texts(q.texts, language, fallback)
        chosen = values.get(q.code, [])
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [(o.code, _label(o.texts, language, fallback)) for o in q.options.all()]
        elif q.kind == QuestionKind.YES_NO:
            options = [("yes", _("Yes")), ("no", _("No"))]
        elif q.kind in (QuestionKind.LIKERT5, QuestionKind.LIKERT7):
            top = 5 if q.kind == QuestionKind.LIKERT5 else 7
            options = [(str(i), str(i)) for i in range(1, top + 1)]
        else:
            options = []
        shown.append(
            {
                "code": q.code,
                "name": f"q-{q.code}",
                "kind": q.kind,
                "text": str(texts.get("text", "")) or q.code,
                "help": str(texts.get("help", "")),
                "low": str(texts.get("low", "")),
                "high": str(texts.get("high", "")),
                "required": q.required,
                "options": [(code, label, code in chosen) for code, label in options],
                "multiple": q.kind == QuestionKind.MULTIPLE,
                "scale": q.kind in (QuestionKind.LIKERT5, QuestionKind.LIKERT7),
                "value": chosen[0] if chosen else "",
                "error": errors.get(q.code, ""),
                "condition": q.show_if_id is not None,
            }
        )
    return shown


def _invalid(request: HttpRequest, reason: str, language: str | None = None) -> HttpResponse:
    status = 410 if reason == "closed" else 404
    if language is None:
        return render(request, "surveys/respond/link_invalid.html", {"reason": reason}, status=status)
    return render_in(
        request, "surveys/respond/link_invalid.html", {"reason": reason}, language=language, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token)
    if invitation is None:
        return _invalid(request, "invalid")
    survey = invitation.wave.survey
    language = _text_language(survey, page_language(request, invitation.language), invitation.language)
    fallback = _text_language(survey, invitation.language)
    titles = _texts(survey.texts, language, fallback)
    if invitation.used:
        return render_in(
            request, "surveys/respond/thanks.html", {"survey": survey, "titles": titles}, language=language
        )
    if not answering.wave_is_open(invitation.wave):
        return _invalid(request, "closed", language)
    here = reverse("surveys_public:respond", args=[token])
    errors: dict[str, str] = {}
    posted: dict[str, list[str]] = {}
    if request.method == "POST":
        page_sent = request.POST.get("page", "")
        with translation.override(language):
            outcome = answering.answer_page(
                invitation=invitation,
                page=int(page_sent) if page_sent.isdigit() else 0,
                posted={key: request.POST.getlist(key) for key in request.POST},
                back="back" in request.POST,
            )
        if outcome.status == "closed":
            return _invalid(request, "closed", language)
        if outcome.status != "invalid":
            return redirect(here + ("?more=1" if outcome.status == "more" else ""))
        errors, posted = outcome.errors, {k: list(v) for k, v in outcome.posted.items()}
        invitation.refresh_from_db()
    return _page(request, invitation, survey, language, fallback, here, errors, posted)


def _page(
    request: HttpRequest,
    invitation: Invitation,
    survey: Survey,
    language: str,
    fallback: str,
    here: str,
    errors: dict[str, str],
    posted: dict[str, list[str]],
) -> HttpResponse:
    questions = answering.survey_questions(survey)
    answers = invitation.partial or {}
    page = answering.current_page(invitation, questions)
    on_page = answering.shown_on_page(questions, page, answers)
    if errors:
        values = {q.code: posted.get(f"q-{q.code}", []) for q in on_page}
    else:
        values = {q.code: _as_list(answers.get(q.code)) for q in on_page}
    with translation.override(language):
        shown = question_views(on_page, language=language, fallback=fallback, values=values, errors=errors)
    context = {
        "survey": survey,
        "titles": _texts(survey.texts, language, fallback),
        "questions": shown,
        "errors": [(q["code"], q["text"], q["error"]) for q in shown if q["error"]],
        "page": page,
        "pages": len(answering.page_numbers(questions)),
        "first": answering.previous_page(questions, page, answers) is None,
        "last": answering.next_page(questions, page, answers) is None,
        "more": request.GET.get("more") == "1" and not errors,
        "action": here,
    }
    return render_in(request, "surveys/respond/page.html", context, language=language)


@people_required
@require_http_methods(["GET", "HEAD"])
def preview(request: HttpRequest, survey_uid: str) -> HttpResponse:
    """A survey's page as a respondent sees it, in any of its languages (?lang=), at phone width: every
    question of the page is shown (a conditional one says so); nothing is written."""
    survey = get_survey_for_builder(staff_user(request), survey_uid)
    languages = list(survey.languages or [])
    language = _text_language(survey, request.GET.get("lang", ""))
    questions = answering.survey_questions(survey)
    numbers = answering.page_numbers(questions)
    raw_page = request.GET.get("page", "1")
    page = min(max(int(raw_page) if raw_page.isdigit() else 1, 1), max(len(numbers), 1))
    on_page = [q for q in questions if numbers and q.page == numbers[page - 1]]
    with translation.override(language):
        shown = question_views(on_page, language=language, fallback=language, values={}, errors={})
    context = {
        "survey": survey,
        "titles": _texts(survey.texts, language, language),
        "questions": shown,
        "page": page,
        "pages": len(numbers),
        "language": language,
        "languages": languages,
    }
    return render_in(request, "surveys/respond/preview.html", context, language=language)

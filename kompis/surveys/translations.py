"""What a survey says in each language: the texts that are missing (a survey cannot open while one of its
languages lacks a title, a question text, a Likert end label or an option label), and the side-by-side
table of the builder's translation view (rows = texts, columns = languages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kompis.surveys.models import QuestionKind, Survey

#: the six languages a survey may be sent in, in the site's order
SURVEY_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
#: the texts of a survey and of a question, per language
SURVEY_TEXT_KEYS = ("title", "intro", "thanks")
QUESTION_TEXT_KEYS = ("text", "help", "low", "high")
LIKERT_KINDS = (QuestionKind.LIKERT5, QuestionKind.LIKERT7)


def first_text(texts: dict[str, Any], languages: list[str] | tuple[str, ...], key: str = "text") -> str:
    """The text in the first of the languages that has it (for staff lists)."""
    for lang in (*languages, *SURVEY_LANGUAGES):
        value = (texts.get(lang) or {}).get(key)
        if value:
            return str(value)
    return ""


@dataclass(frozen=True)
class Cell:
    language: str
    text: str
    missing: bool  # required in a language the survey is sent in, and empty


@dataclass(frozen=True)
class Row:
    label: str
    question_uid: str  # "" for the survey's own texts
    cells: list[Cell]


def _rows(survey: Survey) -> list[tuple[str, str, bool, dict[str, str]]]:
    """(label, question uid, required, {lang: text}) for every text of the survey, in order."""
    rows: list[tuple[str, str, bool, dict[str, str]]] = []
    labels = {"title": _("Title"), "intro": _("Introduction"), "thanks": _("Thank-you text")}
    for key in SURVEY_TEXT_KEYS:
        values = {lang: str((survey.texts.get(lang) or {}).get(key) or "") for lang in SURVEY_LANGUAGES}
        if key == "title" or any(values.values()):
            rows.append((str(labels[key]), "", key == "title", values))
    for q in survey.questions.prefetch_related("options").order_by("page", "position", "id"):
        uid = str(q.uid)
        for key in QUESTION_TEXT_KEYS:
            values = {lang: str((q.texts.get(lang) or {}).get(key) or "") for lang in SURVEY_LANGUAGES}
            required = key == "text" or (key in ("low", "high") and q.kind in LIKERT_KINDS)
            if not required and not any(values.values()):
                continue
            names = {
                "text": _("%(code)s: text"),
                "help": _("%(code)s: help text"),
                "low": _("%(code)s: lowest label"),
                "high": _("%(code)s: highest label"),
            }
            rows.append((names[key] % {"code": q.code}, uid, required, values))
        for o in q.options.all():
            values = {lang: str(o.texts.get(lang) or "") for lang in SURVEY_LANGUAGES}
            rows.append((_("%(q)s: option %(o)s") % {"q": q.code, "o": o.code}, uid, True, values))
    return rows


def missing_translations(survey: Survey) -> list[tuple[str, str]]:
    """Every required text missing in a language of the survey: [(where, language), ...], in order."""
    return [
        (label, lang)
        for label, _uid, required, values in _rows(survey)
        if required
        for lang in survey.languages
        if not values.get(lang, "").strip()
    ]


def translation_table(survey: Survey) -> dict[str, Any]:
    """The translation view: columns (the survey's languages first), rows with cells, and the count missing."""
    languages = [*survey.languages, *(c for c in SURVEY_LANGUAGES if c not in survey.languages)]
    names = dict(settings.LANGUAGES)
    rows = [
        Row(
            label=label,
            question_uid=uid,
            cells=[
                Cell(
                    language=lang,
                    text=values.get(lang, ""),
                    missing=required and lang in survey.languages and not values.get(lang, "").strip(),
                )
                for lang in languages
            ],
        )
        for label, uid, required, values in _rows(survey)
    ]
    return {
        "columns": [(lang, str(names[lang]), lang in survey.languages) for lang in languages],
        "rows": rows,
        "missing_count": sum(1 for r in rows for c in r.cells if c.missing),
    }

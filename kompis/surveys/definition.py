"""A survey's definition as a JSON document (issue #14), so an organisation can share a survey with another.

The document is versioned (`"format": "kompis-survey", "version": 1`) and holds the survey's texts per
language, its languages, anonymous mode, k_min, and its questions (code, kind, page, required, texts, options,
condition by the earlier question's code, bank code). Import validates the whole document first and names
the first bad path ("questions[3].options[1].code: missing"); nothing is written on error."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Organisation, Project, Region
from kompis.surveys.models import CHOICE_KINDS, BankQuestion, Option, Question, QuestionKind, Survey
from kompis.surveys.translations import (
    QUESTION_TEXT_KEYS,
    SURVEY_LANGUAGES,
    SURVEY_TEXT_KEYS,
)

FORMAT = "kompis-survey"
VERSION = 1
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")


class DefinitionError(ValueError):
    """A bad document; `path` names where ("questions[3].options[1].code")."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def export_definition(survey: Survey) -> dict[str, Any]:
    questions = list(
        survey.questions.select_related("show_if", "bank_question")
        .prefetch_related("options")
        .order_by("page", "position", "id")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": survey.name,
        "languages": list(survey.languages),
        "anonymous": survey.anonymous,
        "k_min": survey.k_min,
        "texts": survey.texts,
        "questions": [
            {
                "code": q.code,
                "kind": q.kind,
                "page": q.page,
                "required": q.required,
                "texts": q.texts,
                "options": [{"code": o.code, "texts": o.texts} for o in q.options.all()],
                "show_if": {"question": q.show_if.code, "value": q.show_if_value} if q.show_if else None,
                "bank": q.bank_question.code if q.bank_question else None,
                "bank_indicator": q.bank_question.indicator if q.bank_question else "",
                "text_in_reports": q.text_in_reports,
            }
            for q in questions
        ],
    }


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DefinitionError(path, "must be an object")
    return value


def _str(parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = parent.get(key)
    if value is None or value == "":
        if required:
            raise DefinitionError(f"{path}.{key}" if path else key, "missing")
        return ""
    if not isinstance(value, str):
        raise DefinitionError(f"{path}.{key}" if path else key, "must be text")
    return value


def _code(parent: dict[str, Any], key: str, path: str) -> str:
    value = _str(parent, key, path)
    if not CODE_RE.match(value):
        raise DefinitionError(f"{path}.{key}", "letters, digits, - and _ only (at most 64)")
    return value


def _texts(value: Any, path: str, keys: tuple[str, ...] | None) -> None:
    """{lang: {key: text}} (keys given) or {lang: text} (an option's labels)."""
    texts = _obj(value if value is not None else {}, path)
    for lang, inner in texts.items():
        where = f"{path}.{lang}"
        if lang not in SURVEY_LANGUAGES:
            raise DefinitionError(where, "unknown language")
        if keys is None:
            if not isinstance(inner, str):
                raise DefinitionError(where, "must be text")
            continue
        for key, text in _obj(inner, where).items():
            if key not in keys:
                raise DefinitionError(f"{where}.{key}", "unknown text")
            if not isinstance(text, str):
                raise DefinitionError(f"{where}.{key}", "must be text")


def validate_definition(doc: Any) -> dict[str, Any]:
    """The document, checked; raises DefinitionError naming the first bad path."""
    checked = _obj(doc, "document")
    return _validate(checked)


def _validate(doc: dict[str, Any]) -> dict[str, Any]:
    if doc.get("format") != FORMAT:
        raise DefinitionError("format", f"must be {FORMAT!r}")
    if doc.get("version") != VERSION:
        raise DefinitionError("version", f"must be {VERSION}")
    _str(doc, "name", "")
    languages = doc.get("languages")
    if not isinstance(languages, list) or not languages:
        raise DefinitionError("languages", "must be a list of language codes")
    for i, lang in enumerate(languages):
        if lang not in SURVEY_LANGUAGES:
            raise DefinitionError(f"languages[{i}]", "unknown language")
    if not isinstance(doc.get("anonymous", False), bool):
        raise DefinitionError("anonymous", "must be true or false")
    k_min = doc.get("k_min", 5)
    if not isinstance(k_min, int) or isinstance(k_min, bool) or not 1 <= k_min <= 1000:
        raise DefinitionError("k_min", "must be a whole number from 1")
    _texts(doc.get("texts"), "texts", SURVEY_TEXT_KEYS)
    questions = doc.get("questions")
    if not isinstance(questions, list):
        raise DefinitionError("questions", "must be a list")
    seen: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(questions):
        path = f"questions[{i}]"
        q = _obj(raw, path)
        code = _code(q, "code", path)
        if code in seen:
            raise DefinitionError(f"{path}.code", "used by an earlier question")
        kind = _str(q, "kind", path)
        if kind not in QuestionKind.values:
            raise DefinitionError(f"{path}.kind", "unknown kind")
        page = q.get("page", 1)
        if not isinstance(page, int) or isinstance(page, bool) or page < 1:
            raise DefinitionError(f"{path}.page", "must be a whole number from 1")
        if not isinstance(q.get("required", False), bool):
            raise DefinitionError(f"{path}.required", "must be true or false")
        _texts(q.get("texts"), f"{path}.texts", QUESTION_TEXT_KEYS)
        options = q.get("options") or []
        if not isinstance(options, list):
            raise DefinitionError(f"{path}.options", "must be a list")
        if kind in CHOICE_KINDS and not options:
            raise DefinitionError(f"{path}.options", "a choice question needs options")
        if kind not in CHOICE_KINDS and options:
            raise DefinitionError(f"{path}.options", "only choice questions have options")
        option_codes: set[str] = set()
        for j, raw_option in enumerate(options):
            opath = f"{path}.options[{j}]"
            option = _obj(raw_option, opath)
            ocode = _code(option, "code", opath)
            if ocode in option_codes:
                raise DefinitionError(f"{opath}.code", "used by an earlier option")
            option_codes.add(ocode)
            _texts(option.get("texts"), f"{opath}.texts", None)
        condition = q.get("show_if")
        if condition is not None:
            cpath = f"{path}.show_if"
            condition = _obj(condition, cpath)
            target = _str(condition, "question", cpath)
            if target not in seen:
                raise DefinitionError(f"{cpath}.question", "must be the code of an earlier question")
            value = _str(condition, "value", cpath)
            earlier = seen[target]
            if earlier["kind"] in CHOICE_KINDS and value not in earlier["option_codes"]:
                raise DefinitionError(f"{cpath}.value", "must be an option code of that question")
            if earlier["page"] > page:
                raise DefinitionError(f"{cpath}.question", "must be on this page or an earlier one")
        bank = q.get("bank")
        if bank is not None and (not isinstance(bank, str) or not CODE_RE.match(bank)):
            raise DefinitionError(f"{path}.bank", "must be a code or null")
        if not isinstance(q.get("bank_indicator", "") or "", str):
            raise DefinitionError(f"{path}.bank_indicator", "must be text")
        seen[code] = {"kind": kind, "page": page, "option_codes": option_codes}
    return doc


@transaction.atomic
def import_definition(
    *,
    actor: Actor,
    organisation: Organisation,
    doc: Any,
    created_by: Any = None,
    region: Region | None = None,
    project: Project | None = None,
) -> Survey:
    """A new draft survey from a document (validated first: nothing is written on error). A bank code links
    the question to the organisation's bank question of that code, made from the question when missing."""
    doc = validate_definition(doc)
    survey = Survey.objects.create(
        organisation=organisation,
        name=doc["name"].strip()[:200],
        languages=[c for c in SURVEY_LANGUAGES if c in doc["languages"]],
        anonymous=bool(doc.get("anonymous", False)),
        k_min=int(doc.get("k_min", 5)),
        texts=doc.get("texts") or {},
        region=region,
        project=project,
        created_by=created_by,
    )
    by_code: dict[str, Question] = {}
    positions: dict[int, int] = {}
    for q in doc["questions"]:
        page = int(q.get("page", 1))
        bank = None
        if q.get("bank"):
            bank, _created = BankQuestion.objects.get_or_create(
                organisation=organisation,
                code=q["bank"],
                defaults={
                    "kind": q["kind"],
                    "texts": q.get("texts") or {},
                    "options": [
                        {"code": o["code"], "texts": o.get("texts") or {}} for o in q.get("options") or []
                    ],
                    "indicator": (q.get("bank_indicator") or "")[:200],
                },
            )
        condition = q.get("show_if")
        question = Question.objects.create(
            survey=survey,
            code=q["code"],
            kind=q["kind"],
            page=page,
            position=positions.get(page, 0),
            required=bool(q.get("required", False)),
            texts=q.get("texts") or {},
            bank_question=bank,
            show_if=by_code[condition["question"]] if condition else None,
            show_if_value=condition["value"] if condition else "",
            text_in_reports=bool(q.get("text_in_reports", False)),
        )
        positions[page] = positions.get(page, 0) + 1
        Option.objects.bulk_create(
            Option(question=question, code=o["code"], position=j, texts=o.get("texts") or {})
            for j, o in enumerate(q.get("options") or [])
        )
        by_code[question.code] = question
    record(actor=actor, action=EventType.SURVEY_IMPORTED, obj=survey, data={"questions": len(by_code)})
    return survey

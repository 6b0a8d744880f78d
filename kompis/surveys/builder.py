"""The survey builder's services (issue #14): create and edit a survey, its questions and options, texts per
language, conditions, pages and order; open (only with every text in every language of the survey) and close;
the organisation's question bank. Every change is one atomic function given the actor, with an audit event.

Refusals raise `BuilderError(field, message)`: the view shows the message at the field it names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Organisation, Project, Region
from kompis.surveys.models import (
    CHOICE_KINDS,
    BankQuestion,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
)
from kompis.surveys.translations import (
    QUESTION_TEXT_KEYS,
    SURVEY_LANGUAGES,
    SURVEY_TEXT_KEYS,
    missing_translations,
)


class BuilderError(ValueError):
    """A refused change; `field` names the form field (or "" for the whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SurveyData:
    name: str
    languages: list[str]
    anonymous: bool = False
    k_min: int = 5
    region: Region | None = None
    project: Project | None = None
    # {"sv": {"title": ..., "intro": ..., "thanks": ...}, ...}
    texts: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class OptionData:
    code: str
    texts: dict[str, str]


@dataclass(frozen=True)
class QuestionData:
    code: str
    kind: str
    page: int = 1
    required: bool = False
    # {"sv": {"text": ..., "help": ..., "low": ..., "high": ...}, ...}
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    options: list[OptionData] = field(default_factory=list)
    show_if: Question | None = None
    show_if_value: str = ""
    text_in_reports: bool = False


def _clean_texts(texts: dict[str, dict[str, str]], keys: tuple[str, ...]) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    for lang, values in texts.items():
        if lang not in SURVEY_LANGUAGES:
            raise BuilderError("languages", _("Unknown language: %(code)s.") % {"code": lang})
        row = {k: str(values.get(k) or "").strip() for k in keys if str(values.get(k) or "").strip()}
        if row:
            cleaned[lang] = row
    return cleaned


def _check_survey(data: SurveyData) -> None:
    if not data.name.strip():
        raise BuilderError("name", _("Name: give the survey a name."))
    if not data.languages:
        raise BuilderError("languages", _("Languages: choose at least one language."))
    unknown = [code for code in data.languages if code not in SURVEY_LANGUAGES]
    if unknown:
        raise BuilderError("languages", _("Languages: unknown language %(code)s.") % {"code": unknown[0]})
    if data.k_min < 1:
        raise BuilderError("k_min", _("Smallest group shown: at least 1."))
    if data.anonymous and data.k_min < settings.SUPPRESSION_K:
        # smaller batches would write each anonymous response nearly as it is sent
        raise BuilderError(
            "k_min",
            _("Smallest group shown: an anonymous survey needs at least %(k)s.")
            % {"k": settings.SUPPRESSION_K},
        )


def _check_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise BuilderError("", _("Only a draft survey can be changed; this one is open or closed."))


@transaction.atomic
def create_survey(
    *, actor: Actor, organisation: Organisation, data: SurveyData, created_by: Any = None
) -> Survey:
    _check_survey(data)
    survey = Survey.objects.create(
        organisation=organisation,
        name=data.name.strip(),
        languages=[c for c in SURVEY_LANGUAGES if c in data.languages],
        anonymous=data.anonymous,
        k_min=data.k_min,
        region=data.region,
        project=data.project,
        texts=_clean_texts(data.texts, SURVEY_TEXT_KEYS),
        created_by=created_by,
    )
    record(actor=actor, action=EventType.SURVEY_CREATED, obj=survey, data={"anonymous": survey.anonymous})
    return survey


@transaction.atomic
def edit_survey(*, actor: Actor, survey: Survey, data: SurveyData) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _check_draft(survey)
    _check_survey(data)
    survey.name = data.name.strip()
    survey.languages = [c for c in SURVEY_LANGUAGES if c in data.languages]
    survey.anonymous = data.anonymous
    survey.k_min = data.k_min
    survey.region = data.region
    survey.project = data.project
    survey.texts = _clean_texts(data.texts, SURVEY_TEXT_KEYS)
    survey.save()
    record(actor=actor, action=EventType.SURVEY_CHANGED, obj=survey)
    return survey


def _check_condition(survey: Survey, question: Question | None, data: QuestionData) -> None:
    """A question may depend only on an earlier question of the same survey, on one of its answers; a
    chain of conditions may not loop back."""
    target = data.show_if
    if target is None:
        if data.show_if_value:
            raise BuilderError("show_if", _("Show only when: choose the question the answer belongs to."))
        return
    if target.survey_id != survey.pk:
        raise BuilderError("show_if", _("Show only when: choose a question of this survey."))
    if question is not None and target.pk == question.pk:
        raise BuilderError("show_if", _("Show only when: a question cannot depend on itself."))
    if question is not None:
        seen = {question.pk}
        step: Question | None = target
        while step is not None:
            if step.pk in seen:
                raise BuilderError(
                    "show_if", _("Show only when: these conditions would go round in a circle.")
                )
            seen.add(step.pk)
            step = step.show_if
    if target.page == data.page and question is not None and question.page == data.page:
        earlier = target.position < question.position
    else:
        earlier = target.page <= data.page
    if not earlier:
        raise BuilderError("show_if", _("Show only when: choose a question that comes earlier."))
    value = data.show_if_value.strip()
    if not value:
        raise BuilderError("show_if_value", _("Answer: give the answer that shows this question."))
    if target.kind in CHOICE_KINDS and not target.options.filter(code=value).exists():
        raise BuilderError("show_if_value", _("Answer: give one of the option codes of that question."))
    if target.kind == QuestionKind.YES_NO and value not in ("yes", "no"):
        raise BuilderError("show_if_value", _("Answer: “yes” or “no”."))


def _check_question(survey: Survey, question: Question | None, data: QuestionData) -> None:
    code = data.code.strip()
    if not code:
        raise BuilderError("code", _("Code: give the question a short code."))
    if data.kind not in QuestionKind.values:
        raise BuilderError("kind", _("Kind: choose a kind of question."))
    if data.page < 1:
        raise BuilderError("page", _("Page: at least 1."))
    clash = survey.questions.filter(code=code)
    if question is not None:
        clash = clash.exclude(pk=question.pk)
    if clash.exists():
        raise BuilderError(
            "code", _("Code: another question of this survey has the code %(code)s.") % {"code": code}
        )
    if data.kind in CHOICE_KINDS:
        if not data.options:
            raise BuilderError("options", _("Options: a choice question needs at least one option."))
        codes = [o.code.strip() for o in data.options]
        if any(not c for c in codes):
            raise BuilderError("options", _("Options: every option needs a code."))
        if len(set(codes)) != len(codes):
            raise BuilderError("options", _("Options: two options have the same code."))
    elif data.options:
        raise BuilderError("options", _("Options: only choice questions have options."))
    _check_condition(survey, question, data)


def _write_options(question: Question, options: list[OptionData]) -> None:
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(
            question=question,
            code=o.code.strip(),
            position=i,
            texts={k: v.strip() for k, v in o.texts.items() if k in SURVEY_LANGUAGES and v.strip()},
        )
        for i, o in enumerate(options)
    )


@transaction.atomic
def add_question(*, actor: Actor, survey: Survey, data: QuestionData) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _check_draft(survey)
    _check_question(survey, None, data)
    last = survey.questions.filter(page=data.page).aggregate(m=Max("position"))["m"]
    question = Question.objects.create(
        survey=survey,
        code=data.code.strip(),
        kind=data.kind,
        page=data.page,
        position=0 if last is None else last + 1,
        required=data.required,
        texts=_clean_texts(data.texts, QUESTION_TEXT_KEYS),
        show_if=data.show_if,
        show_if_value=data.show_if_value.strip() if data.show_if else "",
        text_in_reports=data.text_in_reports,
    )
    _write_options(question, data.options)
    record(
        actor=actor,
        action=EventType.SURVEY_QUESTION_ADDED,
        obj=survey,
        data={"question": str(question.uid), "kind": question.kind},
    )
    return question


@transaction.atomic
def edit_question(*, actor: Actor, question: Question, data: QuestionData) -> Question:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _check_draft(survey)
    question = Question.objects.get(pk=question.pk)
    _check_question(survey, question, data)
    if data.page != question.page:
        last = survey.questions.filter(page=data.page).aggregate(m=Max("position"))["m"]
        question.position = 0 if last is None else last + 1
    question.code = data.code.strip()
    question.kind = data.kind
    question.page = data.page
    question.required = data.required
    question.texts = _clean_texts(data.texts, QUESTION_TEXT_KEYS)
    question.show_if = data.show_if
    question.show_if_value = data.show_if_value.strip() if data.show_if else ""
    question.text_in_reports = data.text_in_reports
    question.save()
    _write_options(question, data.options)
    _drop_broken_conditions(survey)
    record(
        actor=actor,
        action=EventType.SURVEY_QUESTION_CHANGED,
        obj=survey,
        data={"question": str(question.uid)},
    )
    return question


def _ordered(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("page", "position", "id"))


def _drop_broken_conditions(survey: Survey) -> None:
    """After a move or edit, a condition on a question that no longer comes earlier is removed."""
    order = {q.pk: i for i, q in enumerate(_ordered(survey))}
    for q in survey.questions.filter(show_if__isnull=False):
        if q.show_if_id is None or order.get(q.show_if_id, 10**9) >= order[q.pk]:
            q.show_if = None
            q.show_if_value = ""
            q.save(update_fields=["show_if", "show_if_value"])


@transaction.atomic
def move_question(*, actor: Actor, question: Question, up: bool) -> Question:
    """Move a question one place up or down within its page."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _check_draft(survey)
    page = [q for q in _ordered(survey) if q.page == question.page]
    index = next(i for i, q in enumerate(page) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(page):
        page[index], page[other] = page[other], page[index]
        for i, q in enumerate(page):
            if q.position != i:
                q.position = i
                q.save(update_fields=["position"])
        _drop_broken_conditions(survey)
        record(
            actor=actor,
            action=EventType.SURVEY_QUESTION_MOVED,
            obj=survey,
            data={"question": str(question.uid), "up": up},
        )
    return Question.objects.get(pk=question.pk)


@transaction.atomic
def delete_question(*, actor: Actor, question: Question) -> None:
    """Delete a question; questions shown only on its answer are then always shown."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _check_draft(survey)
    uid = str(question.uid)
    survey.questions.filter(show_if=question).update(show_if=None, show_if_value="")
    question.delete()
    record(actor=actor, action=EventType.SURVEY_QUESTION_DELETED, obj=survey, data={"question": uid})


@transaction.atomic
def open_survey(*, actor: Actor, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise BuilderError("", _("Only a draft survey can be opened."))
    if not survey.questions.exists():
        raise BuilderError("", _("The survey has no questions yet."))
    missing = missing_translations(survey)
    if missing:
        listed = "; ".join(f"{where} ({lang})" for where, lang in missing[:30])
        more = len(missing) - 30
        if more > 0:
            listed += " …"
        raise BuilderError("", _("Translations are missing: %(list)s.") % {"list": listed})
    survey.status = SurveyStatus.OPEN
    survey.save(update_fields=["status"])
    record(actor=actor, action=EventType.SURVEY_OPENED, obj=survey)
    return survey


@transaction.atomic
def close_survey(*, actor: Actor, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise BuilderError("", _("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    record(actor=actor, action=EventType.SURVEY_CLOSED, obj=survey)
    return survey


@transaction.atomic
def add_to_bank(*, actor: Actor, question: Question, indicator: str = "") -> BankQuestion:
    """Put a survey's question in the organisation's bank (under its code) and link it to the bank."""
    survey = question.survey
    if BankQuestion.objects.filter(organisation_id=survey.organisation_id, code=question.code).exists():
        raise BuilderError(
            "code",
            _("Code: the bank already has a question with the code %(code)s.") % {"code": question.code},
        )
    bank = BankQuestion.objects.create(
        organisation_id=survey.organisation_id,
        code=question.code,
        kind=question.kind,
        texts=question.texts,
        options=[{"code": o.code, "texts": o.texts} for o in question.options.all()],
        indicator=indicator.strip(),
    )
    Question.objects.filter(pk=question.pk).update(bank_question=bank)
    record(
        actor=actor, action=EventType.SURVEY_BANK_QUESTION_ADDED, obj=bank, organisation=survey.organisation
    )
    return bank


@transaction.atomic
def add_from_bank(*, actor: Actor, survey: Survey, bank: BankQuestion, page: int = 1) -> Question:
    """A copy of a bank question in the survey, linked to the bank so results line up over the years."""
    if bank.organisation_id != survey.organisation_id:
        raise BuilderError("bank", _("This bank question belongs to another organisation."))
    data = QuestionData(
        code=bank.code,
        kind=bank.kind,
        page=page,
        texts=bank.texts,
        options=[
            OptionData(code=str(o.get("code", "")), texts=dict(o.get("texts") or {})) for o in bank.options
        ],
    )
    question = add_question(actor=actor, survey=survey, data=data)
    Question.objects.filter(pk=question.pk).update(bank_question=bank)
    question.bank_question = bank
    return question

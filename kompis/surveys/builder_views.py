"""Staff pages of the survey builder: the list, a new survey, a survey with its questions by page, a question
form (texts in each language side by side), the translations table, the question bank, export and import."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.surveys import builder
from kompis.surveys.access import (
    bank_for_user,
    get_question_for_builder,
    get_survey_for_builder,
    surveys_for_builder,
)
from kompis.surveys.builder import BuilderError
from kompis.surveys.builder_forms import ImportForm, QuestionForm, SurveyForm, add_builder_error
from kompis.surveys.definition import DefinitionError, export_definition, import_definition
from kompis.surveys.models import Question, Survey, SurveyStatus
from kompis.surveys.translations import first_text, missing_translations, translation_table

NAV = "surveys"
MAX_IMPORT_BYTES = 2_000_000


@people_required
def survey_list(request: StaffRequest) -> HttpResponse:
    surveys = surveys_for_builder(request.user).select_related("region", "project")[:300]
    return render(request, "surveys/builder/list.html", {"nav": NAV, "surveys": surveys})


@people_required
def survey_new(request: StaffRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = request.user.organisation
        if organisation is None:
            raise PermissionDenied
        try:
            survey = builder.create_survey(
                actor=request.user,
                organisation=organisation,
                data=form.survey_data(),
                created_by=request.user,
            )
        except BuilderError as error:
            add_builder_error(form, error)
        else:
            messages.success(request, _("The survey is created. Add its questions."))
            return redirect("surveys:survey", survey_id=survey.uid)
    return render(request, "surveys/builder/survey_form.html", {"nav": NAV, "form": form, "survey": None})


@people_required
def survey_edit(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    form = SurveyForm(request.POST or None, user=request.user, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            builder.edit_survey(actor=request.user, survey=survey, data=form.survey_data())
        except BuilderError as error:
            add_builder_error(form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:survey", survey_id=survey.uid)
    return render(request, "surveys/builder/survey_form.html", {"nav": NAV, "form": form, "survey": survey})


def _preview_links(survey: Survey) -> list[tuple[str, str]]:
    """(language code, URL) of the respondent's preview in each of the survey's languages."""
    try:
        url = reverse("surveys_public:preview", kwargs={"survey_uid": survey.uid})
    except NoReverseMatch:  # the preview is another area's page
        return []
    return [(lang, f"{url}?lang={lang}") for lang in survey.languages]


@people_required
def survey_detail(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    questions = list(
        survey.questions.select_related("show_if", "bank_question")
        .prefetch_related("options")
        .order_by("page", "position", "id")
    )
    pages: dict[int, list[Question]] = {}
    for q in questions:
        q.display_text = first_text(q.texts, ("en", "sv", *survey.languages))  # type: ignore[attr-defined]
        pages.setdefault(q.page, []).append(q)
    used_bank = {q.bank_question_id for q in questions if q.bank_question_id}
    return render(
        request,
        "surveys/builder/survey.html",
        {
            "nav": NAV,
            "survey": survey,
            "pages": sorted(pages.items()),
            "missing": missing_translations(survey),
            "draft": survey.status == SurveyStatus.DRAFT,
            "bank": bank_for_user(request.user).exclude(pk__in=used_bank),
            "previews": _preview_links(survey),
        },
    )


@people_required
def question_new(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            builder.add_question(actor=request.user, survey=survey, data=form.question_data())
        except BuilderError as error:
            add_builder_error(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("surveys:survey", survey_id=survey.uid)
    context = {"nav": NAV, "form": form, "survey": survey, "question": None}
    return render(request, "surveys/builder/question_form.html", context)


@people_required
def question_edit(request: StaffRequest, question_id: str) -> HttpResponse:
    question = get_question_for_builder(request.user, question_id)
    survey = question.survey
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            builder.edit_question(actor=request.user, question=question, data=form.question_data())
        except BuilderError as error:
            add_builder_error(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("surveys:survey", survey_id=survey.uid)
    context = {"nav": NAV, "form": form, "survey": survey, "question": question}
    return render(request, "surveys/builder/question_form.html", context)


def _refused(request: StaffRequest, error: BuilderError) -> None:
    messages.error(request, error.message)


@require_POST
@people_required
def question_move(request: StaffRequest, question_id: str) -> HttpResponse:
    question = get_question_for_builder(request.user, question_id)
    try:
        builder.move_question(
            actor=request.user, question=question, up=request.POST.get("direction") != "down"
        )
    except BuilderError as error:
        _refused(request, error)
    return redirect("surveys:survey", survey_id=question.survey.uid)


@require_POST
@people_required
def question_delete(request: StaffRequest, question_id: str) -> HttpResponse:
    question = get_question_for_builder(request.user, question_id)
    survey_uid = question.survey.uid
    try:
        builder.delete_question(actor=request.user, question=question)
    except BuilderError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The question is deleted."))
    return redirect("surveys:survey", survey_id=survey_uid)


@require_POST
@people_required
def question_to_bank(request: StaffRequest, question_id: str) -> HttpResponse:
    question = get_question_for_builder(request.user, question_id)
    try:
        builder.add_to_bank(
            actor=request.user, question=question, indicator=request.POST.get("indicator", "")[:200]
        )
    except BuilderError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The question is in the question bank."))
    return redirect("surveys:survey", survey_id=question.survey.uid)


@require_POST
@people_required
def bank_add(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    # the bank is the organisation's: its questions are named by their code
    bank = get_object_or_404(bank_for_user(request.user), code=request.POST.get("bank", ""))
    try:
        page = max(1, int(request.POST.get("page") or 1))
    except ValueError:
        page = 1
    try:
        builder.add_from_bank(actor=request.user, survey=survey, bank=bank, page=page)
    except BuilderError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The bank question is added."))
    return redirect("surveys:survey", survey_id=survey.uid)


@require_POST
@people_required
def survey_open(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    try:
        builder.open_survey(actor=request.user, survey=survey)
    except BuilderError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The survey is open: its waves can be sent."))
    return redirect("surveys:survey", survey_id=survey.uid)


@require_POST
@people_required
def survey_close(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    try:
        builder.close_survey(actor=request.user, survey=survey)
    except BuilderError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("surveys:survey", survey_id=survey.uid)


@people_required
def translations(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    return render(
        request,
        "surveys/builder/translations.html",
        {"nav": NAV, "survey": survey, **translation_table(survey)},
    )


@people_required
def bank(request: StaffRequest) -> HttpResponse:
    rows = [
        (b, first_text(b.texts, ("en", "sv"))) for b in bank_for_user(request.user).prefetch_related("uses")
    ]
    return render(request, "surveys/builder/bank.html", {"nav": NAV, "rows": rows})


@people_required
def export(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    response = JsonResponse(export_definition(survey), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.uid}.json"'
    return response


@people_required
def import_survey(request: StaffRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = request.user.organisation
        if organisation is None:
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise DefinitionError("file", _("larger than 2 MB"))
            doc = json.loads(upload.read().decode("utf-8"))
            survey = import_definition(
                actor=request.user,
                organisation=organisation,
                doc=doc,
                created_by=request.user,
                region=form.cleaned_data.get("region"),
                project=form.cleaned_data.get("project"),
            )
        except (UnicodeDecodeError, json.JSONDecodeError):
            form.add_error("file", _("The file is not JSON."))
        except DefinitionError as error:
            form.add_error(
                "file",
                _("Nothing was imported. %(path)s: %(problem)s")
                % {"path": error.path, "problem": error.problem},
            )
        else:
            messages.success(request, _("The survey is imported as a draft."))
            return redirect("surveys:survey", survey_id=survey.uid)
    return render(
        request, "surveys/builder/import.html", {"nav": NAV, "form": form}, status=400 if form.errors else 200
    )

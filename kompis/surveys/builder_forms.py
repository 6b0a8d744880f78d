"""Staff forms of the survey builder: a survey (name, languages, mode, texts per language), a question (kind,
code, page, condition, texts and option labels per language side by side), add from the bank, import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.organisations.models import Project, Region
from kompis.participants.access import regions_for_writing
from kompis.surveys.builder import BuilderError, OptionData, QuestionData, SurveyData
from kompis.surveys.models import CHOICE_KINDS, Question, QuestionKind, Survey
from kompis.surveys.translations import QUESTION_TEXT_KEYS, SURVEY_TEXT_KEYS

LANGUAGE_NAMES = dict(settings.LANGUAGES)
SURVEY_TEXT_LABELS = {"title": _("Title"), "intro": _("Introduction"), "thanks": _("Thank-you text")}
QUESTION_TEXT_LABELS = {
    "text": _("Question"),
    "help": _("Help text"),
    "low": _("Label of the lowest point"),
    "high": _("Label of the highest point"),
}


def add_builder_error(form: forms.Form, error: BuilderError) -> None:
    """Show a refusal at the field it names (its words after the field's name), else above the form."""
    if error.field in form.fields:
        form.add_error(error.field, error.message.split(": ", 1)[-1])
    else:
        form.add_error(None, error.message)


def _limit_scope(form: forms.Form, user: User) -> None:
    """Region and project choices: those the user may write to (a coordinator must choose one)."""
    region = form.fields["region"]
    project = form.fields["project"]
    assert isinstance(region, forms.ModelChoiceField) and isinstance(project, forms.ModelChoiceField)
    region.queryset = regions_for_writing(user).order_by("name")
    projects = Project.objects.filter(organisation=user.organisation)
    mine = projects if user.is_org_admin else projects.filter(pk__in=user.projects.all())
    project.queryset = mine.order_by("name")


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Name (for staff)"), max_length=200)
    languages = forms.MultipleChoiceField(
        label=_("Languages it is sent in"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: answers cannot be linked to the person"), required=False
    )
    k_min = forms.IntegerField(label=_("Smallest group shown"), min_value=1, max_value=1000, initial=5)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, survey: Survey | None = None, **kwargs: Any) -> None:
        if survey is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "name": survey.name,
                "languages": survey.languages,
                "anonymous": survey.anonymous,
                "k_min": survey.k_min,
                "region": survey.region,
                "project": survey.project,
            }
            for lang, texts in survey.texts.items():
                for key, value in texts.items():
                    initial[f"{key}_{lang}"] = value
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        _limit_scope(self, user)
        self.is_coordinator = user.is_coordinator
        for lang, lang_name in settings.LANGUAGES:
            for key in SURVEY_TEXT_KEYS:
                widget = forms.TextInput() if key == "title" else forms.Textarea(attrs={"rows": 2})
                self.fields[f"{key}_{lang}"] = forms.CharField(
                    label=f"{SURVEY_TEXT_LABELS[key]} ({lang_name})",
                    required=False,
                    max_length=2000,
                    widget=widget,
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_coordinator and not data.get("region") and not data.get("project"):
            self.add_error("region", _("Choose one of your regions or projects."))
        return data

    def text_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(name), [self[f"{key}_{lang}"] for key in SURVEY_TEXT_KEYS])
            for lang, name in settings.LANGUAGES
        ]

    def survey_data(self) -> SurveyData:
        d = self.cleaned_data
        texts = {
            lang: {key: d.get(f"{key}_{lang}") or "" for key in SURVEY_TEXT_KEYS}
            for lang, _n in settings.LANGUAGES
        }
        return SurveyData(
            name=d["name"],
            languages=list(d["languages"]),
            anonymous=bool(d.get("anonymous")),
            k_min=int(d["k_min"]),
            region=d.get("region"),
            project=d.get("project"),
            texts=texts,
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("Short, unique in the survey: the column name in exports."),
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=100, initial=1)
    required = forms.BooleanField(label=_("Required"), required=False)
    text_in_reports = forms.BooleanField(label=_("Free text may be listed in funder reports"), required=False)
    show_if = forms.ModelChoiceField(
        label=_("Show only when this question…"), queryset=Question.objects.none(), required=False
    )
    show_if_value = forms.CharField(
        label=_("…has this answer"),
        max_length=64,
        required=False,
        help_text=_("An option code, or yes / no."),
    )
    option_codes = forms.CharField(
        label=_("Option codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Choice questions: one code per line; the labels below follow the same lines."),
    )

    def __init__(self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any) -> None:
        self.survey = survey
        self.languages = [code for code in survey.languages]
        if question is not None and "initial" not in kwargs:
            options = list(question.options.all())
            initial: dict[str, Any] = {
                "kind": question.kind,
                "code": question.code,
                "page": question.page,
                "required": question.required,
                "text_in_reports": question.text_in_reports,
                "show_if": question.show_if,
                "show_if_value": question.show_if_value,
                "option_codes": "\n".join(o.code for o in options),
            }
            for lang in self.languages:
                for key in QUESTION_TEXT_KEYS:
                    initial[f"{key}_{lang}"] = (question.texts.get(lang) or {}).get(key, "")
                initial[f"options_{lang}"] = "\n".join(o.texts.get(lang, "") for o in options)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        show_if = self.fields["show_if"]
        assert isinstance(show_if, forms.ModelChoiceField)
        others = survey.questions.all()
        if question is not None:
            others = others.exclude(pk=question.pk)
        show_if.queryset = others.order_by("page", "position", "id")
        show_if.label_from_instance = lambda q: f"{q.code} ({q.get_kind_display()})"  # type: ignore[method-assign,assignment]
        for lang in self.languages:
            name = LANGUAGE_NAMES.get(lang, lang)
            for key in QUESTION_TEXT_KEYS:
                widget: forms.Widget = forms.Textarea(attrs={"rows": 2, "lang": lang, "dir": "auto"})
                if key in ("low", "high"):
                    widget = forms.TextInput(attrs={"lang": lang, "dir": "auto"})
                self.fields[f"{key}_{lang}"] = forms.CharField(
                    label=f"{QUESTION_TEXT_LABELS[key]} ({name})",
                    required=False,
                    max_length=2000,
                    widget=widget,
                )
            self.fields[f"options_{lang}"] = forms.CharField(
                label=f"{_('Option labels')} ({name})",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": lang, "dir": "auto"}),
            )

    def language_columns(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        keys = [*QUESTION_TEXT_KEYS, "options"]
        return [
            (lang, str(LANGUAGE_NAMES.get(lang, lang)), [self[f"{key}_{lang}"] for key in keys])
            for lang in self.languages
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = [line.strip() for line in (data.get("option_codes") or "").splitlines() if line.strip()]
        if data.get("kind") in CHOICE_KINDS:
            for lang in self.languages:
                labels = (data.get(f"options_{lang}") or "").splitlines()
                if len([x for x in labels if x.strip()]) > len(codes):
                    self.add_error(f"options_{lang}", _("More labels than option codes."))
        elif codes:
            self.add_error("option_codes", _("Only choice questions have options."))
        return data

    def question_data(self) -> QuestionData:
        d = self.cleaned_data
        codes = [line.strip() for line in (d.get("option_codes") or "").splitlines() if line.strip()]
        labels = {lang: (d.get(f"options_{lang}") or "").splitlines() for lang in self.languages}
        options = [
            OptionData(
                code=code,
                texts={lang: labels[lang][i].strip() for lang in self.languages if i < len(labels[lang])},
            )
            for i, code in enumerate(codes)
        ]
        texts = {
            lang: {key: d.get(f"{key}_{lang}") or "" for key in QUESTION_TEXT_KEYS} for lang in self.languages
        }
        return QuestionData(
            code=d["code"],
            kind=d["kind"],
            page=int(d["page"]),
            required=bool(d.get("required")),
            texts=texts,
            options=options if d["kind"] in CHOICE_KINDS else [],
            show_if=d.get("show_if"),
            show_if_value=d.get("show_if_value") or "",
            text_in_reports=bool(d.get("text_in_reports")),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Survey definition (JSON)"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_scope(self, user)
        self.is_coordinator = user.is_coordinator

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_coordinator and not data.get("region") and not data.get("project"):
            self.add_error("region", _("Choose one of your regions or projects."))
        return data

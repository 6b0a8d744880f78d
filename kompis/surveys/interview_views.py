"""Staff pages of in-depth interviews: the samples and themes, draw a sample, a sample with its people, their
notes and the themes counted; add a theme; add interview notes. Admins and coordinators (in scope) only."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.organisations.models import Organisation, Region
from kompis.participants.access import visible_people
from kompis.participants.vocab import Gender, ParticipantRole
from kompis.programmes.models import Role
from kompis.surveys import interviews
from kompis.surveys.access import (
    get_interview_sample_for_user,
    get_interview_subject_for_user,
    interview_samples_for_user,
)
from kompis.surveys.interview_forms import DrawForm, NoteForm, ThemeForm
from kompis.surveys.interview_models import InterviewNote, InterviewSample, Strata


def _organisation(request: StaffRequest) -> Organisation:
    organisation = request.user.organisation
    if organisation is None:  # the access decorator lets only members of an organisation through
        raise PermissionDenied
    return organisation


def _stratum_label(sample: InterviewSample, code: str) -> str:
    if code == interviews.NO_VALUE:
        return _("Not known")
    if sample.strata == Strata.REGION:
        region = Region.objects.filter(pk=code, organisation_id=sample.organisation_id).first()
        return region.name if region else code
    labels = dict(Gender.choices) | dict(Role.choices) | dict(ParticipantRole.choices)
    return str(labels.get(code, code))


def _fail(form: DrawForm | ThemeForm | NoteForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@people_required
def interview_list(request: StaffRequest) -> HttpResponse:
    organisation = _organisation(request)
    samples = interview_samples_for_user(request.user).select_related("cohort__programme", "region")
    return render(
        request,
        "surveys/interviews/list.html",
        {
            "nav": "surveys",
            "samples": samples[:200],
            "themes": interviews.theme_counts(organisation=organisation),
            "theme_form": ThemeForm(),
        },
    )


@people_required
def interview_draw(request: StaffRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sample = interviews.draw_sample(
                actor=request.user,
                organisation=organisation,
                cohort=form.cohort(),
                region=form.cleaned_data["region"],
                strata=form.cleaned_data["strata"],
                per_stratum=form.cleaned_data["per_stratum"],
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The sample is drawn."))
            return redirect("surveys:interview_sample", sample_id=sample.uid)
    return render(request, "surveys/interviews/draw.html", {"nav": "surveys", "form": form})


@people_required
def interview_sample(request: StaffRequest, sample_id: str) -> HttpResponse:
    sample = get_interview_sample_for_user(request.user, sample_id)
    subjects = list(sample.subjects.select_related("participant"))
    people = visible_people(request.user, [s.participant for s in subjects])
    notes: dict[int, list[InterviewNote]] = defaultdict(list)
    for note in InterviewNote.objects.filter(subject__sample=sample):
        notes[note.subject_id].append(note)
    strata: dict[str, list[dict[str, object]]] = defaultdict(list)
    for subject in subjects:
        strata[subject.stratum].append(
            {"subject": subject, "person": people[subject.participant_id], "notes": notes[subject.pk]}
        )
    return render(
        request,
        "surveys/interviews/sample.html",
        {
            "nav": "surveys",
            "sample": sample,
            "strata": [(_stratum_label(sample, code), rows) for code, rows in sorted(strata.items())],
            "themes": interviews.theme_counts(organisation=_organisation(request), sample=sample),
            "note_form": NoteForm(organisation_id=sample.organisation_id),
        },
    )


@people_required
@require_POST
def interview_theme_add(request: StaffRequest) -> HttpResponse:
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            interviews.add_theme(
                actor=request.user,
                organisation=_organisation(request),
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The theme is added."))
            return redirect("surveys:interviews")
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(problem) for problem in problems)
        messages.error(request, f"{label}: {text}" if label else text)
    return redirect("surveys:interviews")


@people_required
@require_POST
def interview_note_add(request: StaffRequest, subject_id: str) -> HttpResponse:
    subject = get_interview_subject_for_user(request.user, subject_id)
    form = NoteForm(request.POST, organisation_id=subject.sample.organisation_id)
    if form.is_valid():
        try:
            interviews.add_note(
                actor=request.user,
                subject=subject,
                text=form.cleaned_data["text"],
                themes=list(form.cleaned_data["themes"]),
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The interview notes are saved."))
            return redirect("surveys:interview_sample", sample_id=subject.sample.uid)
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(problem) for problem in problems)
        messages.error(request, f"{label}: {text}" if label else text)
    return redirect("surveys:interview_sample", sample_id=subject.sample.uid)

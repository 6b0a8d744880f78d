"""Staff pages of a survey's waves: the list with each wave's figures, a new wave, a wave's page, sending it
(POST, after the page has said how many people it goes to)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.surveys import waves
from kompis.surveys.access import get_survey_for_builder, get_wave_for_builder
from kompis.surveys.models import SurveyStatus, WaveKind, WaveStatus
from kompis.surveys.wave_forms import WaveForm


@people_required
def wave_list(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    rows = survey.waves.select_related("cohort__programme").annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__used=True)),
        reminders=Sum("invitations__reminders_sent"),
    )
    return render(
        request,
        "surveys/waves/list.html",
        {"nav": "surveys", "survey": survey, "waves": rows, "can_add": survey.status == SurveyStatus.OPEN},
    )


@people_required
def wave_new(request: StaffRequest, survey_id: str) -> HttpResponse:
    survey = get_survey_for_builder(request.user, survey_id)
    form = WaveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            wave = waves.create_wave(actor=request.user, survey=survey, **form.wave_arguments())
        except waves.WaveError as error:
            form.add_wave_error(error)
        else:
            return redirect("surveys:wave", wave_id=wave.uid)
    return render(request, "surveys/waves/new.html", {"nav": "surveys", "survey": survey, "form": form})


@people_required
def wave_detail(request: StaffRequest, wave_id: str) -> HttpResponse:
    wave = get_wave_for_builder(request.user, wave_id)
    figures = wave.invitations.aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(used=True)),
        reminders=Sum("reminders_sent"),
        without_email=Count("id", filter=Q(participant__email="") | Q(participant__email_bouncing=True)),
    )
    to_send = 0
    if wave.status != WaveStatus.CLOSED and wave.kind != WaveKind.OPEN:
        to_send = waves.to_invite(wave, user=request.user).count()
    return render(
        request,
        "surveys/waves/detail.html",
        {
            "nav": "surveys",
            "survey": wave.survey,
            "wave": wave,
            "figures": figures,
            "to_send": to_send,
            "can_send": wave.status != WaveStatus.CLOSED
            and wave.survey.status == SurveyStatus.OPEN
            and (to_send > 0 or wave.status == WaveStatus.DRAFT),
            "public_link": waves.public_link(wave) if wave.status == WaveStatus.OPEN else "",
        },
    )


@people_required
@require_POST
def wave_send(request: StaffRequest, wave_id: str) -> HttpResponse:
    wave = get_wave_for_builder(request.user, wave_id)
    try:
        invited = waves.send_wave(actor=request.user, wave=wave)
    except waves.WaveError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(n)s person is invited.", "%(n)s people are invited.", invited) % {"n": invited},
        )
    return redirect("surveys:wave", wave_id=wave.uid)

"""A wave's results (every staff role: aggregated and suppressed; free-text answers for admins and
coordinators only) and its exports (admins and coordinators: one row per response)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kompis.accounts.access import people_required, staff_required
from kompis.accounts.requests import StaffRequest
from kompis.surveys import result_exports
from kompis.surveys.access import get_wave_for_results
from kompis.surveys.result_services import record_export
from kompis.surveys.results import baseline_of, paired_change, questions_of, read_wave, wave_results
from kompis.surveys.weighted import MarginsError, parse_margins, weighted_results

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "spss": "application/zip",
}
SUFFIX = {"csv": "csv", "xlsx": "xlsx", "spss": "zip"}


@staff_required
def wave_results_page(request: StaffRequest, wave_id: UUID) -> HttpResponse:
    wave = get_wave_for_results(request.user, wave_id)
    people = request.user.can_see_people
    data = read_wave(wave)
    results = wave_results(wave, with_texts=people, data=data)
    baseline = baseline_of(wave)
    context: dict[str, Any] = {
        "nav": "surveys",
        "wave": wave,
        "survey": wave.survey,
        "results": results,
        "k": settings.SUPPRESSION_K,
        "can_export": people,
        "baseline": baseline,
        "changes": paired_change(baseline, wave) if baseline is not None else [],
        "formats": result_exports.FORMATS,
        "margins": request.GET.get("margins", ""),
    }
    if context["margins"].strip() and results.shown:
        infos = questions_of(wave)
        try:
            context["weighted"] = weighted_results(infos, data, parse_margins(context["margins"], infos))
        except MarginsError as exc:
            context["margins_error"] = str(exc)
    return render(request, "surveys/results/wave.html", context)


@people_required
def wave_export(request: StaffRequest, wave_id: UUID, fmt: str) -> HttpResponse:
    if fmt not in result_exports.FORMATS:
        raise Http404("Unknown export format")
    wave = get_wave_for_results(request.user, wave_id)
    data = read_wave(wave)
    survey = wave.survey
    if survey.anonymous and len(data.answers) < survey.k_min:
        data.answers = []  # an anonymous wave gives nothing away below its smallest group
    infos = questions_of(wave)
    writer = {"csv": result_exports.as_csv, "xlsx": result_exports.as_xlsx, "spss": result_exports.as_spss}[
        fmt
    ]
    body = writer(infos, data)
    record_export(actor=request.user, wave=wave, fmt=fmt, count=len(data.answers))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"survey-{wave.uid}-{timezone.localdate().isoformat()}.{SUFFIX[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

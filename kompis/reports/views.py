"""Reports: the dashboard (every staff role, scoped), downloads, the municipality report and the theory of
change editor (admins and coordinators, for projects in their scope)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompis.accounts.access import people_required, staff_required
from kompis.accounts.requests import StaffRequest
from kompis.reports import services
from kompis.reports.forms import IndicatorForm, ReportFilterForm, StepForm, projects_for
from kompis.reports.models import ChangeStep, Indicator
from kompis.reports.report import Report, cached_report
from kompis.reports.tidy import method_notes

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render_report(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        from kompis.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "xlsx":
        from kompis.reports.xlsx import render_xlsx

        return render_xlsx(report)
    from kompis.reports.csvexport import render_csv

    return render_csv(report)


def filename(report: Report, fmt: str) -> str:
    parts = ["kompis", report.scope.organisation.slug]
    for obj in (report.scope.project, report.scope.municipality):
        if obj is not None:
            parts.append(slugify(obj.name))
    parts.append(report.period.code.replace("..", "_"))
    return "-".join(parts) + f".{fmt}"


def _page(request: StaffRequest, *, municipality_mode: bool) -> HttpResponse:
    params = request.GET
    form = ReportFilterForm(params, user=request.user, require_municipality=municipality_mode)
    report = None
    if (not municipality_mode or params.get("municipality")) and form.is_valid():
        report = cached_report(form.scope(), form.period)
    elif municipality_mode and not params.get("municipality"):
        form = ReportFilterForm(user=request.user, require_municipality=True)
    query = params.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "nav": "reports",
            "form": form,
            "report": report,
            "k": report.k if report else None,
            "notes": method_notes(report) if report else [],
            "query": query,
            "municipality_mode": municipality_mode,
            "source_label": _("Source"),
            "can_edit_theory": request.user.can_see_people,
        },
    )


@staff_required
def dashboard(request: StaffRequest) -> HttpResponse:
    return _page(request, municipality_mode=False)


@staff_required
def municipality(request: StaffRequest) -> HttpResponse:
    return _page(request, municipality_mode=True)


@staff_required
def download(request: StaffRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        if "region" in form.errors or "project" in form.errors:
            raise Http404("No such region or project in your scope")
        return HttpResponseBadRequest(
            "\n".join(str(e) for errs in form.errors.values() for e in errs),
            content_type="text/plain; charset=utf-8",
        )
    report = cached_report(form.scope(), form.period, charts=fmt == "pdf")
    response = HttpResponse(render_report(report, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response


@people_required
def theory_of_change(request: StaffRequest) -> HttpResponse:
    projects = projects_for(request.user).order_by("-starts_on", "name")
    project = None
    if uid := request.GET.get("project"):
        try:
            project = projects.get(uid=uid)
        except (ValueError, Exception) as exc:  # unknown, malformed or out of scope
            raise Http404("No such project") from exc
    step_form = indicator_form = None
    if project is not None:
        step_form = StepForm(prefix="step")
        indicator_form = IndicatorForm(prefix="ind", project=project)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "add_step":
                step_form = StepForm(request.POST, prefix="step")
                if step_form.is_valid():
                    services.add_step(
                        actor=request.user,
                        project=project,
                        level=step_form.cleaned_data["level"],
                        text=step_form.cleaned_data["text"],
                    )
                    messages.success(request, _("Step added."))
                    return redirect(f"{request.path}?project={project.uid}")
            elif action == "add_indicator":
                indicator_form = IndicatorForm(request.POST, prefix="ind", project=project)
                if indicator_form.is_valid():
                    data = indicator_form.cleaned_data
                    services.add_indicator(
                        actor=request.user,
                        step=data["step"],
                        name=data["name"],
                        figure_key=data["figure_key"],
                        target=data["target"],
                        manual_value=data["manual_value"],
                        source=data["source"],
                    )
                    messages.success(request, _("Indicator added."))
                    return redirect(f"{request.path}?project={project.uid}")
            elif action == "delete_step":
                uid = _uuid(request.POST.get("uid"))
                step = ChangeStep.objects.filter(project=project, uid=uid).first() if uid else None
                if step is None:
                    raise Http404("No such step")
                services.delete_step(actor=request.user, step=step)
                messages.success(request, _("Step deleted."))
                return redirect(f"{request.path}?project={project.uid}")
            elif action == "delete_indicator":
                uid = _uuid(request.POST.get("uid"))
                ind = Indicator.objects.filter(step__project=project, uid=uid).first() if uid else None
                if ind is None:
                    raise Http404("No such indicator")
                services.delete_indicator(actor=request.user, indicator=ind)
                messages.success(request, _("Indicator deleted."))
                return redirect(f"{request.path}?project={project.uid}")
    steps = ChangeStep.objects.filter(project=project).prefetch_related("indicators") if project else []
    return render(
        request,
        "reports/theory.html",
        {
            "nav": "reports",
            "projects": projects,
            "project": project,
            "steps": steps,
            "step_form": step_form,
            "indicator_form": indicator_form,
        },
    )


def _uuid(value: str | None) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None

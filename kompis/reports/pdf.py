"""The PDF report (WeasyPrint): the same suppressed report object the page and the exports render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.reports.tidy import method_notes

if TYPE_CHECKING:
    from kompis.reports.report import Report


def _css_string(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def key_figures(report: Report) -> list[tuple[str, object]]:
    s, m = report.summary, report.matches
    return [
        (_("Sign-ups"), s.cell("signups", "total")),
        (_("Matches made"), m.cell("matches_made", "n")),
        (_("Confirmed meetings"), m.cell("confirmed_meetings", "n")),
        (_("Met rate"), m.cell("met_rate", "n")),
        (_("Waiting now"), s.cell("waiting_now", "total")),
        (_("Follow-up answered"), s.cell("followup_answered", "total")),
    ]


def heading(report: Report) -> str:
    if report.scope.municipality is not None:
        return _("Municipality report %(period)s") % {"period": report.period.label}
    if report.scope.project is not None:
        return _("Project report %(period)s") % {"period": report.period.label}
    return _("Impact report %(period)s") % {"period": report.period.label}


def render_html(report: Report) -> str:
    org = report.scope.organisation.name
    context = {
        "report": report,
        "k": report.k,
        "notes": method_notes(report),
        "keyfigs": key_figures(report),
        "heading": heading(report),
        "source_label": _("Source"),
        "LANGUAGE_CODE": get_language(),
        "org_name_css": _css_string(org),
        "header_right_css": _css_string(f"{heading(report)} · {report.title}"),
        "footer_css": _css_string(
            _("Made with Kompis %(date)s") % {"date": report.generated_at.strftime("%Y-%m-%d")}
        ),
    }
    return render_to_string("reports/pdf.html", context)


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(
        string=render_html(report)
    ).write_pdf()  # WeasyPrint is untyped; write_pdf() gives bytes
    return pdf

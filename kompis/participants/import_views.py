"""Import and export of participants (placeholder, replaced by the import work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kompis.accounts.access import people_required


@people_required
def import_start(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/import.html", {"nav": "import"})


@people_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("", content_type="text/csv")

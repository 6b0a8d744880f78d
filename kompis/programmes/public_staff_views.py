"""Staff open or close a programme's public enrolment form (the programme page shows its link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.programmes.access import get_programme_for_user
from kompis.programmes.public_enrolment import set_public_enrolment


@people_required
def public_enrolment(request: StaffRequest, programme_id: str) -> HttpResponse:
    # Scope first: outside it every method gets 404 (a 405 would confirm that the programme exists).
    programme = get_programme_for_user(request.user, programme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    open_form = request.POST.get("open") == "1"
    set_public_enrolment(actor=request.user, programme=programme, open_form=open_form)
    if open_form:
        messages.success(request, _("The programme is open for enrolment through the public form."))
    else:
        messages.success(request, _("The public enrolment form is closed."))
    return redirect("programmes:detail", programme_id=programme.uid)

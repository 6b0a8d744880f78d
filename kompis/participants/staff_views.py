"""Staff pages for participants. Thin: access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.municipalities.models import Municipality
from kompis.participants import services, staff_services
from kompis.participants.access import get_participant_for_user
from kompis.participants.forms import NoteForm, PauseForm, WithdrawForm
from kompis.participants.panels import rendered_panels
from kompis.participants.selectors import ParticipantFilter, filtered_participants
from kompis.participants.staff_forms import ScopedStaffForm, StaffAddForm, out_of_scope_message
from kompis.participants.vocab import LANGUAGES, MeetingMode, ParticipantRole, Status

PAGE_SIZE = 50


@people_required
def participant_list(request: StaffRequest) -> HttpResponse:
    filters = ParticipantFilter.from_query(request.GET)
    qs = filtered_participants(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    regions = (
        user.organisation.regions.all() if user.is_org_admin and user.organisation else user.regions.all()
    )
    context = {
        "nav": "participants",
        "page": page,
        "filters": filters,
        "regions": regions,
        "municipalities": Municipality.objects.filter(regions__in=regions).distinct().order_by("name"),
        "roles": ParticipantRole.choices,
        "statuses": Status.choices,
        "modes": MeetingMode.choices,
        "languages": list(LANGUAGES.items()),
    }
    template = (
        "participants/_list_rows.html" if request.headers.get("HX-Request") else "participants/list.html"
    )
    return render(request, template, context)


@people_required
def participant_detail(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    return render(
        request,
        "participants/detail.html",
        {
            "nav": "participants",
            "p": participant,
            "history": history_lines(request.user, history_of(participant)[:100]),
            "notes": participant.notes.select_related("author")[:100],
            "consents": participant.consents.all(),
            # what the apps above show about her (her matches, the mails to her): kompis.participants.panels
            "panels": rendered_panels(request, request.user, participant),
            "note_form": NoteForm(),
            "pause_form": PauseForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


@people_required
def participant_edit(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    form = ScopedStaffForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = get_participant_for_user(request.user, participant_id)
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
        try:
            changed = staff_services.update_participant_in_scope(
                actor=request.user, participant=fresh, data=data
            )
        except staff_services.OutOfScope:
            form.add_error("region", out_of_scope_message(request.user))
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect("participants:detail", participant_id=participant.uid)
    return render(request, "participants/edit.html", {"nav": "participants", "p": participant, "form": form})


@people_required
def participant_add(request: StaffRequest) -> HttpResponse:
    """Add a person who signed up on paper: waiting at once, consent recorded as on paper, by staff."""
    form = StaffAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            participant = staff_services.add_participant_by_staff(
                actor=request.user,
                data=data,
                language=form.cleaned_data["preferred_language"],
                research_consent=form.cleaned_data["consent_research"],
            )
        except staff_services.OutOfScope:
            form.add_error("region", out_of_scope_message(request.user))
        else:
            messages.success(
                request, _("%(name)s is added and waiting for a match.") % {"name": participant.full_name}
            )
            return redirect("participants:detail", participant_id=participant.uid)
    return render(request, "participants/add.html", {"nav": "participants", "form": form})


@people_required
@require_POST
def participant_pause(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.pause_participant(
                actor=request.user, participant=participant, until=form.cleaned_data["until"]
            )
            messages.success(request, _("The participant is paused."))
        except ValueError:
            messages.error(request, _("Only a confirmed participant can be paused."))
    return redirect("participants:detail", participant_id=participant.uid)


@people_required
@require_POST
def participant_resume(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    try:
        services.resume_participant(actor=request.user, participant=participant)
        messages.success(request, _("The participant is back in the waiting pool."))
    except ValueError:
        messages.error(request, _("Only a paused participant can be resumed."))
    return redirect("participants:detail", participant_id=participant.uid)


@people_required
@require_POST
def participant_withdraw(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.withdraw_participant(actor=request.user, participant=participant, reason=reason)
    messages.success(request, _("The participant is withdrawn."))
    return redirect("participants:detail", participant_id=participant.uid)


@people_required
@require_POST
def participant_note(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = get_participant_for_user(request.user, participant_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(actor=request.user, participant=participant, text=form.cleaned_data["text"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write a note first."))
    return redirect("participants:detail", participant_id=participant.uid)

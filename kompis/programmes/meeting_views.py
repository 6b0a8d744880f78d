"""Staff log a meeting for a mentor pair (the pair told them by phone) and see the pair's meetings: the date
and how they met (the words the pair write are theirs, and not shown here)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.participants.access import visible_people
from kompis.programmes.access import get_pair_for_user
from kompis.programmes.meeting_forms import date_message, for_pair
from kompis.programmes.meeting_selectors import meetings_of, next_expected
from kompis.programmes.meetings import LOGGABLE, MeetingRefused, log_meeting


@people_required
def pair_meeting(request: StaffRequest, pair_id: str) -> HttpResponse:
    """GET: the pair's meetings and the form; POST: log a meeting (the same date again updates it)."""
    pair = get_pair_for_user(request.user, pair_id)
    form_class = for_pair(pair, own=False)
    form = form_class(request.POST or None)
    form.fields.pop("note")  # the pair's own words: staff do not write them for the pair
    can_log = pair.status in LOGGABLE
    if request.method == "POST" and can_log and form.is_valid():
        met_on = form.cleaned_data["met_on"]
        try:
            log_meeting(actor=request.user, pair=pair, met_on=met_on, how=form.cleaned_data["how"])
        except MeetingRefused as refused:
            form.add_error(
                "met_on" if refused.field == "met_on" else None, date_message(refused.code, pair, own=False)
            )
        else:
            messages.success(
                request,
                _("The meeting on %(date)s is logged.") % {"date": formats.date_format(met_on, "j F Y")},
            )
            return redirect("programmes:pair_meeting", pair_id=pair.uid)
    people = visible_people(request.user, [pair.mentee.participant, pair.mentor.participant])
    return render(
        request,
        "programmes/pair_meetings.html",
        {
            "nav": "programmes",
            "pair": pair,
            "cohort": pair.cohort,
            "mentee": people[pair.mentee.participant_id],
            "mentor": people[pair.mentor.participant_id],
            "meetings": list(meetings_of(pair)[:200]),
            "next_expected": next_expected(pair),
            "form": form if can_log else None,
        },
        status=400 if request.method == "POST" else 200,
    )

"""Staff pages for likely duplicate people: the list of pairs, and merging one pair (a confirm step, POST).

Joined into the participants' staff URLs (staff_urls.py) as `duplicates/`: `participants:duplicates` and
`participants:duplicate_merge`.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompis.accounts.access import people_required
from kompis.accounts.models import User
from kompis.accounts.requests import staff_user
from kompis.participants.access import get_participant_for_user
from kompis.participants.duplicates import MAX_PAIRS, duplicate_rules, likely_duplicates
from kompis.participants.merge import MergeRefused, merge_participants
from kompis.participants.models import Participant


@people_required
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = likely_duplicates(staff_user(request))
    return render(
        request,
        "participants/duplicates.html",
        {"nav": "participants", "pairs": pairs, "max_pairs": MAX_PAIRS, "capped": len(pairs) >= MAX_PAIRS},
    )


@people_required
@require_http_methods(["GET", "HEAD", "POST"])
def duplicate_merge(request: HttpRequest, participant_id: uuid.UUID) -> HttpResponse:
    """Merge the record in the URL into the one named `keep` (query on GET, body on POST). GET shows the two
    records side by side and asks to confirm (changes nothing); POST merges. Both must be in scope (404)."""
    user = staff_user(request)
    params = request.POST if request.method == "POST" else request.GET
    remove = get_participant_for_user(user, participant_id)
    keep = _person(user, params.get("keep", ""))
    error = ""
    if request.method == "POST":
        try:
            result = merge_participants(actor=user, keep=keep, remove=remove)
        except MergeRefused as exc:
            error = exc.message
        else:
            messages.success(
                request, _("The two records are merged into %(name)s.") % {"name": result.kept.full_name}
            )
            return redirect("participants:detail", participant_id=result.kept.uid)
    return render(
        request,
        "participants/duplicates_merge.html",
        {
            "nav": "participants",
            "keep": keep,
            "remove": remove,
            "reasons": [rule.label for rule in duplicate_rules(keep, remove)],
            "error": error,
        },
        status=400 if error else 200,
    )


def _person(user: User, value: str) -> Participant:
    """A participant in the user's scope named by uid (404 for a malformed uid or anyone out of scope)."""
    try:
        uid = uuid.UUID(value)
    except ValueError as exc:
        raise Http404("No such participant") from exc
    return get_participant_for_user(user, uid)


urlpatterns = [
    path("", duplicates, name="duplicates"),
    path("<uuid:participant_id>/merge/", duplicate_merge, name="duplicate_merge"),
]

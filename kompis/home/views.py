from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from kompis.accounts.access import staff_required
from kompis.accounts.models import User
from kompis.accounts.requests import StaffRequest
from kompis.outbox.selectors import OutboxHealth, outbox_health
from kompis.participants.selectors import staff_overview


@staff_required
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "core/staff_home.html",
        {"overview": staff_overview(user=request.user), "outbox": _outbox_health_for(request.user)},
    )


def _outbox_health_for(user: User) -> OutboxHealth | None:
    """The outbox backlog: admins always see it; coordinators only when mail is delayed or undelivered
    (so they can answer "I got no mail"); viewers never (they see reports only)."""
    if not user.can_see_people or not user.organisation_id:
        return None
    health = outbox_health(organisation_id=user.organisation_id)
    return health if user.is_org_admin or health.needs_attention else None

"""A typed `request.user` for staff views.

Staff views are behind a login (and the access helpers), so their user is a `User`. `StaffRequest` says so
to the type checker (annotate a staff view's request with it); `staff_user(request)` returns the user typed,
for code that takes a plain `HttpRequest`, and refuses an anonymous visitor rather than letting one through.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kompis.accounts.models import User


class StaffRequest(HttpRequest):
    user: User


def staff_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user

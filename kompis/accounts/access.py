"""Who may see what. Views get objects only through access helpers (one per object kind)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from kompis.accounts.models import User
from kompis.accounts.requests import staff_user

View = Callable[..., HttpResponse]


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Signed in, of an organisation, with a role (a superuser without one is not staff here)."""
    return isinstance(user, User) and bool(user.is_authenticated and user.organisation_id and user.role)


def staff_required(view: View) -> View:
    """Any staff role (admin, coordinator, viewer) of an organisation."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def people_required(view: View) -> View:
    """Admins and coordinators: pages that show persons (viewers see aggregated reports only)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_user(request).can_see_people:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def org_admin_required(view: View) -> View:
    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_user(request).is_org_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_scope(user: User, *, region: str = "region", project: str = "project") -> Q:
    """What a coordinator may see: objects of their regions or of their projects.

    `region` and `project` name the lookups from the queried model, e.g. `project="participant__project"`.
    """
    return Q(**{f"{region}__in": user.regions.all()}) | Q(**{f"{project}__in": user.projects.all()})


def get_staff_for_admin(user: User, uid: str) -> User:
    """A staff member of the admin's own organisation (404 for anyone else's)."""
    return get_object_or_404(User, uid=uid, organisation_id=user.organisation_id)

"""Staff accounts: invitations, roles, deactivation and passwords set through mailed links.

Invitation and password links are signed (kompis.core.tokens), expire, and work once: the token carries a
fingerprint of the password hash, which changes as soon as the password is set. Staff are never deleted
(their names are on audit events and notes); they are deactivated.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from kompis.accounts.models import Role, User
from kompis.audit.actors import Actor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.core.links import absolute_url
from kompis.core.tokens import InvalidLink, make_token, read_token
from kompis.outbox.services import queue_mail

INVITE = "staff.invite"
RESET = "staff.reset"
#: who asks for a password reset: someone at the public page, not yet signed in
PUBLIC = SystemActor("accounts.password_page")


def link_lifetime(purpose: str) -> timedelta:
    if purpose == INVITE:
        return timedelta(days=settings.STAFF_INVITE_DAYS)
    return timedelta(hours=settings.PASSWORD_RESET_HOURS)


def _fingerprint(user: User) -> str:
    state = f"{user.pk}:{user.password}:{user.is_active}:{user.last_login}"
    return salted_hmac("kompis.staff.password-link", state).hexdigest()[:24]


def password_link(user: User, purpose: str) -> str:
    token = make_token(purpose, {"u": str(user.uid), "f": _fingerprint(user)})
    name = "accounts:invitation" if purpose == INVITE else "accounts:password_reset_confirm"
    return absolute_url(name, token)


def user_from_link(*, purpose: str, token: str, lock: bool = False) -> User:
    """The staff member a link is for; InvalidLink("invalid"|"expired"|"used") otherwise."""
    payload = read_token(purpose, token, max_age=link_lifetime(purpose))
    try:
        uid = uuid.UUID(str(payload.get("u")))
    except ValueError as exc:
        raise InvalidLink("invalid") from exc
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(uid=uid, is_active=True).first()
    if user is None:
        raise InvalidLink("invalid")
    if not constant_time_compare(str(payload.get("f", "")), _fingerprint(user)):
        raise InvalidLink("used")
    return user


def _queue_password_mail(user: User, *, purpose: str, language: str) -> None:
    template = "staff_invitation" if purpose == INVITE else "staff_password_reset"
    lifetime = link_lifetime(purpose)
    queue_mail(
        to_email=user.email,
        template=template,
        language=language,
        context={
            "organisation": user.organisation.name if user.organisation else "Kompis",
            "first_name": user.first_name,
            "link": password_link(user, purpose),
            "username": user.get_username(),
            "days": lifetime.days,
            "hours": int(lifetime.total_seconds() // 3600),
            "login_url": absolute_url("accounts:login"),
        },
        dedupe_key=f"{purpose}:{user.uid}:{timezone.now().timestamp()}",
        organisation=user.organisation,
    )


def _pks(objects: Iterable[models.Model]) -> list[int]:
    """Regions or projects by primary key (accounts does not import kompis.organisations)."""
    return [int(o.pk) for o in objects]


def _ids(objects: Iterable[models.Model]) -> list[str]:
    """The opaque ids (uid) of regions or projects, for an event's data."""
    return sorted(str(getattr(o, "uid")) for o in objects)  # noqa: B009  (regions and projects both have a uid)


@transaction.atomic
def invite_staff(
    *,
    actor: Actor,
    organisation: models.Model,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    regions: Iterable[models.Model] = (),
    projects: Iterable[models.Model] = (),
    language: str,
) -> User:
    """Create the staff member without a password and mail them a link to set one."""
    email = email.strip().lower()
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation_id=organisation.pk,
        role=role,
        password=make_password(None),  # unusable until they set their own
    )
    user.save()
    regions, projects = list(regions), list(projects)
    if role == Role.COORDINATOR:
        user.regions.set(_pks(regions))
        user.projects.set(_pks(projects))
    _queue_password_mail(user, purpose=INVITE, language=language)
    record(
        actor=actor,
        action=EventType.STAFF_INVITED,
        obj=user,
        organisation=organisation,
        data={"role": role, "regions": _ids(regions), "projects": _ids(projects)},
    )
    return user


def is_invited(user: User) -> bool:
    """Invited and not yet accepted: no password of their own and never logged in."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def resend_invitation(*, actor: Actor, user: User, language: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not is_invited(user) or not user.is_active:
        raise ValidationError(
            _("This person has set a password already; they can reset it from the log-in page.")
        )
    user.password = make_password(None)  # older invitation links stop working
    user.save(update_fields=["password"])
    _queue_password_mail(user, purpose=INVITE, language=language)
    record(actor=actor, action=EventType.STAFF_INVITATION_RESENT, obj=user, organisation=user.organisation)


def _other_active_admins(user: User) -> int:
    return (
        User.objects.filter(organisation=user.organisation, role=Role.ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .count()
    )


@transaction.atomic
def update_staff(
    *,
    actor: Actor,
    user: User,
    role: str,
    regions: Iterable[models.Model] = (),
    projects: Iterable[models.Model] = (),
) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    # Lock the organisation's admins so two admins demoting each other cannot leave none.
    list(User.objects.select_for_update().filter(organisation=user.organisation, role=Role.ADMIN))
    if user.role == Role.ADMIN and role != Role.ADMIN and user.is_active and not _other_active_admins(user):
        raise ValidationError(
            _("The organisation needs at least one active admin. Make someone else an admin first.")
        )
    regions, projects = (list(regions), list(projects)) if role == Role.COORDINATOR else ([], [])
    before = (user.role, _ids(user.regions.all()), _ids(user.projects.all()))
    user.role = role
    user.save(update_fields=["role"])
    user.regions.set(_pks(regions))
    user.projects.set(_pks(projects))
    after = (role, _ids(regions), _ids(projects))
    if before != after:
        record(
            actor=actor,
            action=EventType.STAFF_CHANGED,
            obj=user,
            organisation=user.organisation,
            data={"role": role, "previous_role": before[0], "regions": after[1], "projects": after[2]},
        )


@transaction.atomic
def deactivate_staff(*, actor: Actor, user: User) -> None:
    """The person can no longer log in (their sessions end too); their history stays."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    list(User.objects.select_for_update().filter(organisation=user.organisation, role=Role.ADMIN))
    if user.role == Role.ADMIN and not _other_active_admins(user):
        raise ValidationError(_("The organisation needs at least one active admin."))
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(actor=actor, action=EventType.STAFF_DEACTIVATED, obj=user, organisation=user.organisation)


@transaction.atomic
def reactivate_staff(*, actor: Actor, user: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(actor=actor, action=EventType.STAFF_REACTIVATED, obj=user, organisation=user.organisation)


@transaction.atomic
def set_password_from_link(*, purpose: str, token: str, password: str) -> User:
    """Set the password a link was sent for; the link stops working (the fingerprint changes)."""
    user = user_from_link(purpose=purpose, token=token, lock=True)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor=user,
        action=EventType.STAFF_INVITATION_ACCEPTED if purpose == INVITE else EventType.STAFF_PASSWORD_RESET,
        obj=user,
        organisation=user.organisation,
    )
    return user


@transaction.atomic
def request_password_reset(*, email: str, language: str) -> None:
    """Mail a reset link to an active account with this address; nothing at all for an unknown address
    (the page answers the same either way, so it cannot tell who has an account)."""
    address = email.strip().lower()
    if not address:
        return
    for user in User.objects.filter(email__iexact=address, is_active=True):
        _queue_password_mail(user, purpose=RESET, language=language)
        record(
            actor=PUBLIC,
            action=EventType.STAFF_PASSWORD_RESET_REQUESTED,
            obj=user,
            organisation=user.organisation,
        )

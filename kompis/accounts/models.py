from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompis.core.fields import opaque_id_field


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    COORDINATOR = "coordinator", _("Coordinator")
    VIEWER = "viewer", _("Viewer (reports only)")


class User(AbstractUser):
    """A staff member. Participants have no login; they use signed links.

    `is_staff` (Django admin) is for superusers only; Kompis' own roles are `role` within one organisation.
    """

    uid = opaque_id_field()
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(
        pgettext_lazy("staff role", "role"), max_length=16, choices=Role.choices, blank=True
    )
    regions = models.ManyToManyField("organisations.Region", blank=True, related_name="coordinators")
    projects = models.ManyToManyField("organisations.Project", blank=True, related_name="coordinators")

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def can_see_people(self) -> bool:
        """Viewers see aggregated reports only, never a participant."""
        return self.role in (Role.ADMIN, Role.COORDINATOR)

"""Theory of change per project: resources → activities → outputs → outcomes, each with indicators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompis.core import figures
from kompis.core.fields import opaque_id_field


class Level(models.TextChoices):
    RESOURCE = "resource", _("Resources")
    ACTIVITY = "activity", _("Activities")
    OUTPUT = "output", _("Outputs")
    OUTCOME = "outcome", _("Outcomes")


LEVEL_ORDER = [Level.RESOURCE, Level.ACTIVITY, Level.OUTPUT, Level.OUTCOME]


class ChangeStep(models.Model):
    """One box of a project's theory of change, e.g. "Coordinators match and introduce" (an activity)."""

    uid = opaque_id_field()
    project = models.ForeignKey(
        "organisations.Project", on_delete=models.CASCADE, related_name="change_steps"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    text = models.CharField(_("description"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("theory of change step")

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    """How a step is measured. Linked to a registered figure (`figure_key`), the report computes the actual
    value; otherwise staff enter it by hand with its source (e.g. "Survey, spring 2026")."""

    uid = opaque_id_field()
    step = models.ForeignKey(ChangeStep, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    figure_key = models.CharField(_("measured figure"), max_length=64, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    manual_value = models.DecimalField(
        _("value (if not measured in Kompis)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source (if not measured in Kompis)"), max_length=300, blank=True)

    class Meta:
        ordering = ["step", "id"]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.name

    @property
    def figure_label(self) -> str:
        return figures.label(self.figure_key)

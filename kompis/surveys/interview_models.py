"""In-depth interviews (issue #14): a random stratified sample of an activity's people, notes from the
interviews with coded themes, and the organisation's list of themes.

A sample is drawn from a cohort's people (started, not on the waiting list) or from the people in friend
matches (of a region, or the whole organisation), split into strata by role, region or gender, with at most
`per_stratum` people per stratum. The draw is reproducible: the same seed and the same population give the
same people (`kompis.surveys.interviews.draw`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import CodeListField, opaque_id_field


class Strata(models.TextChoices):
    ROLE = "role", _("Role")
    REGION = "region", _("Region")
    GENDER = "gender", _("Gender")


class InterviewSample(models.Model):
    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # the population: a cohort's people, or (no cohort) the people in friend matches
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # scope (a coordinator sees samples of their regions/projects, and organisation-wide ones); for friend
    # matches the region also narrows the population
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "organisations.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    strata = models.CharField(_("strata"), max_length=16, choices=Strata.choices)
    per_stratum = models.PositiveSmallIntegerField(_("people per stratum"))
    seed = models.PositiveIntegerField(_("seed"))
    population = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-drawn_at", "id"]
        verbose_name = _("interview sample")
        constraints = [
            models.CheckConstraint(condition=Q(per_stratum__gte=1), name="interview_sample_size_positive")
        ]

    def __str__(self) -> str:
        return f"sample {self.pk}"


class InterviewSubject(models.Model):
    """One drawn person of a sample, with the stratum they were drawn from."""

    uid = opaque_id_field()
    sample = models.ForeignKey(InterviewSample, on_delete=models.CASCADE, related_name="subjects")
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    stratum = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stratum", "position", "id"]
        verbose_name = _("interview subject")
        constraints = [
            models.UniqueConstraint(fields=["sample", "participant"], name="interview_subject_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.sample_id}"


class InterviewTheme(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("interview theme")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="interview_theme_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class InterviewNote(models.Model):
    uid = opaque_id_field()
    subject = models.ForeignKey(InterviewSubject, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("notes"))
    themes = CodeListField(_("themes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("interview note")

    def __str__(self) -> str:
        return f"note {self.pk}"

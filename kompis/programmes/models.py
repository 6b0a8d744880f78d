"""Mentor programmes: a programme runs in cohorts; people enrol in a cohort as mentee or mentor.

A programme belongs to an organisation and optionally a region and/or project (a coordinator sees the
programmes of their regions and projects). A cohort may name its own region/project, overriding the
programme's. An enrolment is a person's (`participants.Participant`) place in one cohort, with a status:
on the waiting list (the cohort's mentee places were taken), active, completed or dropped out (with a coded
reason). Goals are the person's own words: they live on the enrolment, never in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field
from kompis.participants.vocab import MeetingMode


class Programme(models.Model):
    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        "organisations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        verbose_name=_("project"),
    )
    pair_duration_months = models.PositiveSmallIntegerField(_("pair duration (months)"), default=6)
    min_meetings_per_month = models.PositiveSmallIntegerField(_("minimum meetings per month"), default=1)
    silent_pair_days = models.PositiveSmallIntegerField(_("days without a meeting before a task"), default=45)
    # None: no completion rule (staff mark completion by hand).
    min_sessions_attended = models.PositiveSmallIntegerField(
        _("sessions to attend for completion"), null=True, blank=True
    )
    # open for enrolment through the public form (`/<org>/programmes/<uid>/`)
    public_enrolment = models.BooleanField(_("open for enrolment through the public form"), default=False)
    # the programme's own rules and weights for making mentor pairs (see `programmes.pairing.PairingRules`)
    pairing_rules = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(pair_duration_months__gte=1), name="programme_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(silent_pair_days__gte=1), name="programme_silent_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    uid = opaque_id_field()
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        "organisations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
        verbose_name=_("project"),
    )
    # None: no limit on mentees. Mentors are never put on the waiting list.
    mentee_capacity = models.PositiveIntegerField(_("places for mentees"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("cohort")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_region_id(self) -> int | None:
        return self.region_id or self.programme.region_id

    @property
    def effective_project_id(self) -> int | None:
        return self.project_id or self.programme.project_id


class Role(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class Field(models.TextChoices):
    """A short list of fields of work (a code, so that pairs can be matched on it and figures counted)."""

    HEALTH = "health", _("Health and care")
    EDUCATION = "education", _("Education")
    IT = "it", _("IT and technology")
    ENGINEERING = "engineering", _("Engineering and industry")
    BUSINESS = "business", _("Business, finance and law")
    TRADES = "trades", _("Trades and construction")
    SERVICE = "service", _("Service, hotel and restaurant")
    PUBLIC = "public", _("Public sector and social work")
    CULTURE = "culture", _("Culture and media")
    OTHER = "other", _("Other")


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting_list", _("Waiting list")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class DropoutReason(models.TextChoices):
    WORK = "work", _("Found work or studies")
    MOVED = "moved", _("Moved away")
    TIME = "time", _("No time")
    HEALTH = "health", _("Health")
    NOT_SUITABLE = "not_suitable", _("The programme did not suit")
    NO_CONTACT = "no_contact", _("Could not be reached")
    OWN_WISH = "own_wish", _("Own wish")
    OTHER = "other", _("Other")


class Enrolment(models.Model):
    uid = opaque_id_field()
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="programme_enrolments"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    field = models.CharField(_("field of work"), max_length=16, choices=Field.choices, blank=True)
    field_other = models.CharField(_("field of work (other)"), max_length=100, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    # how the person can meet their mentor or mentee (blank: not asked; treated as either)
    meeting_mode = models.CharField(_("how to meet"), max_length=16, choices=MeetingMode.choices, blank=True)
    # a mentor may take more than one mentee at a time
    max_mentees = models.PositiveSmallIntegerField(_("mentees at the same time"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    dropout_reason = models.CharField(_("reason"), max_length=16, choices=DropoutReason.choices, blank=True)
    dropout_note = models.TextField(_("note"), blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    dropped_at = models.DateTimeField(_("dropped out"), null=True, blank=True)

    class Meta:
        ordering = ["enrolled_at", "id"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "participant"], name="enrolment_once_per_cohort"),
        ]
        indexes = [
            models.Index(fields=["cohort", "status", "role"], name="enrolment_cohort_status"),
            models.Index(fields=["participant", "status"], name="enrolment_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.cohort_id}: {self.role} {self.status}"

    @property
    def is_open(self) -> bool:
        """Active or waiting: the person is still in the programme."""
        return self.status in (EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE)


# Mentor pairs, their meeting log and the cohort's sessions live in modules of their own (issue #13).
from kompis.programmes.pair_models import MeetingHow as MeetingHow  # noqa: E402
from kompis.programmes.pair_models import MentorPair as MentorPair  # noqa: E402
from kompis.programmes.pair_models import PairEndReason as PairEndReason  # noqa: E402
from kompis.programmes.pair_models import PairMeeting as PairMeeting  # noqa: E402
from kompis.programmes.pair_models import PairStatus as PairStatus  # noqa: E402
from kompis.programmes.session_models import CohortSession as CohortSession  # noqa: E402
from kompis.programmes.session_models import SessionKind as SessionKind  # noqa: E402

"""Matching runs, their proposals, approved matches, excluded pairs and per-organisation weights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompis.core.fields import opaque_id_field

if TYPE_CHECKING:
    from kompis.organisations.models import Project, Region


class Solver(models.TextChoices):
    FAST = "fast", _("Fast (recommended)")
    EXACT = "exact", _("Exact (small pools)")
    GREEDY = "greedy", _("Greedy (quickest)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DRAFT = "draft", _("Draft")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Failed")


#: a run in one of these states holds its scope: no overlapping run may start
ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunPhase(models.TextChoices):
    """Where a run is; the engine's own phases (index … repair) are shown as one step."""

    QUEUED = "queued", _("Waiting for the background worker")
    POOL = "pool", _("Reading the waiting pool")
    ENGINE = "engine", _("Finding the best pairs")
    EXPLAIN = "explain", _("Explaining who stays unmatched")
    SAVE = "save", _("Saving the proposals")
    DONE = "done", pgettext_lazy("matching run phase", "Done")


class RunError(models.TextChoices):
    """Why a run failed, shown to staff in their language (details are in the server log)."""

    BAD_DATA = "bad_data", _("The waiting pool holds data the matching engine cannot use.")
    ENGINE = "engine", _("The matching engine stopped with an error.")
    WORKER_LOST = "worker_lost", _("The background worker stopped while the run was in progress.")


def scope_label(*, region: Region | None, project: Project | None) -> str:
    """ "Uppsala", "Uppsala / Familjekompis", or "Whole organisation": how a run's scope is named."""
    return " / ".join(str(x) for x in (region, project) if x is not None) or str(_("Whole organisation"))


class MatchingRun(models.Model):
    """One call of the engine for a scope (a region and/or a project, or the whole organisation)."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        "organisations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    solver = models.CharField(_("solver"), max_length=16, choices=Solver.choices, default=Solver.FAST)
    weights = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT)
    #: set by staff when starting a run (default: the scope and the date); the run list filters on it
    name = models.CharField(_("name"), max_length=200, blank=True)
    phase = models.CharField(max_length=16, choices=RunPhase.choices, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.CharField(max_length=16, choices=RunError.choices, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: a running run whose lease has passed lost its worker (the worker extends it at every step)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: token of the worker that holds the run; its writes are ignored once another worker took over
    claim = models.CharField(max_length=32, blank=True)
    #: pairs, newcomers/established in the pool, unmatched per role, blocking_rules, mean_score, seconds
    stats = models.JSONField(default=dict, blank=True)
    #: participant pk (as string) -> {"role", "rule", "eliminated"} for everybody the run left unmatched
    unmatched = models.JSONField(default=dict, blank=True)
    #: pool shortages (params of the engine's ``pool_shortage`` reason), largest group first
    shortages = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return self.name or f"{self.scope_label} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def scope_label(self) -> str:
        return scope_label(region=self.region, project=self.project)


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


class Proposal(models.Model):
    """A pair the engine (or staff choosing another partner) proposes; nobody is told before approval."""

    uid = opaque_id_field()
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    newcomer = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    established = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    #: list of {"code", "params", "points"}
    reasons = models.JSONField(default=list, blank=True)
    rank = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    chosen_by_staff = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("proposal")
        indexes = [
            models.Index(fields=["run", "state", "rank"]),
            models.Index(fields=["newcomer", "state"]),
            models.Index(fields=["established", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer_id}-{self.established_id} ({self.state})"


class MatchKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")


class MatchMode(models.TextChoices):
    PHYSICAL = "physical", _("Meet in person")
    DIGITAL = "digital", _("Meet online")


class MatchStatus(models.TextChoices):
    """Lifecycle of a match; the follow-up work extends it after `approved`."""

    APPROVED = "approved", _("Approved")
    INTRODUCED = "introduced", _("Introduced")
    FOLLOWUP_ASKED = "followup_asked", _("Follow-up asked")
    MET = "met", _("Met")
    NOT_YET = "not_yet", _("Not met yet")
    WILL_NOT_MEET = "will_not_meet", _("Will not meet")
    NO_ANSWER = "no_answer", _("No answer")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    ENDED = "ended", _("Ended")


#: statuses in which a match no longer uses a participant's capacity
INACTIVE_MATCH_STATUSES = (MatchStatus.ENDED,)


class MatchQuerySet(models.QuerySet["Match"]):
    def active(self) -> MatchQuerySet:
        return self.exclude(status__in=INACTIVE_MATCH_STATUSES)


class Match(models.Model):
    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    newcomer = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    established = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=MatchKind.choices, default=MatchKind.INDIVIDUAL)
    mode = models.CharField(_("how to meet"), max_length=16, choices=MatchMode.choices)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(default=list, blank=True)
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="match"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.APPROVED
    )
    introduced_at = models.DateTimeField(null=True, blank=True)
    followup_asked_at = models.DateTimeField(null=True, blank=True)
    # The confirmed meeting: set when a participant answers "yes, we met" (or staff log it).
    met_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=500, blank=True)
    #: made by hand (staff chose both people) rather than from a proposal of the engine
    manual = models.BooleanField(default=False)
    #: hard-rule codes staff overrode for a manual match (language, meeting_mode, place, must_*)
    overridden_rules = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(_("why the rules were overridden"), max_length=1000, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            models.Index(fields=["status", "introduced_at"]),
            models.Index(fields=["newcomer", "status"]),
            models.Index(fields=["established", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer", "established"],
                condition=~models.Q(status="ended"),
                name="match_active_pair_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer_id}-{self.established_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status not in INACTIVE_MATCH_STATUSES


class ExclusionReason(models.TextChoices):
    REJECTED = "rejected", _("Rejected by staff")
    PREVIOUS_MATCH = "previous_match", _("Previous match")
    STAFF = "staff", _("Excluded by staff")


class ExcludedPair(models.Model):
    """A pair the engine must never propose again."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    newcomer = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    established = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=ExclusionReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "established"], name="excluded_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer_id}-{self.established_id} ({self.reason})"


class MatchingSettings(models.Model):
    """Score weights of an organisation, shaped like the engine's weights TOML (see engine.weights)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return f"matching settings of {self.organisation_id}"

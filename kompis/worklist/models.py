"""Staff tasks ("the work list"): something a person on the staff must do about a subject.

A task is about a subject of any kind, named as the audit log names objects: its type ("matching.match")
and its uid; the mail server and other subjects without a row have a type and an empty id. A participant is
optional. Its kind comes from the registry in `kompis.worklist.kinds`, which each app extends. A task is
either assigned to a staff user or waits in its region's queue (or the organisation's, with neither).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.audit.services import object_ref
from kompis.core.fields import opaque_id_field
from kompis.worklist import kinds

#: the subject of a task about the organisation's mail server (no row of its own)
MAIL_SERVER = "outbox.mail_server"


class TaskQuerySet(models.QuerySet["Task"]):
    def about(self, subject: models.Model) -> TaskQuerySet:
        subject_type, subject_id = object_ref(subject)
        return self.filter(subject_type=subject_type, subject_id=subject_id)

    def open(self) -> TaskQuerySet:
        return self.filter(resolved_at__isnull=True)


class Task(models.Model):
    """Something staff must do, in the region (queue) of the participant concerned, or assigned to one."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(_("subject"), max_length=64)
    subject_id = models.CharField(max_length=64, blank=True)
    # Empty for tasks about the organisation as a whole (e.g. the mail server refuses our mail).
    participant = models.ForeignKey(
        "participants.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=32)
    due_on = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
    )
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, blank=True)
    note = models.TextField(_("what happened"), blank=True, max_length=5000)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # One open task per subject, participant and kind: a second sweep cannot create a duplicate.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "participant", "kind"],
                condition=models.Q(resolved_at=None),
                name="worklist_task_open_once",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "resolved_at", "due_on"], name="worklist_task_org_open"),
            models.Index(fields=["subject_type", "subject_id"], name="worklist_task_subject"),
        ]

    def __init__(self, *args: Any, subject: models.Model | None = None, **kwargs: Any) -> None:
        """`subject=obj` sets subject_type and subject_id as the audit log names the object."""
        if subject is not None:
            kwargs["subject_type"], kwargs["subject_id"] = object_ref(subject)
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.kind} about {self.subject_type}:{self.subject_id or '-'} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def is_about(self, subject: models.Model) -> bool:
        return (self.subject_type, self.subject_id) == object_ref(subject)

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)

    def get_outcome_display(self) -> str:
        return kinds.outcome_label(self.outcome) if self.outcome else ""

    @property
    def kind_sentence(self) -> str:
        kind = kinds.get(self.kind)
        return str(kind.sentence) if kind else ""

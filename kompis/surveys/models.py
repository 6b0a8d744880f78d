"""Surveys (issue #14): a survey's definition, its waves, invitations with personal tokens, and responses.

Definition. A `Survey` belongs to an organisation and is sent in some of the six languages (`languages`).
Its `Question`s are ordered in pages; every text (question, help, Likert end labels) and every `Option`
label is stored per language in a JSON object `{"sv": "...", "en": "...", ...}`: a survey cannot open while
a text is missing in one of its languages. A question may show only when an earlier question has a given
answer (`show_if` + `show_if_value`, an option code or "yes"/"no"). A question may come from the
organisation's `BankQuestion` (the same question over the years, with the indicator it measures): results
line up by the bank question's code.

Waves. A `Wave` is one sending of the survey: baseline, final or follow-up of an activity (a programme
cohort, or friend matches), an ad-hoc wave to a filtered group, or an open wave with a public link. It
opens and closes at given times and reminds non-respondents after `reminder_days` (at most
`max_reminders`, at most 2).

Invitations and tokens. An `Invitation` is one person's personal link to one wave: the link carries a
random token, the row keeps only its SHA-256 (`token_hash`). Partial answers are kept on the invitation while
the person answers (`partial`), and cleared when they submit.

Identified responses (`Response`) keep the person and the invitation, so baseline and final answers of
the same person can be paired.

Anonymous responses (`AnonymousResponse`), as promised to respondents: in an anonymous wave the invitation
records only that it was used (`used`: no time); the submitted answers wait in `AnonymousPending` (random id,
no time, no link to the token or person) until at least `Survey.k_min` are waiting (or the wave closes),
then are written to `AnonymousResponse` in shuffled order with a random id and the day only, and the
pending rows are deleted. Nothing in the database joins an anonymous response with a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import CodeListField, opaque_id_field


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # the staff's own name for the survey; what respondents see is `texts`
    name = models.CharField(_("name"), max_length=200)
    # {"sv": {"title": ..., "intro": ..., "thanks": ...}, "en": {...}, ...}
    texts = models.JSONField(default=dict, blank=True)
    languages = CodeListField(_("languages"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # anonymous: responses are written (and results shown) only in groups of at least this many
    k_min = models.PositiveSmallIntegerField(_("smallest group shown"), default=5)
    status = models.CharField(
        _("status"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "organisations.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("survey")
        constraints = [
            models.CheckConstraint(condition=Q(k_min__gte=1), name="survey_k_min_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT5 = "likert5", _("Scale of 5")
    LIKERT7 = "likert7", _("Scale of 7")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    DATE = "date", _("Date")
    TEXT = "text", _("Free text")


#: kinds whose answers are option codes
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class BankQuestion(models.Model):
    """A question an organisation reuses across surveys and years; `indicator` names what it measures (a
    theory-of-change indicator's words, or a registered figure key)."""

    uid = opaque_id_field()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    # {"sv": {"text": ..., "help": ..., "low": ..., "high": ...}, ...}
    texts = models.JSONField(default=dict, blank=True)
    # [{"code": "yes", "texts": {"sv": "Ja", ...}}, ...]
    options = models.JSONField(default=list, blank=True)
    indicator = models.CharField(_("indicator it measures"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank question")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="bank_question_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class Question(models.Model):
    uid = opaque_id_field()
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # a short code, unique in the survey: the column name in exports and the key in answers
    code = models.SlugField(_("code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    page = models.PositiveSmallIntegerField(_("page"), default=1)
    position = models.PositiveIntegerField(default=0)
    required = models.BooleanField(_("required"), default=False)
    # {"sv": {"text": ..., "help": ..., "low": ..., "high": ...}, ...} (low/high: a Likert scale's ends)
    texts = models.JSONField(default=dict, blank=True)
    bank_question = models.ForeignKey(
        BankQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="uses"
    )
    # shown only when an earlier question has this answer (an option code, "yes"/"no", or a number as text)
    show_if = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shows"
    )
    show_if_value = models.CharField(max_length=64, blank=True)
    # free text: shown to staff only; listed in funder outputs only when marked
    text_in_reports = models.BooleanField(default=False)

    class Meta:
        ordering = ["page", "position", "id"]
        verbose_name = _("question")
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="question_code_once")]

    def __str__(self) -> str:
        return self.code


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveIntegerField(default=0)
    texts = models.JSONField(default=dict, blank=True)  # {"sv": "Ja", "en": "Yes", ...}

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("option")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_code_once")]

    def __str__(self) -> str:
        return self.code


class WaveKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FINAL = "final", _("Final")
    FOLLOW_UP = "follow_up", _("Follow-up")
    AD_HOC = "ad_hoc", _("Ad hoc")
    OPEN = "open", _("Open survey (public link)")


class WaveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Wave(models.Model):
    uid = opaque_id_field()
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=WaveKind.choices)
    # the activity the wave belongs to (None: friend matches or an ad-hoc group, see `group`)
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_waves"
    )
    # an ad-hoc wave's filter as stored codes ({"region": uid, "role": ..., ...}); for the log and re-use
    group = models.JSONField(default=dict, blank=True)
    # a follow-up wave: months after the activity's end
    months_after = models.PositiveSmallIntegerField(null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    reminder_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=7)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)
    # a staff task per non-respondent after the last reminder (follow-up by phone)
    phone_follow_up = models.BooleanField(_("staff call those who have not answered"), default=False)
    status = models.CharField(max_length=16, choices=WaveStatus.choices, default=WaveStatus.DRAFT)
    # an open wave: the public link's secret part (None: not open to the public)
    public_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opens_at", "id"]
        verbose_name = _("wave")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(max_reminders__lte=2), name="wave_two_reminders_at_most"),
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    uid = opaque_id_field()
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the link's token
    language = models.CharField(max_length=8)
    invited_at = models.DateTimeField(default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # answers so far, while the person answers ({question code: value}); cleared on submit
    partial = models.JSONField(default=dict, blank=True)
    # the page the person is on (partial answers)
    page = models.PositiveSmallIntegerField(default=1)
    # the link was used to submit. In an anonymous wave this is ALL that is kept: no time, no response link.
    used = models.BooleanField(default=False)
    # identified waves only: when the person submitted (anonymous waves leave it empty)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(fields=["wave", "participant"], name="invitation_once_per_wave")
        ]
        indexes = [models.Index(fields=["wave", "used"], name="invitation_wave_used")]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.wave_id}"


class Response(models.Model):
    """An identified response: the person's answers to one wave ({question code: value})."""

    uid = opaque_id_field()
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    # None: an open wave's respondent (not invited)
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    answers = models.JSONField(default=dict, blank=True)
    # an open wave: where the respondent stopped (drop-off); complete responses have `submitted_at`
    last_question = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("response")
        indexes = [models.Index(fields=["wave", "submitted_at"], name="response_wave_submitted")]

    def __str__(self) -> str:
        return f"response {self.pk} @ {self.wave_id}"


class AnonymousPending(models.Model):
    """Submitted anonymous answers waiting to be written in a shuffled batch: a random id, the wave, the
    answers; no time, no token, no person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("anonymous response waiting")

    def __str__(self) -> str:
        return f"waiting @ {self.wave_id}"


class AnonymousResponse(models.Model):
    """An anonymous response: a random id, the wave, the day it was written (not submitted), the answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="anonymous_responses")
    day = models.DateField()
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("anonymous response")
        indexes = [models.Index(fields=["wave"], name="anon_response_wave")]

    def __str__(self) -> str:
        return f"anonymous response @ {self.wave_id}"


from kompis.surveys.interview_models import InterviewNote as InterviewNote  # noqa: E402
from kompis.surveys.interview_models import InterviewSample as InterviewSample  # noqa: E402
from kompis.surveys.interview_models import InterviewSubject as InterviewSubject  # noqa: E402
from kompis.surveys.interview_models import InterviewTheme as InterviewTheme  # noqa: E402
from kompis.surveys.interview_models import Strata as Strata  # noqa: E402

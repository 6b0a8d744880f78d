from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import CodeListField, opaque_id_field
from kompis.participants.phones import phone_digits_expression
from kompis.participants.vocab import Gender, MeetingMode, ParticipantRole, Source, Status

#: The fields a participant fills in (sign-up form, staff edit form, sign-up service).
PROFILE_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "name_latin",
    "email",
    "phone",
    "share_phone",
    "birth_year",
    "gender",
    "municipality",
    "postal_code",
    "languages",
    "interests",
    "availability",
    "has_children",
    "household_size",
    "wants_family_match",
    "meeting_mode",
    "same_gender_only",
    "capacity",
    "about_me",
    "hopes",
    "heard_from",
)


class Participant(models.Model):
    uid = opaque_id_field()
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="participants"
    )
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        "organisations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("project"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # The name as the person wants it written in Latin letters, when they write it in another script
    # (used in mails to a partner who may not read that script).
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    email_bouncing = models.BooleanField(default=False)
    phone = models.CharField(_("phone (optional)"), max_length=32, blank=True)
    # The phone number as digits in national form ("+46 70-123 45 67" → "0701234567"), kept by the database
    # itself (also for imports and bulk writes), so that phone search is one indexed lookup.
    phone_digits = models.GeneratedField(
        expression=phone_digits_expression(),
        output_field=models.CharField(max_length=32),
        db_persist=True,
    )
    share_phone = models.BooleanField(_("my match may see my phone number"), default=False)
    # Only some activities ask for these (friend matching does; an event may not): empty for a person who
    # only registered for an event. Figures count the empty ones as "not stated" (reports say so).
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    # empty for a person who only registered for an event (a name, an e-mail and a language are enough);
    # friend matching needs it (its sign-up form asks for it)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    languages = CodeListField(_("languages I speak"))
    interests = CodeListField(_("interests"))
    has_children = models.BooleanField(_("I have children"), default=False)
    household_size = models.PositiveSmallIntegerField(_("people in my household"), null=True, blank=True)
    same_gender_only = models.BooleanField(_("I want to meet someone of my own gender"), default=False)
    about_me = models.TextField(_("about me"), blank=True, max_length=2000)
    hopes = models.TextField(_("what I hope for"), blank=True, max_length=2000)
    heard_from = models.CharField(_("how did you hear about us?"), max_length=32, blank=True)
    preferred_language = models.CharField(max_length=8, default="sv")
    # Set when the participant unsubscribes: no more questions or reminders, only mail they ask for.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SIGNUP)
    external_ref = models.CharField(_("external id"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_up_at", "-id"]
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~models.Q(email=""),
                name="participant_email_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="participant_external_ref_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "signed_up_at"]),
            models.Index(fields=["last_name", "first_name"]),
            # phone search is a range over this index (see phones.digits_range), on SQLite and PostgreSQL alike
            models.Index(fields=["organisation", "phone_digits"], name="participant_org_phone_digits"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def age(self) -> int | None:
        """Age this year (only the birth year is known); None when the year is not known."""
        if self.birth_year is None:
            return None
        return timezone.localdate().year - self.birth_year


#: the fields a person fills in about taking part in friend matching (on FriendParticipation)
FRIEND_FIELDS = ("role", "availability", "wants_family_match", "meeting_mode", "capacity")
#: the fields about the person themself (on Participant)
PERSON_FIELDS = tuple(name for name in PROFILE_FIELDS if name not in FRIEND_FIELDS)


class FriendParticipation(models.Model):
    """One person's participation in friend matching: their role in it, whether they wait, are matched,
    paused or have left it, how many matches at once, when and how they can meet.

    The person (`Participant`: names, contact, languages, consents, preferred language, municipality) may
    also take part in other activities (a programme cohort, events), each with its own participation. Its
    primary key is the person's, so the matching engine's ids and every link naming the person are the same.
    """

    participant = models.OneToOneField(
        Participant, primary_key=True, on_delete=models.CASCADE, related_name="friend_matching"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    capacity = models.PositiveSmallIntegerField(_("matches at the same time"), default=1)
    availability = CodeListField(_("when I can meet"))
    meeting_mode = models.CharField(_("how to meet"), max_length=16, choices=MeetingMode.choices)
    wants_family_match = models.BooleanField(_("we want to meet as a family"), default=False)
    # Since when they wait for a match (a new sign-up, or joining again after leaving): the pool's order.
    waiting_since = models.DateTimeField(_("waiting since"), default=timezone.now)
    # Set when a match ended with "re-match": first in line at the next matching run.
    rematch_priority = models.BooleanField(default=False)
    paused_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation in friend matching")
        indexes = [
            models.Index(fields=["organisation", "status", "role", "waiting_since"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.status}"


class ConsentKind(models.TextChoices):
    DATA_PROCESSING = "data_processing", _("Processing of personal data")
    RESEARCH = "research", _("Taking part in research")


class ConsentMethod(models.TextChoices):
    WEB = "web", _("Online, by the person")
    PAPER = "paper", _("On paper, by staff")
    IMPORT = "import", _("Imported by staff")


class Consent(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=32, choices=ConsentKind.choices)
    policy_version = models.CharField(max_length=32)
    method = models.CharField(max_length=16, choices=ConsentMethod.choices, default=ConsentMethod.WEB)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.policy_version})"


class Note(models.Model):
    uid = opaque_id_field()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class MergedParticipant(models.Model):
    """A participant record merged into another (kompis.participants.merge): the removed record's uid still
    names a person, so links already sent (signed tokens) and the history open the kept record."""

    old_uid = models.UUIDField(unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.old_uid} → {self.participant_id}"

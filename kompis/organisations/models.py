from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompis.core.fields import opaque_id_field


class Organisation(models.Model):
    """An integration organisation; one install can hold several (e.g. a national association)."""

    uid = opaque_id_field()
    slug = models.SlugField(unique=True, help_text=_("Used in the public sign-up address."))
    name = models.CharField(_("name"), max_length=200)
    # Who participants contact (named in every mail, and the Reply-To of mails without a region contact).
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    privacy_notice_url = models.URLField(_("privacy notice address"), blank=True)
    followup_days = models.PositiveSmallIntegerField(_("days from introduction to follow-up"), default=14)
    reminder_days = models.PositiveSmallIntegerField(_("days before a follow-up reminder"), default=5)
    # A short hash of the current logo (empty: no logo); part of the logo's address, so it can be cached forever.
    logo_version = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A local office (Uppsala, Danderyd, Luleå ...) covering some municipalities."""

    uid = opaque_id_field()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("name"), max_length=200)
    # The local contact named in mails to the region's participants (else the organisation's contact).
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    municipalities = models.ManyToManyField(
        "municipalities.Municipality", related_name="regions", blank=True, verbose_name=_("municipalities")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="region_name_unique")]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """Funded work with a period, a funder, a region and targets."""

    uid = opaque_id_field()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="projects")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    INDIVIDUAL_MATCHES = "individual_matches", _("individual matches")
    FAMILY_MATCHES = "family_matches", _("family matches")
    CONFIRMED_MEETINGS = "confirmed_meetings", _("confirmed meetings")
    SIGNUPS = "signups", _("sign-ups")
    NEWCOMERS = "newcomers", _("newcomers reached")
    ESTABLISHED = "established", _("established participants reached")


class ProjectTarget(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=32, choices=TargetKind.choices)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="project_target_unique")]

    def __str__(self) -> str:
        return f"{self.project}: {self.target} {self.get_kind_display()}"


class OrganisationLogo(models.Model):
    """The organisation's logo as bytes in the database, so every web process on every machine serves it.

    Only PNG and JPEG, re-encoded on upload (no SVG: it can carry script). Kept out of `Organisation` so
    that loading an organisation never loads the image.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="logo")
    content_type = models.CharField(max_length=32)
    data = models.BinaryField()
    version = models.CharField(max_length=16)
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"logo {self.version}"


class FirstRunToken(models.Model):
    """The one-time token of the first-run page (/setup/): only its SHA-256 is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"first-run token {self.created_at:%Y-%m-%d %H:%M}"

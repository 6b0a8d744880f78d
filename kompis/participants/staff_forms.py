"""Staff forms that place a person in a region: edit (move) and add by hand (paper sign-up).

A coordinator may only put people into their own regions (issue 10 §6). The choices offered are limited to
those regions and their municipalities, and `clean` checks the region the person ends up in, also when it
follows from the municipality (an empty region means "the region that covers the municipality").
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompis.municipalities.models import Municipality
from kompis.organisations.models import Project, Region
from kompis.participants.access import may_place_in, regions_for_writing
from kompis.participants.forms import StaffEditForm
from kompis.participants.models import FRIEND_FIELDS, Participant
from kompis.participants.selectors import friend_participation_of
from kompis.participants.services import region_for


class RegionChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


def out_of_scope_message(user: Any) -> str:
    names = ", ".join(r.name for r in regions_for_writing(user)) or "—"
    return str(_("You can only place people in your own regions (%(regions)s).") % {"regions": names})


class ScopedStaffForm(StaffEditForm):
    """The staff profile form with region, municipality and project choices limited to the user's scope."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, organisation=user.organisation, **kwargs)
        self.user = user
        current: Participant | None = self.instance if self.instance.pk else None
        if current is not None and friend_participation_of(current) is None:
            # a person who does not take part in friend matching (an event only): nothing of it to edit
            for name in FRIEND_FIELDS:
                self.fields.pop(name, None)
            # nor need she give a year of birth, a gender or a municipality (friend matching's questions)
            self.fields["birth_year"].required = False
            self.fields["gender"].required = False
            self.fields["municipality"].required = False
        # Offered: the user's own regions (and the person's current one, which is no move). Validated: any
        # region of the organisation, so that a tampered choice gets the clear reason from `clean`.
        offered = regions_for_writing(user)
        if current is not None and current.region_id:
            offered = Region.objects.filter(Q(pk__in=offered) | Q(pk=current.region_id))
        empty = _("The region that covers the municipality")
        region_field = RegionChoiceField(
            label=_("Region"),
            queryset=Region.objects.filter(organisation_id=user.organisation_id),
            required=False,
            empty_label=empty,
            help_text="" if user.is_org_admin else _("Only your own regions can be chosen."),
        )
        region_field.widget.choices = [("", empty), *((r.pk, r.name) for r in offered.order_by("name"))]
        self.fields["region"] = region_field
        if not user.is_org_admin:
            municipalities = Municipality.objects.filter(regions__in=regions_for_writing(user))
            if current is not None:
                municipalities = Municipality.objects.filter(
                    Q(pk__in=municipalities) | Q(pk=current.municipality_id)
                )
            field = cast("forms.ModelChoiceField[Municipality]", self.fields["municipality"])
            field.widget.choices = [
                ("", field.empty_label),
                *((m.pk, m.name) for m in municipalities.distinct().order_by("name")),
            ]
            projects = user.projects.filter(organisation_id=user.organisation_id)
            if current is not None and current.project_id:
                projects = Project.objects.filter(Q(pk__in=projects) | Q(pk=current.project_id))
            cast("forms.ModelChoiceField[Project]", self.fields["project"]).queryset = projects.order_by(
                "name"
            )

    def clean_email(self) -> str:
        email = super().clean_email()
        others = Participant.objects.filter(organisation_id=self.user.organisation_id, email=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if email and others.exists():
            raise forms.ValidationError(
                _("Someone with this e-mail address is already registered. Search for them in the list.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        municipality = data.get("municipality")
        if "region" in self.errors or (municipality is None and "municipality" in self.errors):
            return data
        # without a municipality (allowed for a person only in other activities) her region stays
        # unless one is chosen
        region = data.get("region") or (
            region_for(organisation=self.user.organisation, municipality_code=municipality.code)
            if municipality is not None
            else self.instance.region
        )
        if not may_place_in(self.user, region, person=self.instance):
            self.add_error(
                "region" if data.get("region") else "municipality", out_of_scope_message(self.user)
            )
        data["region"] = region
        return data


LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class StaffAddForm(ScopedStaffForm):
    """A person who signed up on paper (e.g. at an SFI class), typed in by staff."""

    preferred_language = forms.ChoiceField(
        label=_("Language for mails"), choices=LANGUAGE_CHOICES, initial="sv"
    )
    paper_consent = forms.BooleanField(
        label=_("I have the consent form signed by the person, and it is kept as our routine says."),
        error_messages={"required": _("Without a signed consent form the person cannot be added.")},
    )
    consent_research = forms.BooleanField(
        label=_("On the form the person also agreed to be asked about research (optional)."), required=False
    )

    #: the partner's introduction names the person: a name in another script needs its Latin form (issue 9)
    require_latin_name = True
    latin_name_missing = _(
        "The name is written in other letters than Latin letters: write it here in Latin letters too, as the "
        "person wants it (ask them), so that their match can read it in the introduction."
    )

    class Meta(StaffEditForm.Meta):
        fields = [*StaffEditForm.Meta.fields]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["email"].help_text = _(
            "Optional. No mail is sent now; the person gets mails from their introduction on."
        )
        self.fields["name_latin"].label = _("Name in Latin letters")
        self.fields["name_latin"].help_text = _(
            "Needed when the name is written in another script, such as Arabic, Persian or Cyrillic letters: "
            "as the person wants their match to read it, for example Layla Haddad."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The introduction gives the match the person's e-mail, or her phone if she lets the match see it:
        # without either, the match could not reach her.
        reachable = data.get("email") or (data.get("phone") and data.get("share_phone"))
        if not reachable and "email" not in self.errors and "phone" not in self.errors:
            self.add_error(
                "email",
                _(
                    "Write an e-mail address, or a phone number and tick that the match may see it: "
                    "otherwise the match cannot reach the person."
                ),
            )
        return data

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in CONSENT_FIELDS]

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CONSENT_FIELDS]


CONSENT_FIELDS = ("paper_consent", "consent_research")

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kompis.contract.participants import MAX_AGE as MAX_AGE
from kompis.contract.participants import MAX_CAPACITY as MAX_CAPACITY
from kompis.contract.participants import MAX_HOUSEHOLD as MAX_HOUSEHOLD
from kompis.contract.participants import MIN_AGE as MIN_AGE
from kompis.contract.participants import MIN_CAPACITY as MIN_CAPACITY
from kompis.contract.participants import MIN_HOUSEHOLD as MIN_HOUSEHOLD
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Project, Region
from kompis.participants.models import FRIEND_FIELDS, PROFILE_FIELDS, FriendParticipation, Participant
from kompis.participants.names import needs_latin
from kompis.participants.services import friend_participation_of
from kompis.participants.vocab import (
    AVAILABILITY,
    HEARD_FROM,
    INTERESTS,
    LANGUAGES,
    Gender,
    MeetingMode,
    ParticipantRole,
    choices,
)

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
POSTAL_RE = re.compile(r"^[1-9][0-9]{2} ?[0-9]{2}$")
# One range for the sign-up form, the staff edit form, the import and the engine (issue 10 §8, issue 11):
# MIN_AGE, MAX_AGE, MIN_HOUSEHOLD, MAX_HOUSEHOLD and MAX_CAPACITY come from the participant CSV contract.


def clean_birth_year(value: int) -> int:
    this_year = timezone.localdate().year
    if value > this_year - MIN_AGE:
        raise forms.ValidationError(_("You must be at least 18 years old to sign up."))
    if value < this_year - MAX_AGE:
        raise forms.ValidationError(_("Please check the year of birth."))
    return value


def clean_household_size(value: int | None) -> int | None:
    """People in the household: empty, or a whole number from MIN_HOUSEHOLD to MAX_HOUSEHOLD."""
    if value is None:
        return None
    if not MIN_HOUSEHOLD <= value <= MAX_HOUSEHOLD:
        raise forms.ValidationError(
            _("Write a number from %(min)s to %(max)s.") % {"min": MIN_HOUSEHOLD, "max": MAX_HOUSEHOLD}
        )
    return value


def clean_postal_code(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not POSTAL_RE.match(value):
        raise forms.ValidationError(_("A Swedish postal code has five digits, for example 753 20."))
    return value.replace(" ", "")


def clean_name_latin(value: str) -> str:
    """The name in Latin letters: empty, or written with Latin letters only (spaces and hyphens allowed)."""
    value = " ".join((value or "").split())
    if value and needs_latin(value):
        raise forms.ValidationError(
            _("Write the name with Latin letters only (a–z, and letters such as å, ä, ö or é).")
        )
    return value


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("Write the phone number with digits only, for example 070 123 45 67."))
    return value


#: Long lists of checkboxes show this many first (the most common); the rest open under "Show more"
#: (core/_field.html), so the sign-up form is a short walk with the Tab key.
SHOW_FIRST = 6


def fold(field: forms.Field, more_label: Any) -> forms.Field:
    """Show the first SHOW_FIRST choices of a long checkbox list; `more_label` names the rest (%(n)s)."""
    # two attributes of our own that core/_field.html reads; django's Field does not declare them
    field.show_first = SHOW_FIRST  # type: ignore[attr-defined]  # read by core/_field.html
    field.more_label = more_label  # type: ignore[attr-defined]  # read by core/_field.html
    return field


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


def friend_field(name: str, **kwargs: Any) -> forms.Field:
    """The form field for one of FRIEND_FIELDS, made from FriendParticipation's model field (label, choices,
    limits and required as a ModelForm would make them)."""
    model_field = FriendParticipation._meta.get_field(name)
    assert isinstance(model_field, models.Field), name  # FRIEND_FIELDS are the model's own fields
    field = model_field.formfield(**kwargs)
    assert field is not None, name  # and editable ones
    return field


class FriendFieldsForm(forms.ModelForm[Participant]):
    """A ModelForm on the person (Participant) that also shows some of FRIEND_FIELDS, declared on the form:
    their initial values come from the person's friend participation (when she has one). The values go to
    the services as cleaned data (`services.split_profile` separates them); `save()` is not used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        friend = friend_participation_of(self.instance)
        if friend is not None:
            for name in FRIEND_FIELDS:
                if name in self.fields and name not in self.initial:
                    self.initial[name] = getattr(friend, name)


class ProfileForm(FriendFieldsForm):
    """The fields a participant (or staff on their behalf) fills in: the person's (a ModelForm on
    Participant) and those about taking part in friend matching (FriendParticipation's, declared here)."""

    role = friend_field("role", widget=forms.RadioSelect)
    wants_family_match = friend_field(
        "wants_family_match",
        help_text=_("A family match is two families, adults and children, who meet together."),
    )
    capacity = friend_field(
        "capacity",
        widget=forms.NumberInput(attrs={"min": MIN_CAPACITY, "max": MAX_CAPACITY}),
        help_text=_("Established participants may meet more than one person at a time."),
    )

    languages = fold(
        forms.MultipleChoiceField(
            label=_("Languages I speak"),
            choices=choices(LANGUAGES),  # the six languages of Kompis first
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Choose every language you can talk in, at least one."),
        ),
        ngettext_lazy("Show %(n)s more language", "Show %(n)s more languages", "n"),
    )
    interests = fold(
        forms.MultipleChoiceField(
            label=_("Interests"),
            choices=choices(INTERESTS),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("We use them to find someone you have something in common with."),
        ),
        ngettext_lazy("Show %(n)s more interest", "Show %(n)s more interests", "n"),
    )
    availability = forms.MultipleChoiceField(
        label=_("When I can meet"),
        choices=choices(AVAILABILITY),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality where I live"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose municipality"),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    meeting_mode = forms.ChoiceField(
        label=_("How do you want to meet?"), choices=MeetingMode.choices, widget=forms.RadioSelect
    )
    heard_from = forms.ChoiceField(
        label=_("How did you hear about us?"), choices=[("", "—"), *choices(HEARD_FROM)], required=False
    )
    name_latin = forms.CharField(
        label=_("Your name in Latin letters"),
        max_length=200,
        required=False,
        help_text=_(
            "Only if your name is written in another script, such as Arabic, Persian or Cyrillic letters. "
            "Write it as you want your match to read it, for example Layla Haddad."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    #: the sign-up form asks for the Latin form of a name written in another script; staff may leave it
    require_latin_name = False
    #: the error when it is required and missing (the staff form says it in staff words)
    latin_name_missing = _(
        "Your name is written in other letters than Latin letters. Write it here in Latin "
        "letters too, so that your match can read it."
    )

    class Meta:
        model = Participant
        # the person's fields and (declared above) friend matching's, in the order they are shown and
        # checked; views read `Meta.fields` for the values to hand to the services
        fields = list(PROFILE_FIELDS)
        widgets = {
            "about_me": forms.Textarea(attrs={"rows": 3}),
            "hopes": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
            "phone": forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr", "type": "tel"}
            ),
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "dir": "ltr"}
            ),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900}),
            "household_size": forms.NumberInput(attrs={"min": MIN_HOUSEHOLD, "max": MAX_HOUSEHOLD}),
        }
        help_texts = {
            "same_gender_only": _("Then we only match you with someone of the same gender."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        # Friend matching needs the year of birth (the model allows none, for a person only at events).
        self.fields["birth_year"].required = True
        # A radio choice needs no empty option.
        cast(forms.ChoiceField, self.fields["role"]).choices = ParticipantRole.choices
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data["birth_year"]
        if value is None:  # only where the form does not require it (staff, a person without friend matching)
            return None
        return clean_birth_year(value)

    def clean_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data.get("postal_code", ""))

    def clean_household_size(self) -> int | None:
        return clean_household_size(self.cleaned_data.get("household_size"))

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_name_latin(self) -> str:
        return clean_name_latin(self.cleaned_data.get("name_latin", ""))

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data.get("capacity") or 1
        if capacity > MAX_CAPACITY:  # the message names 5, as the contract does (kept for the catalogues)
            raise forms.ValidationError(_("At most 5 matches at the same time."))
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == "newcomer":
            data["capacity"] = 1
        if data.get("same_gender_only") and data.get("gender") == Gender.UNSPECIFIED:
            self.add_error(
                "same_gender_only",
                _("To be matched with someone of your own gender, tell us your gender above."),
            )
        if data.get("wants_family_match") and not data.get("has_children"):
            self.add_error("wants_family_match", _("A family match is for families with children."))
        if (
            self.require_latin_name
            and "name_latin" in data
            and not data["name_latin"]
            and needs_latin(data.get("first_name", ""), data.get("last_name", ""))
        ):
            self.add_error("name_latin", str(self.latin_name_missing))
        return data


class SignupForm(ProfileForm):
    consent_data = forms.BooleanField(
        label=_("I agree that the organisation stores and uses my information to find me a match."),
        error_messages={"required": _("We need your consent to be able to match you.")},
    )
    consent_research = forms.BooleanField(
        label=_("I may be asked to take part in research about Kompis (optional)."), required=False
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    require_latin_name = True

    # the model's "role" is the staff word
    role = friend_field("role", widget=forms.RadioSelect, label=_("Which describes you best?"))

    class Meta(ProfileForm.Meta):
        fields = [f for f in ProfileForm.Meta.fields]


class StaffEditForm(ProfileForm):
    class Meta(ProfileForm.Meta):
        fields = [*ProfileForm.Meta.fields, "region", "project"]

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        if organisation is not None:
            cast(
                "forms.ModelChoiceField[Region]", self.fields["region"]
            ).queryset = organisation.regions.all()
            cast(
                "forms.ModelChoiceField[Project]", self.fields["project"]
            ).queryset = organisation.projects.all()


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("Paused until"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def clean_until(self) -> Any:
        until = self.cleaned_data.get("until")
        if until and until <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date in the future."))
        return until


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class PreferencesForm(FriendFieldsForm):
    """What a participant may change on their own page (availability and meeting mode are friend
    matching's: shown from her friend participation)."""

    languages = ProfileForm.base_fields["languages"]
    interests = ProfileForm.base_fields["interests"]
    availability = ProfileForm.base_fields["availability"]
    meeting_mode = ProfileForm.base_fields["meeting_mode"]

    class Meta:
        model = Participant
        fields = ["languages", "interests", "availability", "meeting_mode"]


class RequestLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})
    )

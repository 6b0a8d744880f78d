"""The public enrolment form of a programme: a name, an e-mail address, a language, a few answers, the
consent; the cohort only when more than one has not ended."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompis.municipalities.models import Municipality
from kompis.participants.forms import MunicipalityChoiceField, clean_name_latin
from kompis.participants.names import needs_latin
from kompis.participants.vocab import MeetingMode
from kompis.programmes.models import Cohort, Field, Role
from kompis.programmes.public_enrolment import PublicEnrolment


class CohortChoiceField(forms.ModelChoiceField[Cohort]):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.name} ({obj.starts_on:%Y-%m-%d} – {obj.ends_on:%Y-%m-%d})"


class PublicEnrolmentForm(forms.Form):
    cohort = CohortChoiceField(
        label=_("Which group do you want to join?"),
        queryset=Cohort.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
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
    email = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})
    )
    language = forms.ChoiceField(label=_("Your language for our e-mails"), choices=settings.LANGUAGES)
    role = forms.ChoiceField(
        label=_("Do you want a mentor, or to be one?"),
        choices=[
            (Role.MENTEE.value, _("I want a mentor (mentee)")),
            (Role.MENTOR.value, _("I want to be a mentor")),
        ],
        widget=forms.RadioSelect,
    )
    field = forms.ChoiceField(label=_("Field of work"), choices=[("", "—"), *Field.choices])
    field_other = forms.CharField(label=_("Which field of work?"), max_length=100, required=False)
    goals = forms.CharField(
        label=_("What do you hope to get out of the programme? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    meeting_mode = forms.ChoiceField(
        label=_("How do you want to meet?"), choices=MeetingMode.choices, widget=forms.RadioSelect
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality where I live (optional)"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose municipality"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisation stores my answers to run the programme and find me a mentor "
            "or mentee."
        ),
        error_messages={"required": _("We need your consent to be able to enrol you.")},
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, CohortChoiceField)
        field.queryset = cohorts
        self.only_cohort: Cohort | None = None
        if len(cohorts) == 1:  # no choice to make: the field is not shown
            self.only_cohort = cohorts[0]
            del self.fields["cohort"]

    def _clean_name(self, name: str) -> str:
        return " ".join(str(self.cleaned_data.get(name, "")).split())  # required: never empty here

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_consent(self) -> bool:
        """Given only as the form's checkbox sends it ("on"): any other value is no consent."""
        if self.data.get(self.add_prefix("consent")) != "on":
            raise forms.ValidationError(str(self.fields["consent"].error_messages["required"]))
        return True

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_name_latin(self) -> str:
        return clean_name_latin(self.cleaned_data.get("name_latin", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("field") == Field.OTHER and not (data.get("field_other") or "").strip():
            self.add_error("field_other", gettext("Say which field of work."))
        names = (data.get("first_name", ""), data.get("last_name", ""))
        if "name_latin" in data and not data["name_latin"] and needs_latin(*names):
            self.add_error(
                "name_latin",
                gettext(
                    "Your name is written in other letters than Latin letters. Write it here in Latin "
                    "letters too, so that your match can read it."
                ),
            )
        return data

    def chosen_cohort(self) -> Cohort:
        cohort = self.only_cohort or self.cleaned_data["cohort"]
        assert isinstance(cohort, Cohort)
        return cohort

    def enrolment(self) -> PublicEnrolment:
        d = self.cleaned_data
        field = d["field"]
        return PublicEnrolment(
            first_name=d["first_name"],
            last_name=d["last_name"],
            name_latin=d.get("name_latin") or "",
            email=d["email"],
            language=d["language"],
            municipality=d.get("municipality"),
            role=d["role"],
            field=field,
            field_other=(d.get("field_other") or "").strip() if field == Field.OTHER else "",
            goals=(d.get("goals") or "").strip(),
            meeting_mode=d["meeting_mode"],
        )

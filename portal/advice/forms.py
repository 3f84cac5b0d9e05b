"""The forms of asking for advice: the organisation (when several serve the council),
and the request itself (contact details, what the founder wants help with, the
recommendations to share, and consent naming the organisation)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.advice.choices import ContactPreference
from portal.advice.consent import consent_label, consent_refused_message
from portal.lib.forms import EmailAddressField

# Digits, spaces and the usual punctuation of a UK or international number.
PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 ()\-]{6,30}")


class OrganisationChoiceForm(forms.Form):
    """Which of the organisations serving the council the founder asks (a GET form)."""

    organisation = forms.ChoiceField(
        label=_("Who do you want to ask?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you want to ask for help"),
            "invalid_choice": _("Choose who you want to ask for help"),
        },
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.choices = [(team.organisation.slug, team.organisation.name) for team in teams]
        field.label_classes = "govuk-fieldset__legend--m"


class AskForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={
            "required": _("Enter your name"),
            "max_length": _("Your name must be 150 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = EmailAddressField()
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=40,
        help_text=_("For international numbers include the country code"),
        error_messages={"max_length": _("Phone number must be 40 characters or fewer")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    help_wanted = forms.CharField(
        label=_("What do you want help with?"),
        max_length=2000,
        help_text=_(
            "For example, choosing between two grants, applying for one, or being "
            "introduced to a provider. Do not include financial or health details."
        ),
        error_messages={
            "required": _("Tell us what you want help with"),
            "max_length": _("What you want help with must be 2,000 characters or fewer"),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_preference = forms.ChoiceField(
        label=_("How would you like to be contacted?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you would like to be contacted"),
            "invalid_choice": _("Choose how you would like to be contacted"),
        },
    )
    recommendations = forms.MultipleChoiceField(
        label=_("Which of your recommendations do you want to talk about? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "One of the recommendations you chose is no longer listed: choose again"
            )
        },
    )
    consent = forms.BooleanField(required=False)

    def __init__(
        self, *args, organisation_name: str, with_diagnostic: bool, recommendations=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.organisation_name = organisation_name
        for name in ("contact_preference", "recommendations"):
            self.fields[name].label_classes = "govuk-fieldset__legend--s"
        self.fields["recommendations"].choices = [
            (str(item.offer_id), item.title) for item in recommendations
        ]
        if not recommendations:
            del self.fields["recommendations"]
        self.fields["consent"].label = consent_label(
            organisation_name, with_diagnostic=with_diagnostic
        )

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_PATTERN.fullmatch(phone):
            raise ValidationError(
                _("Enter a phone number, like 01632 960 001 or +44 808 157 0192"),
                code="invalid",
            )
        return phone

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise ValidationError(consent_refused_message(self.organisation_name), code="required")
        return True

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("contact_preference") == ContactPreference.PHONE
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error(
                "phone",
                ValidationError(
                    _("Enter a phone number, or choose to be contacted by email"),
                    code="required",
                ),
            )
        return cleaned

    def chosen_offer_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("recommendations") or ()]

    def details(self) -> dict:
        """The personal details, as the service takes them."""
        return {
            name: self.cleaned_data[name]
            for name in ("name", "email", "phone", "help_wanted", "contact_preference")
        }

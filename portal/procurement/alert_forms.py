"""Forms for saved searches (email alerts) and their management page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import EmailAddressField
from portal.lib.subscriptions import Frequency


def frequency_field(**kwargs) -> forms.ChoiceField:
    field = forms.ChoiceField(
        label=_("How often do you want emails?"),
        choices=[
            (Frequency.DAILY, _("Daily, when there are new opportunities")),
            (Frequency.WEEKLY, _("Weekly, when there are new opportunities")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you want emails"),
            "invalid_choice": _("Choose how often you want emails"),
        },
        **kwargs,
    )
    field.label_classes = "govuk-fieldset__legend--m"
    return field


class AlertForm(forms.Form):
    """The email address and cadence of a new saved search; the search itself is the
    page's query string."""

    email = EmailAddressField(
        help_text=_(
            "We will send you a link to confirm it is yours. We only use it for these emails."
        ),
        label_classes="govuk-label--m",
    )

    frequency = frequency_field(initial=Frequency.DAILY)


class ManageAlertForm(forms.Form):
    """One saved search's buttons on the manage page: change how often, or unsubscribe."""

    ACTIONS = ("frequency", "unsubscribe")

    saved_search = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    frequency = forms.ChoiceField(choices=Frequency.choices, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == "frequency" and not cleaned_data.get("frequency"):
            self.add_error("frequency", _("Choose how often you want emails"))
        return cleaned_data

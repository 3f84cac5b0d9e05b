"""The form that asks for match alerts: an email address (the business comes from the
page it is on: the visitor's assessment, or the profile they typed in)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import EmailAddressField

# Prefixed: the results page has another email field.
PREFIX = "alert"


class MatchAlertForm(forms.Form):
    email = EmailAddressField(
        help_text=_(
            "Once a week, we will email you any new support or contract opportunities "
            "that match your business. We will send you a link to confirm first."
        ),
    )
    # The completed assessment whose scores rank the matches (results and recommended
    # pages); none for a profile alone, which comes in the query string.
    assessment = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label_classes: str = "govuk-label--s", **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["email"].label_classes = label_classes

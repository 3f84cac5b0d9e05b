"""Fields that several apps' forms ask for the same way, worded as the GOV.UK Design
System's patterns word them (labels and error messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def email_address_field(*, label_classes: str = "", **kwargs) -> forms.EmailField:
    """GOV.UK's email address pattern: its label and error messages, and the browser
    told to fill it in and not to check its spelling. ``kwargs`` go to EmailField (a
    ``help_text``, ``required=False``); ``label_classes`` to the GOV.UK label."""
    kwargs.setdefault("label", _("Email address"))
    field = forms.EmailField(
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )
    if label_classes:
        field.label_classes = label_classes
    return field

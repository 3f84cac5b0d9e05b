"""The one email address field every form asks with: GOV.UK's messages and autocomplete,
and room for a form's own help text and messages."""

from django import forms

from portal.lib.forms import EmailAddressField


class AddressForm(forms.Form):
    email = EmailAddressField()


class AlertForm(forms.Form):
    email = EmailAddressField(
        help_text="Once a week.",
        error_messages={"max_length": "Email address must be 254 characters or fewer"},
    )


def test_an_empty_address_asks_for_one():
    form = AddressForm({"email": ""})
    assert form.errors["email"] == ["Enter your email address"]


def test_a_malformed_address_shows_the_pattern():
    form = AddressForm({"email": "not an address"})
    assert form.errors["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]


def test_the_input_is_labelled_limited_and_autocompleted():
    html = str(AddressForm()["email"])
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert 'spellcheck="false"' in html
    assert 'maxlength="254"' in html
    assert AddressForm().fields["email"].label == "Email address"


def test_a_form_adds_its_help_text_and_messages_to_the_common_ones():
    too_long = "a" * 250 + "@example.com"
    form = AlertForm({"email": too_long})
    assert form.errors["email"] == ["Email address must be 254 characters or fewer"]
    assert AlertForm({"email": ""}).errors["email"] == ["Enter your email address"]
    assert AlertForm().fields["email"].help_text == "Once a week."

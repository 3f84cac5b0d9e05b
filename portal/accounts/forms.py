from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import MembershipRequest, Organisation, Role, User
from portal.accounts.services import send_password_reset
from portal.lib.forms import EmailAddressField, ModelChoiceField


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )
    email = EmailAddressField()
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Use at least 12 characters: three random words work well. Do not use a common "
            "password, one made only of numbers, or one like your name or email address."
        ),
        error_messages={"required": _("Enter a password")},
    )
    password_again = forms.CharField(
        label=_("Enter the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter the password again")},
    )

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        password_again = cleaned_data.get("password_again")
        if password and password_again and password != password_again:
            self.add_error("password_again", _("The passwords do not match"))
        if password:
            # Checked here as well as in the service, so every problem shows at once.
            candidate = User(
                email=cleaned_data.get("email") or "", full_name=cleaned_data.get("full_name", "")
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned_data


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form, asking for an email address (matched in any letter case)."""

    username = EmailAddressField()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    error_messages = {
        # The same words whether the address is unknown, the password wrong or the
        # account inactive: the form tells nobody which accounts exist.
        "invalid_login": _("Enter a correct email address and password"),
        "inactive": _("Enter a correct email address and password"),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailAddressField()

    def save(self, **kwargs):
        """Send the links by task, like every email (Django's form would send them in the
        request); the link is on SITE_URL, not whatever Host header the request carried.
        The view's email options are the task's business, so they are not used here."""
        send_password_reset(users=self.get_users(self.cleaned_data["email"]))


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1, new_password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("New password"), label2=_("Enter the new password again")
    )


class MembershipRequestForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation you want to join"),
            "invalid_choice": _("Choose an organisation from the list"),
        },
    )
    message = forms.CharField(
        label=_("Message to the organisation's managers (optional)"),
        help_text=_("Say who you are and what you do there, so they can check."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.joinable_by(user).only(
            "pk", "name"
        )


class MembershipDecisionForm(forms.Form):
    """Approve or decline: the buttons carry ``decision``, the select the role."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose approve or decline")},
    )
    role = forms.ChoiceField(
        label=_("Role if approved"),
        choices=Role.choices,
        initial=Role.EDITOR,
        required=False,
    )

    def __init__(self, *args, membership_request: MembershipRequest | None = None, **kwargs):
        self.membership_request_pk = membership_request.pk if membership_request else None
        if membership_request is not None:
            # Many of these forms share a page: keep their element ids apart.
            kwargs.setdefault("auto_id", f"request-{membership_request.pk}-%s")
        super().__init__(*args, **kwargs)

    def clean_role(self):
        return self.cleaned_data.get("role") or Role.EDITOR


class DeleteAccountForm(forms.Form):
    """The person's password, checked through the authentication backends (so whatever
    slows down password guessing at sign-in applies here too)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        signed_in = authenticate(self.request, username=user.email, password=password)
        if signed_in is None or signed_in.pk != user.pk:
            raise ValidationError(
                _("The password is not right. Enter the password you sign in with"),
                code="wrong_password",
            )
        return password

"""The CSV upload form (views/imports.py). Forms validate; services/imports/ saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.catalogue.rules import organisations_user_curates_for
from portal.lib.forms import ModelChoiceField


class OfferImportForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Which organisation are the offers for?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the organisation the offers are for")},
    )
    file = forms.FileField(
        label=_("Upload a CSV file"),
        help_text=_("A CSV file saved as UTF-8, smaller than 5 MB, with up to 10,000 rows."),
        error_messages={
            "required": _("Select a CSV file"),
            "empty": _("The selected file is empty"),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_user_curates_for(user).order_by("name")
        field = self.fields["organisation"]
        field.queryset = organisations
        field.label_classes = "govuk-fieldset__legend--s"
        # One organisation: nothing to choose, so no question.
        only = list(organisations[:2])
        self.single_organisation = only[0] if len(only) == 1 else None
        if self.single_organisation is not None:
            del self.fields["organisation"]

    def clean_file(self):
        """A file named like a CSV file. Django keeps only the last part of the name a
        browser sends ("../../offers.csv" arrives as "offers.csv"), and nothing here is
        ever stored under it; a name that is not a .csv file's is refused."""
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(".csv") or any(
            character in name for character in ("/", "\\", "\x00")
        ):
            raise forms.ValidationError(
                _("The selected file must be a CSV file (its name ends in .csv)")
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.single_organisation is not None:
            cleaned["organisation"] = self.single_organisation
        return cleaned


class OfferExportForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=None, to_field_name="slug", empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_user_curates_for(user).order_by(
            "name"
        )

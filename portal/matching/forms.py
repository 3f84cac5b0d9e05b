"""The matcher's forms: a profile for recommendations without a diagnostic, the list's
filters, and a "Useful / Not useful" mark."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.vocabularies import BusinessSize, Dimension, SicSection, Stage, SupportKind
from portal.matching.recommendations import business_from_result
from portal.matching.supplies import supplies_field
from portal.places.forms import CouncilChoiceField

PLAN_CHOICES = (
    ("raise_finance", _("Raise finance, such as a loan, investment or grant")),
    ("hire", _("Take on staff")),
    ("export", _("Start or grow exporting")),
    ("bid_public_contracts", _("Bid for public sector contracts")),
    ("adopt_software", _("Start using new software or digital tools")),
    ("research_development", _("Carry out research and development (R&D)")),
)


class ProfileForm(forms.Form):
    council = CouncilChoiceField(
        label=_("Which council area is your business in?"),
        error_messages={"required": _("Choose the council area your business is in")},
    )
    size = forms.ChoiceField(
        label=_("How many people work in the business?"),
        choices=BusinessSize.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how many people work in the business")},
    )
    stage = forms.ChoiceField(
        label=_("What stage is the business at?"),
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the stage your business is at")},
    )
    sic_section = forms.ChoiceField(
        label=_("What does the business do?"),
        choices=[("", _("Choose a sector")), *SicSection.choices],
        error_messages={"required": _("Choose what your business does")},
    )
    plans = forms.MultipleChoiceField(
        label=_("What does the business plan to do in the next 12 months?"),
        help_text=_("Select all that apply."),
        choices=PLAN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # As the diagnostic's profile (questionnaire 1.1.0) asks it.
    supplies = supplies_field(
        label=_("What do you supply? (optional)"),
        help_text=_(
            "The kinds of work you could do for a buyer, as CPV codes: for example "
            "72000000 for IT services, or 72200000 for software programming and "
            "consultancy. We use them to find contracts for you."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("size", "stage", "plans"):
            self.fields[name].label_classes = "govuk-fieldset__legend--s"
        for name in ("council", "sic_section", "supplies"):
            self.fields[name].label_classes = "govuk-label--s"

    def business(self):
        data = self.cleaned_data
        return business_from_result(
            council=data["council"],
            size=data["size"],
            stage=data["stage"],
            sic_section=data["sic_section"],
            profile={"plans": data["plans"], "supplies": data["supplies"]},
        )


class FilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Kind of support"),
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        required=False,
    )
    dimension = forms.MultipleChoiceField(
        label=_("Helps with"),
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label_classes = "govuk-fieldset__legend--s"

    def chosen(self, name: str) -> frozenset[str] | None:
        """The values chosen for a filter, or None for "all" (and for invalid input,
        which is dropped rather than refused: a filter never fails a page)."""
        if not self.is_valid():
            values = [v for v in self.data.getlist(name) if v in dict(self.fields[name].choices)]
        else:
            values = self.cleaned_data[name]
        return frozenset(values) or None


class FeedbackForm(forms.Form):
    target = forms.ChoiceField(choices=(("offer", "offer"), ("opportunity", "opportunity")))
    key = forms.CharField(max_length=100)  # an offer's slug or an opportunity's public id
    useful = forms.ChoiceField(choices=(("yes", "yes"), ("no", "no")))
    rank = forms.IntegerField(min_value=1, max_value=1000)
    reasons = forms.CharField(max_length=500, required=False)
    profile_only = forms.BooleanField(required=False)
    next = forms.CharField(max_length=1000, required=False)

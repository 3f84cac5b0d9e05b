from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, User
from portal.catalogue.funding import FUNDING_FIELDS, funding_errors
from portal.catalogue.models import Offer
from portal.catalogue.rules import (
    can_list_offer_uk_wide,
    councils_user_may_list_offers_in,
    regions_user_may_list_offers_in,
)
from portal.lib.currencies import normalise_currency
from portal.lib.dateinput import DateField
from portal.lib.forms import ModelChoiceField, ModelMultipleChoiceField
from portal.places.models import Council, Region

# The form's fields, by fieldset. Places are a fieldset of their own, rendered by the
# template as a fragment that htmx can refresh (see views.curation.offer_places).
FIELDSETS = (
    (
        _("About the support"),
        ("title", "summary", "description", "provider_name", "kind", "delivery"),
    ),
    (
        _("Who it is for"),
        ("sizes", "stages", "sic_sections", "dimensions", "maturity_levels", "eligibility_note"),
    ),
    (_("Cost and funding"), ("cost", "cost_note", "funding_min", "funding_max", "currency")),
    (_("Dates"), ("always_open", "opens", "closes", "next_intake")),
    (_("How to apply"), ("application_url", "contact_email", "contact_phone")),
    (_("Welsh (optional)"), ("title_cy", "summary_cy", "description_cy")),
)
PLACE_FIELDS = ("uk_wide", "regions", "councils")
OFFER_FIELDS = tuple(name for _legend, names in FIELDSETS for name in names) + PLACE_FIELDS


class CouncilCheckboxes(ModelMultipleChoiceField):
    def label_from_instance(self, council):
        return council.name


class OfferForm(forms.ModelForm):
    """An offer's own fields. The curating organisation, status, version and review
    dates are not fields here: the services set them, whatever a request posts.

    Places are limited to those the organisation covers (rules.py); the service
    checks them again. ``shown_region`` narrows the council checkboxes on screen only:
    councils chosen in other regions are kept as hidden inputs.
    """

    # The version the edit started from: the optimistic lock (services.update_offer).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    opens = DateField(
        label=_("Opens"),
        subject=_("Opening date"),
        help_text=_("Leave empty if it is always open."),
        required=False,
    )
    closes = DateField(label=_("Closes"), subject=_("Closing date"), required=False)
    next_intake = DateField(label=_("Next intake"), subject=_("Next intake date"), required=False)

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        field_classes = {"regions": ModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_cy": forms.Textarea(attrs={"rows": 6}),
            "eligibility_note": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "cost": forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            "delivery": forms.RadioSelect,
            "funding_min": forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
            "funding_max": forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
            "currency": forms.TextInput(attrs={"class": "govuk-input--width-3"}),
            "contact_phone": forms.TextInput(attrs={"class": "govuk-input--width-20"}),
            "regions": forms.CheckboxSelectMultiple,
        }
        labels = {
            "title_cy": _("Title in Welsh"),
            "summary_cy": _("Summary in Welsh"),
            "description_cy": _("Description in Welsh"),
        }
        help_texts = {
            "summary": _("One or two sentences shown in search results."),
            "title_cy": _("Welsh pages show the English title when this is empty."),
            "summary_cy": _("Welsh pages show the English summary when this is empty."),
            "description_cy": _("Welsh pages show the English description when this is empty."),
            "provider_name": _("The organisation that runs it."),
            "sizes": _("Leave empty if it is open to businesses of every size."),
            "stages": _("Leave empty if it is open to businesses at every stage."),
            "sic_sections": _("Leave empty if it is open to every sector."),
            "funding_min": _(
                "For grants, loans and investment. In the currency below, for example 5000."
            ),
            "currency": _("A three-letter code: GBP for pounds, EUR for euros."),
            "application_url": _("The full address, starting https://"),
        }
        error_messages = {
            "title": {"required": _("Enter the name of the support")},
            "summary": {"required": _("Enter a summary")},
            "provider_name": {"required": _("Enter who provides the support")},
            "kind": {"required": _("Select the kind of support")},
            "application_url": {
                "required": _("Enter the link to apply or find out more"),
                "invalid": _(
                    "Enter a link in the correct format, like https://www.example.com/apply"
                ),
            },
            "contact_email": {
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
            "currency": {
                "max_length": _("Enter a currency as a three-letter code, like GBP"),
            },
            "funding_min": {
                "invalid": _("Enter the smallest amount as a number, like 5000"),
                "max_digits": _("The smallest amount must be 999,999,999,999 or less"),
                "max_whole_digits": _("The smallest amount must be 999,999,999,999 or less"),
                "max_decimal_places": _(
                    "Enter the smallest amount with no more than 2 decimal places"
                ),
            },
            "funding_max": {
                "invalid": _("Enter the largest amount as a number, like 25000"),
                "max_digits": _("The largest amount must be 999,999,999,999 or less"),
                "max_whole_digits": _("The largest amount must be 999,999,999,999 or less"),
                "max_decimal_places": _(
                    "Enter the largest amount with no more than 2 decimal places"
                ),
            },
        }

    def __init__(
        self,
        *args,
        user: User,
        curator: Organisation,
        shown_region: Region | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.shown_region = shown_region
        offer = self.instance if self.instance.pk else None
        if offer is not None and not self.is_bound:
            self.fields["version"].initial = offer.version

        kept = Q(pk__in=offer.councils.all()) if offer else Q(pk__in=[])
        allowed_councils = councils_user_may_list_offers_in(user, curator)
        self.fields["councils"] = CouncilCheckboxes(
            queryset=Council.objects.filter(Q(pk__in=allowed_councils) | kept)
            .select_related("region")
            .order_by("region__itl_code", "name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Councils"),
            error_messages={
                "invalid_choice": _("Select only councils your organisation covers"),
            },
        )
        kept_regions = Q(pk__in=offer.regions.all()) if offer else Q(pk__in=[])
        allowed_regions = regions_user_may_list_offers_in(user, curator).values("pk")
        regions = Region.objects.filter(Q(pk__in=allowed_regions) | kept_regions)
        if regions.exists():
            self.fields["regions"].queryset = regions
            self.fields["regions"].error_messages["invalid_choice"] = _(
                "Select only nations and regions your organisation covers in full"
            )
        else:
            del self.fields["regions"]
        if not (can_list_offer_uk_wide(user) or (offer and offer.uk_wide)):
            del self.fields["uk_wide"]

        for name in ("dimensions", "maturity_levels", "sizes", "stages", "sic_sections"):
            self.fields[name].widget.attrs["class"] = "govuk-checkboxes--small"
        self.fields["kind"].choices = self.fields["kind"].choices[1:]  # no empty choice
        self.fields["application_url"].validators = [URLValidator(schemes=["http", "https"])]
        # Left empty, the currency is pounds (the field shows GBP to begin with).
        # No maxlength: GOV.UK inputs say what is wrong rather than cut what is typed.
        currency = self.fields["currency"]
        currency.required = False
        currency.widget.attrs.pop("maxlength", None)
        currency.widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    # Rendering

    @property
    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FIELDSETS
        ]

    def council_options(self):
        """The council checkboxes to show, and the chosen councils kept hidden."""
        bound = self["councils"]
        chosen = {str(value) for value in (bound.value() or [])}
        shown, hidden = [], []
        for option in bound:
            council = option.data["value"].instance
            if self.shown_region is None or council.region_id == self.shown_region.pk:
                shown.append(option)
            elif str(council.pk) in chosen:
                hidden.append(council.pk)
        return shown, hidden

    # Validation

    def clean_currency(self):
        return normalise_currency(self.cleaned_data.get("currency"))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The closing date must be after the opening date"))
        # Only the funding fields that were read: one that could not be is already refused.
        funding = {name: cleaned[name] for name in FUNDING_FIELDS if name in cleaned}
        for name, message in funding_errors(funding).items():
            self.add_error(name, message)
        uk_wide = cleaned.get("uk_wide", self.instance.uk_wide)
        if (
            not uk_wide
            and not cleaned.get("regions")
            and not cleaned.get("councils")
            and "councils" not in self.errors
            and "regions" not in self.errors
        ):
            self.add_error(
                "councils", _("Select at least one council or region where the offer is available")
            )
        return cleaned

    def changes(self) -> dict:
        """The cleaned offer fields, for services.create_offer and update_offer."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and name != "version"
        }


class RegionFilterForm(forms.Form):
    """Which region's councils to show in the places fieldset (display only)."""

    region = ModelChoiceField(
        queryset=Region.objects.active(),
        to_field_name="itl_code",
        required=False,
        label=_("Show councils in"),
        empty_label=_("All nations and regions"),
    )

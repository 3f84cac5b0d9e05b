"""Forms for posting contract opportunities. Forms validate; the services in
``services/posting.py`` assign, and check the rules again."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, User
from portal.lib.dateinput import DateField, DateTimeField
from portal.lib.forms import ModelMultipleChoiceField
from portal.places.models import Council, Region
from portal.procurement.cpv import CpvCodesField, CpvPickerWidget
from portal.procurement.models import (
    BuyerType,
    MainCategory,
    NoticeStage,
    Opportunity,
    Procedure,
)
from portal.procurement.rules import can_post_for
from portal.procurement.services.posting import MAX_LOTS

# The form's fields, by fieldset, in the order a poster thinks of them. Places are a
# fieldset of their own: the template groups the councils by region.
FIELDSETS = (
    (
        _("About the opportunity"),
        ("title", "description", "main_category", "cpv_codes", "stage", "procedure"),
    ),
    (_("Buyer"), ("buyer_name", "buyer_type")),
    (_("Value"), ("value_min", "value_max", "currency")),
    (_("Dates"), ("deadline", "contract_start", "contract_end")),
    (_("Who can bid"), ("sme_suitable", "vcse_suitable")),
    (_("Notice and contact"), ("notice_url", "contact_name", "contact_email")),
    (_("Welsh (optional)"), ("title_cy", "description_cy")),
)
PLACE_FIELDS = ("uk_wide", "regions", "councils", "delivery_location")
OPPORTUNITY_FIELDS = tuple(name for _legend, names in FIELDSETS for name in names) + PLACE_FIELDS

SUITABILITY_CHOICES = (("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not stated")))
SUITABILITY_VALUES = {"yes": True, "no": False}
SUITABILITY_INITIAL = {True: "yes", False: "no", None: "unknown"}

# The deadline as one ISO value, as a client that knows only the one field posts it
# (the form reads it as well as its date input's boxes).
DEADLINE_FORMAT = "%Y-%m-%dT%H:%M"


class SuitabilityField(forms.TypedChoiceField):
    """Yes, no or not stated: True, False or None."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=SUITABILITY_CHOICES,
            coerce=lambda value: SUITABILITY_VALUES.get(value),
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            **kwargs,
        )


class AmountField(forms.DecimalField):
    """Pounds, with commas and a £ allowed; 0 or nothing means "not stated"."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=16,
            decimal_places=2,
            min_value=0,
            required=False,
            widget=forms.TextInput(
                attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("£", "").strip()
        value = super().to_python(value)
        return value or None


class OpportunityForm(forms.ModelForm):
    """An opportunity's own fields, and its lots (``self.lots``, a formset).

    The posting organisation, buyer organisation, status, ocid and version are not
    fields here: the services set them, whatever a request posts.
    """

    # The version the edit started from: the optimistic lock (update_opportunity).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    cpv_codes = CpvCodesField(
        label=_("CPV codes"),
        help_text=_(
            "The Common Procurement Vocabulary codes of the work, like 72000000 for IT "
            "services: type words or the first digits of a code to find them."
        ),
        error_messages={"required": _("Enter at least one CPV code, like 72000000")},
    )
    value_min = AmountField(
        label=_("Lowest value (optional)"),
        help_text=_("In pounds, for a range. Leave empty or enter 0 if it is not stated."),
    )
    value_max = AmountField(
        label=_("Value"),
        help_text=_(
            "In pounds, for example 250000: the estimated value, or the top of the range. "
            "Leave empty or enter 0 if it is not stated."
        ),
    )
    deadline = DateTimeField(
        label=_("Deadline for tenders"),
        subject=_("Deadline for tenders"),
        help_text=_("The date and time bids must arrive by, UK time."),
        required=False,
    )
    contract_start = DateField(
        label=_("Contract starts (optional)"), subject=_("Contract start date"), required=False
    )
    contract_end = DateField(
        label=_("Contract ends (optional)"), subject=_("Contract end date"), required=False
    )
    sme_suitable = SuitabilityField(label=_("Is it suitable for small and medium businesses?"))
    vcse_suitable = SuitabilityField(
        label=_("Is it suitable for voluntary, community and social enterprises?")
    )

    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        field_classes = {"regions": ModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "description_cy": forms.Textarea(attrs={"rows": 8}),
            "buyer_type": forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            "main_category": forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            "stage": forms.RadioSelect,
            "procedure": forms.Select,
            "currency": forms.TextInput(attrs={"class": "govuk-input--width-3"}),
            "regions": forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
            "contact_name": forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        }
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "title_cy": _("Title in Welsh"),
            "description_cy": _("Description in Welsh"),
            "buyer_name": _("Buyer (optional)"),
            "buyer_type": _("Is the buyer public or private?"),
            "main_category": _("Main category"),
            "stage": _("Notice type"),
            "procedure": _("Procedure (optional)"),
            "uk_wide": _("The work can be done anywhere in the UK"),
            "regions": _("Nations and regions"),
            "delivery_location": _("Where the work is (optional)"),
            "notice_url": _("Link to the full notice (optional)"),
            "contact_name": _("Contact name (optional)"),
            "contact_email": _("Contact email address (optional)"),
        }
        help_texts = {
            "title": _("What is being bought, in a few words."),
            "description": _("What the work is, what the buyer needs and how to bid."),
            "title_cy": _("Welsh pages show the English title when this is empty."),
            "description_cy": _("Welsh pages show the English description when this is empty."),
            "buyer_name": _("Leave empty if your organisation is the buyer."),
            "currency": _("A three-letter code: GBP for pounds."),
            "delivery_location": _("For example, “Gateshead town centre” or “remote”."),
            "notice_url": _("The full address, starting https://"),
        }
        error_messages = {
            "title": {"required": _("Enter a title")},
            "description": {"required": _("Enter a description of the work")},
            "main_category": {"required": _("Select goods, works or services")},
            "buyer_type": {"required": _("Select whether the buyer is public or private")},
            "stage": {"required": _("Select the notice type")},
            "notice_url": {
                "invalid": _(
                    "Enter a link in the correct format, like https://www.example.com/notice"
                )
            },
            "contact_email": {
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
        }

    def __init__(self, *args, user: User, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.instance if self.instance.pk else None
        if opportunity is not None and not self.is_bound:
            self.fields["version"].initial = opportunity.version
            for name in ("sme_suitable", "vcse_suitable"):
                self.initial[name] = SUITABILITY_INITIAL[getattr(opportunity, name)]
        elif not self.is_bound:
            self.initial.setdefault("sme_suitable", "unknown")
            self.initial.setdefault("vcse_suitable", "unknown")

        self.fields["description"].required = True
        # Empty: the posting organisation is the buyer (the services fill it in).
        self.fields["buyer_name"].required = False
        self.fields["main_category"].required = True
        self.fields["main_category"].choices = MainCategory.choices
        self.fields["buyer_type"].choices = BuyerType.choices
        self.fields["stage"].choices = NoticeStage.choices
        self.fields["procedure"].choices = [("", _("Not stated")), *Procedure.choices]
        self.fields["currency"].widget.attrs["spellcheck"] = "false"

        # Posters are not tied to an area: anyone who may post for the organisation may
        # name any council or region. Places already on it stay choosable.
        may_post = can_post_for(user, organisation)
        kept_councils = Q(pk__in=opportunity.councils.all()) if opportunity else Q(pk__in=[])
        councils = Council.objects.filter(Q(active=True) if may_post else Q(pk__in=[]))
        self.fields["councils"] = ModelMultipleChoiceField(
            queryset=(councils | Council.objects.filter(kept_councils))
            .select_related("region")
            .order_by("region__itl_code", "name"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
            required=False,
            label=_("Councils"),
            error_messages={"invalid_choice": _("Select councils from the list")},
        )
        kept_regions = Q(pk__in=opportunity.regions.all()) if opportunity else Q(pk__in=[])
        regions = Region.objects.filter(Q(active=True) if may_post else Q(pk__in=[]))
        self.fields["regions"].queryset = (regions | Region.objects.filter(kept_regions)).order_by(
            "itl_code"
        )
        self.fields["regions"].error_messages["invalid_choice"] = _(
            "Select nations and regions from the list"
        )
        self.fields["notice_url"].assume_scheme = "https"

        self.lots = LotFormSet(
            self.data if self.is_bound else None,
            prefix="lots",
            initial=(
                [
                    {
                        "lot_id": lot.lot_id,
                        "title": lot.title,
                        "value": lot.value,
                        "cpv_codes": lot.cpv_codes,
                    }
                    for lot in opportunity.lots.order_by("id")
                ]
                if opportunity is not None and not self.is_bound
                else None
            ),
        )

    # Rendering

    @property
    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FIELDSETS
        ]

    def council_groups(self):
        """The council checkboxes by region: [(region name, options, any chosen)]."""
        groups = []
        for option in self["councils"]:
            council = option.data["value"].instance
            if not groups or groups[-1][0] != council.region.name:
                groups.append((council.region.name, [], False))
            name, options, chosen = groups[-1]
            options.append(option)
            groups[-1] = (name, options, chosen or bool(option.data["selected"]))
        return groups

    def all_errors(self):
        """The form's and its lots' errors, for the error summary: [(anchor, message)]."""
        errors = [(None, error) for error in self.non_field_errors()]
        for field in self.visible_fields():
            errors += [(field.error_anchor, error) for error in field.errors]
        if self.is_bound:
            errors += [(None, error) for error in self.lots.non_form_errors()]
            for number, lot_form in enumerate(self.lots.forms, start=1):
                if self.lots.can_delete and self.lots._should_delete_form(lot_form):
                    continue
                for name, field_errors in lot_form.errors.items():
                    anchor = lot_form[name].auto_id if name in lot_form.fields else None
                    for error in field_errors:
                        errors.append(
                            (
                                anchor,
                                _("Lot %(number)d: %(error)s")
                                % {"number": number, "error": error},
                            )
                        )
        return errors

    def without_errors(self):
        """Keep what was typed but show no errors (adding a lot is not a save)."""
        self.full_clean()
        self._errors = forms.utils.ErrorDict()
        self.lots.full_clean()
        self.lots._non_form_errors = self.lots.error_class()
        self.lots._errors = [forms.utils.ErrorDict() for _form in self.lots.forms]
        for lot_form in self.lots.forms:
            lot_form._errors = forms.utils.ErrorDict()
        return self

    # Validation

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "GBP").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Enter the currency as three letters, like GBP"))
        return currency

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline != self.instance.deadline and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline for tenders must be in the future"))
        return deadline

    def clean(self):
        cleaned = super().clean()
        smallest, largest = cleaned.get("value_min"), cleaned.get("value_max")
        if smallest is not None and largest is not None and smallest > largest:
            self.add_error(
                "value_max", _("The value must be the same as or more than the lowest value")
            )
        starts, ends = cleaned.get("contract_start"), cleaned.get("contract_end")
        if starts and ends and ends <= starts:
            self.add_error("contract_end", _("The contract end date must be after its start date"))
        if (
            not cleaned.get("uk_wide")
            and not cleaned.get("regions")
            and not cleaned.get("councils")
            and "councils" not in self.errors
            and "regions" not in self.errors
        ):
            self.add_error(
                "uk_wide",
                _("Select where the work is: anywhere in the UK, a nation or region, or councils"),
            )
        return cleaned

    def is_valid(self):
        form_valid = super().is_valid()
        return self.lots.is_valid() and form_valid

    def changes(self) -> dict:
        """The cleaned fields and lots, for create_opportunity and update_opportunity."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and name != "version"
        }
        data["lots"] = self.lots.cleaned_lots()
        return data


class LotForm(forms.Form):
    lot_id = forms.CharField(
        label=_("Lot id"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": _("Enter the lot’s id, like 1 or LOT-1")},
    )
    title = forms.CharField(label=_("Lot title"), max_length=300, required=False)
    value = AmountField(label=_("Lot value (optional)"))
    cpv_codes = CpvCodesField(
        label=_("Lot CPV codes (optional)"),
        required=False,
        widget=CpvPickerWidget(attrs={"rows": 2}),
    )


class BaseLotFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this lot")

    def kept_forms(self):
        """The lot forms that are lots: not removed, and not a blank added row."""
        return [
            form
            for number, form in enumerate(self.forms)
            if (number < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]

    def clean(self):
        kept = self.kept_forms()
        if any(form.errors for form in kept):
            return
        seen = set()
        for form in kept:
            lot_id = form.cleaned_data["lot_id"].strip()
            if lot_id in seen:
                raise forms.ValidationError(_("Give each lot a different id"))
            seen.add(lot_id)

    def cleaned_lots(self) -> list[dict]:
        return [
            {
                "lot_id": form.cleaned_data["lot_id"].strip(),
                "title": form.cleaned_data.get("title", ""),
                "value": form.cleaned_data.get("value"),
                "cpv_codes": form.cleaned_data.get("cpv_codes") or [],
            }
            for form in self.kept_forms()
        ]


LotFormSet = forms.formset_factory(
    LotForm,
    formset=BaseLotFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_LOTS,
    validate_max=True,
    absolute_max=MAX_LOTS,
)

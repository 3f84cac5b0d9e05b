"""The "Is this for me?" form on an offer's page (views/public.py): a GET form whose
every field may be left blank. A value that is not one of the choices (a link edited by
hand, or an old one) gets a message on its field and is left out of the check: never a
500."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.catalogue.eligibility import BusinessProfile
from portal.lib.vocabularies import BusinessSize, SicSection, Stage
from portal.places.choices import place_choices
from portal.places.forms import CouncilChoiceField, CouncilSelect


class PlainCouncilSelect(CouncilSelect):
    """The councils' select as the check has always shown it: no autocomplete."""

    def __init__(self, attrs=None):
        forms.Select.__init__(self, attrs={"class": "govuk-select", **(attrs or {})})


class CouncilCodeField(CouncilChoiceField):
    """A council by its GSS code, in capitals or not, found among the places this process
    keeps (portal/places/choices.py): no query. Cleans to that place."""

    widget = PlainCouncilSelect

    def prepare_value(self, value):
        return str(value or "").strip().upper()

    def to_python(self, value):
        code = self.prepare_value(value)
        if not code:
            return None
        found = place_choices().find(code)
        if found is None or not found.is_council:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


def _choice_field(label, vocabulary, *, empty_label, invalid):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty_label), *vocabulary.choices],
        error_messages={"invalid_choice": invalid},
    )


class BusinessCheckForm(forms.Form):
    council = CouncilCodeField(
        label=_("Council"),
        required=False,
        error_messages={"invalid_choice": _("Choose a council from the list")},
    )
    size = _choice_field(
        _("Business size"),
        BusinessSize,
        empty_label=_("Choose a size"),
        invalid=_("Choose a business size from the list"),
    )
    stage = _choice_field(
        _("Business stage"),
        Stage,
        empty_label=_("Choose a stage"),
        invalid=_("Choose a business stage from the list"),
    )
    sector = _choice_field(
        _("Sector"),
        SicSection,
        empty_label=_("Choose a sector"),
        invalid=_("Choose a sector from the list"),
    )

    def __init__(self, data, **kwargs):
        kwargs.setdefault("auto_id", "check-%s")
        super().__init__(data, **kwargs)

    @property
    def council_code(self) -> str:
        """The chosen council's GSS code; "" for none, or one the form refused."""
        self.is_valid()
        council = self.cleaned_data.get("council")
        return council.code if council else ""

    def profile(self) -> BusinessProfile:
        """The business the answers describe; an answer the form refused is left out."""
        self.is_valid()
        answers = self.cleaned_data
        council = answers.get("council")
        return BusinessProfile(
            council_id=council.council_id if council else None,
            council_name=council.name if council else "",
            region_id=council.region_id if council else None,
            size=answers.get("size", ""),
            stage=answers.get("stage", ""),
            sector=answers.get("sector", ""),
        )

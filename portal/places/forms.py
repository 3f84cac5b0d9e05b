from itertools import groupby

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.places.models import Council


class CouncilChoiceIterator(forms.models.ModelChoiceIterator):
    """The councils as one option group per region, regions in ITL order.

    One query, whatever the number of councils: the region comes with each council.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        councils = self.queryset.select_related("region").order_by("region__itl_code", "name")
        if not councils._prefetch_related_lookups:
            councils = councils.iterator()
        for region, group in groupby(councils, key=lambda council: council.region):
            yield (str(region), [self.choice(council) for council in group])


class CouncilSelect(forms.Select):
    """A grouped select that static/js/council-picker.js turns into an autocomplete.

    The script reads its words from data- attributes, so they are translated here.
    """

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "govuk-select",
                "data-module": "council-picker",
                "data-search-url": reverse_lazy("places:council-search"),
                "data-no-results": _("No results found"),
                "data-one-result": _("1 result available"),
                # {count} is replaced by the script.
                "data-many-results": _("{count} results available"),
                "data-instructions": _(
                    "Use the up and down arrow keys to move through the results "
                    "and the Enter key to choose one."
                ),
                **(attrs or {}),
            }
        )


class CouncilChoiceField(forms.ModelChoiceField):
    """Choose one district or unitary council; the value posted is its GSS code."""

    iterator = CouncilChoiceIterator
    widget = CouncilSelect

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "gss_code")
        kwargs.setdefault("empty_label", _("Choose a council"))
        super().__init__(queryset if queryset is not None else Council.objects.active(), **kwargs)

    def label_from_instance(self, council):
        return council.name


class CouncilForm(forms.Form):
    """Where is your business? The answer is one council."""

    council = CouncilChoiceField(
        label=_("Council"),
        help_text=_(
            "The local council for your business’s address. "
            "Start typing its name, for example Gateshead."
        ),
        error_messages={
            "required": _("Select the council where your business is"),
            "invalid_choice": _("Select the council where your business is"),
        },
    )

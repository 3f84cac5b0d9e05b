from itertools import groupby

from django import forms
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.places.choices import place_choices
from portal.places.models import Council

# The council <optgroup>s as rendered HTML, by language and the places' fingerprint:
# rendered once per process (the list changes only with a data migration) instead of
# ~370 options through the widget templates, which cost about 26 ms a page.
_RENDERED_OPTIONS: dict[tuple[str, str], str] = {}


def council_options_html(selected: str = "") -> str:
    """Every active council, one <optgroup> per region, with ``selected`` (a GSS code)
    chosen: one query, and the HTML rendered once per process and language."""
    places = place_choices()
    key = (get_language(), places.fingerprint)
    options = _RENDERED_OPTIONS.get(key)
    if options is None:
        options = render_to_string(
            "places/options.html#councils",
            {"places": places, "selected": "", "everywhere": False},
        )
        _RENDERED_OPTIONS[key] = options
    if selected:
        code = escape(selected)
        options = options.replace(
            f'<option value="{code}">', f'<option value="{code}" selected>', 1
        )
    return options


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
    """A grouped select that static/js/pickers.js turns into GOV.UK's
    accessible-autocomplete (its options stay in the page: no network).

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
                # {option}, {position} and {count} are replaced by the script.
                "data-selected-option": _("{option} {position} of {count} is highlighted"),
                "data-instructions": _(
                    "Use the up and down arrow keys to move through the results "
                    "and the Enter key to choose one."
                ),
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        """The select written out directly: its options from ``council_options_html``,
        not through the choice iterator and a template per option. The posted value
        (a GSS code) is the one chosen. A field limited to some councils is rendered the
        usual way."""
        field = getattr(self.choices, "field", None)
        if not getattr(field, "offers_every_council", False):
            return super().render(name, value, attrs, renderer)
        empty_label = getattr(field, "empty_label", None)
        selected = "" if value is None else str(value)
        empty = (
            format_html(
                '<option value=""{}>{}</option>', " selected" if not selected else "", empty_label
            )
            if empty_label is not None
            else ""
        )
        return format_html(
            '<select name="{}"{}>{}{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            empty,
            mark_safe(council_options_html(selected)),
        )


class CouncilChoiceField(forms.ModelChoiceField):
    """Choose one district or unitary council; the value posted is its GSS code."""

    iterator = CouncilChoiceIterator
    widget = CouncilSelect

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "gss_code")
        kwargs.setdefault("empty_label", _("Choose a council"))
        # Every active council: the widget then renders the options kept per process.
        self.offers_every_council = queryset is None
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

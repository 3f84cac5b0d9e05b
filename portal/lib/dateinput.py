"""GOV.UK's date input: three boxes (day, month, year) for one date, the form field that
reads them, and the Design System's error messages
(https://design-system.service.gov.uk/components/date-input/).

``DateField(subject=_("Closing date"))`` gives, for example, "Closing date must include
a month", "Closing date must be a real date" or "Closing date must be between 1 January
2000 and 31 December 2099". The field template (templates/includes/forms/field.html)
shows it as a fieldset, like any MultiWidget; the boxes are
templates/includes/forms/widgets/date_input.html.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")
PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}
PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4}
# Wide enough for any support offer or contract, narrow enough to catch a slip of the
# keyboard (2207 for 2027).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
EXAMPLE = _("For example, 27 3 2027")


def parts_of(value) -> list[str]:
    """[day, month, year] as text: from the boxes as typed, a date, or an ISO date
    ("2027-03-27", as a client that knows only the one field posts it)."""
    if isinstance(value, list | tuple):
        return [str(part or "").strip() for part in (list(value) + ["", "", ""])[:3]]
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return ["", "", ""]
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    return ["", "", ""]


def parts_in_error(parts: list[str]) -> set[str]:
    """The boxes to show in error: the ones left empty when others are filled in, the
    year when it is not 4 digits, otherwise all three."""
    missing = {part for part, text in zip(PARTS, parts, strict=True) if not text}
    if missing and len(missing) < len(PARTS):
        return missing
    year = parts[2]
    if year.isdigit() and len(year) != 4 and all(text.isdigit() for text in parts):
        return {"year"}
    return set(PARTS)


class DateInput(forms.MultiWidget):
    """Day, month and year boxes: ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    template_name = "includes/forms/widgets/date_input.html"

    def __init__(self, attrs=None):
        super().__init__(
            {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}, attrs
        )

    def decompress(self, value):
        return parts_of(value)

    def value_from_datadict(self, data, files, name):
        if super().value_omitted_from_data(data, files, name) and name in data:
            return data[name]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data

    def id_for_label(self, id_):
        # The error summary links to the day box.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        """Each box gets GOV.UK's classes and its label; with an error, only the boxes
        in error are marked (GovukBoundField marks the whole widget)."""
        context = super().get_context(name, value, attrs)
        classes = context["widget"]["attrs"].get("class", "").split()
        invalid = "govuk-input--error" in classes
        in_error = parts_in_error(parts_of(value)) if invalid else set()
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = PART_LABELS[part]
            sub_attrs = subwidget["attrs"]
            sub_attrs.pop("aria-invalid", None)
            sub_attrs["class"] = " ".join(
                [
                    "govuk-input",
                    "govuk-date-input__input",
                    f"govuk-input--width-{PART_WIDTHS[part]}",
                    *(["govuk-input--error"] if part in in_error else []),
                ]
            )
            if part in in_error:
                sub_attrs["aria-invalid"] = "true"
        return context


class DateField(forms.Field):
    """One date from GOV.UK's date input. ``subject`` names it in the error messages
    ("Closing date"); ``earliest`` and ``latest`` bound it. An ISO date posted in the
    field's own name ("2027-03-27") is read too."""

    widget = DateInput
    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("%(subject)s must include a %(missing)s"),
        "invalid": _("%(subject)s must be a real date"),
        "year": _("%(subject)s must include a year with 4 numbers"),
        "out_of_range": _("%(subject)s must be between %(earliest)s and %(latest)s"),
    }

    def __init__(
        self,
        *,
        subject=None,
        earliest: datetime.date = EARLIEST,
        latest: datetime.date = LATEST,
        **kwargs,
    ):
        help_text = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", help_text, EXAMPLE) if help_text else EXAMPLE
        super().__init__(**kwargs)
        self.subject = subject or self.label or _("The date")
        self.earliest, self.latest = earliest, latest

    def _error(self, code, **params):
        return ValidationError(
            self.error_messages[code], code=code, params={"subject": self.subject, **params}
        )

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            parts = parts_of(value)
            if not all(parts):
                raise self._error("invalid")
        else:
            parts = parts_of(value)
        if not any(parts):
            return None
        missing = [PART_NAMES[part] for part, text in zip(PARTS, parts, strict=True) if not text]
        if missing:
            raise self._error("incomplete", missing=_(" and ").join(str(name) for name in missing))
        if not all(text.isdigit() for text in parts):
            raise self._error("invalid")
        if len(parts[2]) != 4:
            raise self._error("year")
        day, month, year = (int(text) for text in parts)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise self._error("invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.earliest <= value <= self.latest:
            raise self._error(
                "out_of_range",
                earliest=date_format(self.earliest, "j F Y"),
                latest=date_format(self.latest, "j F Y"),
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True

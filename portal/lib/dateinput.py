"""GOV.UK's date input: three boxes (day, month, year) for one date, the form field that
reads them, and the Design System's error messages
(https://design-system.service.gov.uk/components/date-input/). ``DateTimeField`` adds a
fourth box, the time ("12:00"), for a date and time (the deadline for tenders).

``DateField(subject=_("Closing date"))`` gives, for example, "Closing date must include
a month", "Closing date must be a real date" or "Closing date must be between 1 January
2000 and 31 December 2099". The field template (templates/includes/forms/field.html)
shows it as a fieldset, like any MultiWidget; the boxes are
templates/includes/forms/widgets/date_input.html.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")
PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year"), "time": _("time")}
PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year"), "time": _("Time")}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4, "time": 5}
# A time of day as people write it on a 24-hour clock: "9:30", "09:30", "12.00".
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
# Wide enough for any support offer or contract, narrow enough to catch a slip of the
# keyboard (2207 for 2027).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
EXAMPLE = _("For example, 27 3 2027")
EXAMPLE_WITH_TIME = _("For example, 27 3 2027 and 12:00")


def parts_of(value, parts=PARTS) -> list[str]:
    """[day, month, year] (and the time, when ``parts`` has it) as text: from the boxes
    as typed, a date or datetime, or an ISO one ("2027-03-27", "2027-03-27T12:00", as a
    client that knows only the one field posts it)."""
    empty = [""] * len(parts)
    if isinstance(value, list | tuple):
        return [str(part or "").strip() for part in (list(value) + empty)[: len(parts)]]
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return empty
        if "time" not in parts:
            value = value.date()
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        moment = [str(value.day), str(value.month), str(value.year), value.strftime("%H:%M")]
        return moment[: len(parts)]
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)][: len(parts)] + empty[3:]
    return empty


def parts_in_error(parts: list[str], names=PARTS) -> set[str]:
    """The boxes to show in error: the ones left empty when others are filled in, the
    year when it is not 4 digits, the time when it is not one, otherwise the date's."""
    missing = {name for name, text in zip(names, parts, strict=True) if not text}
    if missing and len(missing) < len(names):
        return missing
    day, month, year = parts[:3]
    if year.isdigit() and len(year) != 4 and day.isdigit() and month.isdigit():
        return {"year"}
    if "time" in names and not missing and not TIME.match(parts[3]):
        return {"time"}
    return set(PARTS)


class DateInput(forms.MultiWidget):
    """Day, month and year boxes: ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    template_name = "includes/forms/widgets/date_input.html"
    parts = PARTS

    def __init__(self, attrs=None):
        super().__init__(
            {
                part: forms.TextInput(attrs={} if part == "time" else {"inputmode": "numeric"})
                for part in self.parts
            },
            attrs,
        )

    def decompress(self, value):
        return parts_of(value, self.parts)

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
        in_error = parts_in_error(parts_of(value, self.parts), self.parts) if invalid else set()
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
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
    value_type = datetime.date
    example = EXAMPLE
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
        example = self.example
        kwargs["help_text"] = format_lazy("{} {}", help_text, example) if help_text else example
        super().__init__(**kwargs)
        self.subject = subject or self.label or _("The date")
        self.earliest, self.latest = earliest, latest

    def _error(self, code, **params):
        return ValidationError(
            self.error_messages[code], code=code, params={"subject": self.subject, **params}
        )

    def parts(self, value) -> list[str] | None:
        """The boxes' text; None when nothing was entered."""
        names = self.widget.parts
        if isinstance(value, str):
            if not value.strip():
                return None
            parts = parts_of(value, names)
            if not all(parts):
                raise self._error("invalid")
            return parts
        parts = parts_of(value, names)
        if not any(parts):
            return None
        missing = [PART_NAMES[name] for name, text in zip(names, parts, strict=True) if not text]
        if missing:
            raise self._error("incomplete", missing=_(" and ").join(str(name) for name in missing))
        return parts

    def to_python(self, value):
        if isinstance(value, self.value_type):
            return value
        parts = self.parts(value)
        return None if parts is None else self.value_of(parts)

    def value_of(self, parts: list[str]):
        return self.date_of(parts[:3])

    def date_of(self, parts: list[str]) -> datetime.date:
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
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day is not None and not self.earliest <= day <= self.latest:
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


class DateTimeInput(DateInput):
    """Day, month and year boxes, then the time: ``<name>_time``."""

    parts = (*PARTS, "time")


class DateTimeField(DateField):
    """A date and a time of day, UK time: GOV.UK's date input and a time box ("12:00",
    24-hour). The value is a timezone-aware datetime."""

    widget = DateTimeInput
    value_type = datetime.datetime
    example = EXAMPLE_WITH_TIME
    default_error_messages = {
        "time": _("%(subject)s must include a real time, like 12:00 or 17:30"),
    }

    def value_of(self, parts: list[str]) -> datetime.datetime:
        day = self.date_of(parts[:3])
        time = TIME.match(parts[3])
        if time is None:
            raise self._error("time")
        moment = datetime.datetime.combine(day, datetime.time(int(time[1]), int(time[2])))
        return timezone.make_aware(moment)

"""Change histories (offers, opportunities): how a value reads in "what changed"."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone


def history_text(value) -> str:
    """A field's value as a change history shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def places_text(places: Iterable) -> str:
    """A set of places (or any objects) as one sorted line."""
    return ", ".join(sorted(str(place) for place in places))

"""Change histories (offers, opportunities): who changed what and when, and how a value
reads in "what changed"."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib import versions


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


def initial_history(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, list[str]]:
    """A new object's history entry: ["", value] for each field given a value."""
    history = {}
    for name, value in values.items():
        if model._meta.get_field(name).many_to_many:
            text = places_text(value)
        else:
            text = history_text(value)
        if text:
            history[name] = ["", text]
    return history


class ChangeRecord(models.Model):
    """One change to an object: who made it, when, the action and the fields it changed.

    Each app's history (OfferChange, OpportunityChange) adds the foreign key to what
    changed, with ``related_name="changes"``, and names that key in ``subject_field``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=30)
    # field name → [old, new], as text.
    fields = models.JSONField(_("changed fields"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    subject_field = ""

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{getattr(self, self.subject_field)} {self.action} {self.at:%Y-%m-%d}"


def record_change(
    *,
    subject: models.Model,
    user,
    action: str,
    fields: Mapping[str, list[str]] | None = None,
) -> ChangeRecord:
    """Add a change to ``subject``'s history (its ``changes``).

    Every recorded change is a change to the data, so the data version its model names
    (``DATA_VERSION``, see portal/lib/versions.py) rises once the transaction commits:
    whatever a process keeps built from that data is rebuilt on its next request."""
    data_version = getattr(type(subject), "DATA_VERSION", "")
    if data_version:
        versions.bump(data_version)
    return subject.changes.create(user=user, action=action, fields=dict(fields or {}))

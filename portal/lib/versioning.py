"""Optimistic versioning and the status workflow of offers and opportunities.

Every write through a service re-reads the object under a row lock, checks that nobody
saved it since the version the edit started from, raises its ``version`` with a
conditional UPDATE (so two saves racing on any database cannot both win), saves, and
records what changed (``portal.lib.history``). Each model says where each of its
statuses may go (``TRANSITIONS``); a status changes only through ``change_status``,
which refuses any other move.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.history import history_text, places_text, record_change


class WorkflowError(Exception):
    """A refusal with a message for the person who asked (shown on the page)."""

    @property
    def message(self) -> str:
        return str(self)


class StaleEditError(WorkflowError):
    """The object changed since the version an edit was based on."""

    def __init__(self, model: type[models.Model]):
        super().__init__(
            _(
                "Someone else changed this %(thing)s while you were editing it. Your changes "
                "have not been saved. Reload the page to see their changes."
            )
            % {"thing": model._meta.verbose_name}
        )


class StatusError(WorkflowError):
    """The action does not apply to an object with this status."""


class Versioned:
    """For a model with ``status`` and ``version`` fields and a change history.

    ``TRANSITIONS`` maps each status to the statuses it may become; a status that is
    not a key goes nowhere. ``CHANGED_AT_FIELD`` is the timestamp every save raises.
    """

    TRANSITIONS: ClassVar[Mapping[str, frozenset[str]]] = {}
    CHANGED_AT_FIELD: ClassVar[str] = ""

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class StatusMove(NamedTuple):
    """One action of a workflow: the status it moves to, the action its history records,
    the permission rule it needs (``permitted(user, obj)``), and the refusal for a status
    it does not apply to (with ``%(status)s`` for that status)."""

    to: str
    action: str
    permitted: Callable[[Any, Any], bool]
    refusal: str


class MayBecome:
    """A model attribute that says whether the object's status may become ``status``
    (``can_become``), for templates, which cannot pass it an argument."""

    def __init__(self, status: str):
        self.status = status

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.can_become(self.status)


@dataclass
class Changes:
    """What an edit changes: each field's [old, new] as history text, the plain fields
    already set on the object, and the many-to-many values still to be set."""

    history: dict[str, list[str]] = field(default_factory=dict)
    plain: list[str] = field(default_factory=list)
    related: dict[str, list] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.history)


def check_known_fields(changes: Iterable[str], editable: Iterable[str]) -> None:
    """Refuse a field the service does not let its callers set (a programming error)."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")


def lock(instance: models.Model, *related: str) -> models.Model:
    """The object as saved now, its row locked until the transaction ends."""
    objects = type(instance).objects.select_for_update()
    if related:
        objects = objects.select_related(*related)
    return objects.get(pk=instance.pk)


def assign(instance: models.Model, values: Mapping[str, Any]) -> Changes:
    """Set on ``instance`` each value that differs from what it holds (many-to-many
    values are compared as sets and kept for ``save_version`` to set)."""
    changes = Changes()
    for name, new in values.items():
        if instance._meta.get_field(name).many_to_many:
            old = list(getattr(instance, name).all())
            if {item.pk for item in old} != {item.pk for item in new}:
                changes.history[name] = [places_text(old), places_text(new)]
                changes.related[name] = list(new)
            continue
        old = getattr(instance, name)
        if old != new:
            changes.history[name] = [history_text(old), history_text(new)]
            setattr(instance, name, new)
            changes.plain.append(name)
    return changes


def bump_version(instance: Versioned, expected_version: int) -> None:
    """Raise the version, or refuse (StaleEditError) if it is no longer the one the edit
    started from: a conditional UPDATE, so two saves racing cannot both win."""
    model = type(instance)
    now = timezone.now()
    bumped = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **{model.CHANGED_AT_FIELD: now}
    )
    if not bumped:
        raise StaleEditError(model)
    instance.version = expected_version + 1
    setattr(instance, model.CHANGED_AT_FIELD, now)


def save_version(
    instance: Versioned, changes: Changes, *, user, action: str, expected_version: int
) -> None:
    """Raise the version (see bump_version), save ``changes`` and record them."""
    bump_version(instance, expected_version)
    if changes.plain:
        instance.save(update_fields=changes.plain)
    for name, related in changes.related.items():
        getattr(instance, name).set(related)
    record_change(subject=instance, user=user, action=action, fields=changes.history)


@transaction.atomic
def change_status(
    instance: Versioned,
    *,
    user,
    move: StatusMove,
    applies: Callable[[Any], bool] | None = None,
    effects: Callable[[Any], Mapping[str, Any]] | None = None,
):
    """Take ``move`` on ``instance``: refused (PermissionDenied) unless the user is
    permitted, and (StatusError) unless its model's transitions allow the move and
    ``applies`` holds, for an action narrower than the move. ``effects`` gives the other
    fields the move sets; it may refuse by raising. Returns the object as saved.
    """
    if not move.permitted(user, instance):
        raise PermissionDenied(f"This user may not take the action {move.action!r} here.")
    current = lock(instance)
    if not current.can_become(move.to) or (applies is not None and not applies(current)):
        raise StatusError(move.refusal % {"status": current.get_status_display().lower()})
    values = {"status": move.to, **(effects(current) if effects else {})}
    changes = assign(current, values)
    save_version(current, changes, user=user, action=move.action, expected_version=current.version)
    return current

"""What Waymark holds about a person: the inventory of fields that can hold personal data,
and the registry through which each app gives a person's rows for "Download your data"
and erases them when the account is deleted.

Accounts never imports the apps above it. Each app, from its ``AppConfig.ready`` (as
with the account page's panels, portal/lib/panels.py), declares its personal fields and
registers what it holds about a person::

    declare_personal_fields(*personal_data.FIELDS)
    register_personal_data(
        "assessments",
        label=_("Your diagnostics: business profiles, answers and scores"),
        export=personal_data.export_assessments,
        erase=personal_data.erase_assessments,
        order=30,
    )

Both functions are called with keyword arguments ``user`` (the account) and ``email``:
the account's address when the person has shown, in this session, that the mailbox is
theirs (``proven_email``), or "" when not. Rows linked to the account are always
included; rows linked only by an email address (alerts asked for, results sent, without
signing in) only with a proven address. Sign-up does not check the address, so anyone
could otherwise open an account in someone else's address and download what that
person asked for, or erase it.

- ``export`` returns plain JSON-able data (dicts, lists, strings, numbers, None; dates,
  datetimes, UUIDs and Decimals are written by DjangoJSONEncoder), read in a fixed
  number of queries however many rows the person has.
- ``erase`` deletes the rows, or detaches them from the person where they belong to an
  organisation (its listings and their histories) or feed anonymous figures (the
  dashboards' counts must not change when an account goes). It runs in the transaction
  of ``services.delete_account``, before the user row itself is deleted; None means
  the rows go with that row.

The inventory (``PersonalField``, ``NotPersonal``) is checked against the models by
tests/accounts/test_personal_data_inventory.py: a field that can hold personal data and
is in neither fails it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

# export(*, user, email) -> JSON-able data; erase(*, user, email) -> None.
ExportFunction = Callable[..., Any]
EraseFunction = Callable[..., None]


@dataclass(frozen=True)
class PersonalField:
    """A field that holds, or can hold, personal data: why it is kept and for how long."""

    model: type[models.Model]
    field: str
    purpose: str
    retention: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


@dataclass(frozen=True)
class NotPersonal:
    """A field the inventory's scan picks out (by its name, or as the free text of a model
    linked to a person) that holds nothing about a person, and why."""

    model: type[models.Model]
    field: str
    reason: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    export: ExportFunction
    erase: EraseFunction | None
    order: int


class PersonalDataRegistry:
    def __init__(self):
        self._sources: dict[str, Source] = {}
        self._fields: dict[str, PersonalField | NotPersonal] = {}

    def register(
        self,
        name: str,
        *,
        label,
        export: ExportFunction,
        erase: EraseFunction | None,
        order: int = 100,
    ) -> None:
        if name in self._sources:
            raise ValueError(f"Personal data named {name!r} is registered already.")
        self._sources[name] = Source(name, label, export, erase, order)

    def unregister(self, name: str) -> None:
        self._sources.pop(name, None)

    def declare(self, *fields: PersonalField | NotPersonal) -> None:
        for entry in fields:
            if entry.key in self._fields:
                raise ValueError(f"{entry.key} is in the personal data inventory already.")
            self._fields[entry.key] = entry

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """No source registered for a while (a test of the registry itself)."""
        saved, self._sources = self._sources, {}
        try:
            yield
        finally:
            self._sources = saved

    def sources(self) -> list[Source]:
        """In ``order``, then by name."""
        return sorted(self._sources.values(), key=lambda source: (source.order, source.name))

    def inventory(self) -> dict[str, PersonalField | NotPersonal]:
        """Every declared field by ``app_label.Model.field``."""
        return dict(self._fields)

    def export(self, *, user, email: str = "") -> dict[str, Any]:
        return {
            source.name: {
                "about": str(source.label),
                "records": source.export(user=user, email=email),
            }
            for source in self.sources()
        }

    def erase(self, *, user, email: str = "") -> None:
        for source in self.sources():
            if source.erase is not None:
                source.erase(user=user, email=email)


PERSONAL_DATA = PersonalDataRegistry()

register_personal_data = PERSONAL_DATA.register
unregister_personal_data = PERSONAL_DATA.unregister
declare_personal_fields = PERSONAL_DATA.declare
personal_data_sources = PERSONAL_DATA.sources
personal_data_inventory = PERSONAL_DATA.inventory


def export_personal_data(*, user, email: str = "") -> dict[str, Any]:
    """The "Download your data" document: everything the apps give for this person."""
    return {
        "service": settings.SERVICE_NAME,
        "exported_at": timezone.now(),
        "account": user.email,
        # Whether rows held under the address (without an account) are included.
        "email_address_proven": bool(email),
        "data": PERSONAL_DATA.export(user=user, email=email),
    }


def erase_personal_data(*, user, email: str = "") -> None:
    """Every app's erasure, in order (``services.delete_account`` runs it, in its
    transaction, and then deletes the user)."""
    PERSONAL_DATA.erase(user=user, email=email)


# Proving the mailbox: a link emailed to the account's address, followed while signed in
# to that account, marks the session. The mark names the account and its address, so
# it proves nothing for another account or after the address changes.

EMAIL_PROOF_SALT = "accounts.personal-data.email"
EMAIL_PROOF_MAX_AGE = timedelta(hours=1)
EMAIL_PROOF_SESSION_KEY = "accounts_proven_email"


class InvalidEmailProof(Exception):
    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_email_proof_token(user) -> str:
    return signing.dumps(
        {"user": user.pk, "email": user.email.lower()}, salt=EMAIL_PROOF_SALT, compress=False
    )


def prove_email(request, token: str) -> str:
    """Mark the session as holding proof of the signed-in user's address, from the
    emailed link's ``token``; the address. Raises InvalidEmailProof when the token is
    malformed, expired, or made for another account or address."""
    try:
        signed = signing.loads(
            token, salt=EMAIL_PROOF_SALT, max_age=EMAIL_PROOF_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as error:
        raise InvalidEmailProof(expired=True) from error
    except signing.BadSignature as error:
        raise InvalidEmailProof from error
    user = request.user
    if not (
        isinstance(signed, dict)
        and signed.get("user") == user.pk
        and signed.get("email") == user.email.lower()
    ):
        raise InvalidEmailProof
    request.session[EMAIL_PROOF_SESSION_KEY] = {"user": user.pk, "email": user.email.lower()}
    return user.email


def proven_email(request) -> str:
    """The signed-in user's address if this session has proved it, else ""."""
    user = request.user
    mark = request.session.get(EMAIL_PROOF_SESSION_KEY)
    if (
        user.is_authenticated
        and isinstance(mark, dict)
        and mark.get("user") == user.pk
        and mark.get("email") == user.email.lower()
    ):
        return user.email
    return ""

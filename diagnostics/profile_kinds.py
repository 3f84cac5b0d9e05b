"""Profile field kinds whose vocabulary belongs to another app, and how that app provides
them without diagnostics importing it.

A definition's ``cpv`` field (what the business supplies) holds codes of the CPV
vocabulary, which is procurement's; diagnostics and procurement sit side by side in the
layers, so neither imports the other. An app above both (``portal.matching``) registers
the kind from its ``AppConfig.ready``, as apps register results-page panels
(diagnostics/panels.py):

- ``form_field``: called with ``label``, ``help_text`` and ``required=False``, it returns
  the field the profile page shows; its cleaned value is the list of codes to store;
- ``describe``: the lines that name a stored value on "Check your answers";
- ``script_templates``: templates a page showing the field includes at its end (the
  picker's script: the strict CSP needs the request's nonce on the tag).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ProfileKind:
    form_field: Callable[..., forms.Field]
    describe: Callable[[Sequence[str]], list[str]]
    script_templates: tuple[str, ...] = ()


_kinds: dict[str, ProfileKind] = {}


def register_profile_kind(kind: str, provider: ProfileKind) -> None:
    if kind in _kinds and _kinds[kind] != provider:
        raise ValueError(f"The profile field kind {kind!r} is provided already.")
    _kinds[kind] = provider


def profile_kind(kind: str) -> ProfileKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"No installed app provides the profile field kind {kind!r} "
            "(portal.matching provides 'cpv')."
        ) from None

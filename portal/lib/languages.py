"""The language a person used, kept with their email address so that what we send them
later (links, alerts, digests) is in it, with links to the pages in that language.

A service stores ``current_language()`` (the request's, /cy/ pages being Welsh) in a
``language_field()`` where it keeps an address; the email is built inside
``in_language(row.language)``: its texts, subject and links (``reverse`` gives /cy/
addresses in Welsh). An email built outside one is in the default language
(``portal.lib.tasks.email_task``), never in whatever language the request that caused
it happened to use.
"""

from contextlib import AbstractContextManager

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def current_language() -> str:
    """The active language as one of settings.LANGUAGES' codes."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def language_field() -> models.CharField:
    """A model's field for the language its person used (English by default)."""
    return models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the pages the person used: their emails are in it."),
    )


def in_language(code: str) -> AbstractContextManager:
    """Build an email (or anything) in ``code``, or the default language if it is not one
    of ours."""
    return translation.override(code if code in language_codes() else settings.LANGUAGE_CODE)

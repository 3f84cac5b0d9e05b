"""Listings in two languages: an offer's or an opportunity's text as a Welsh page shows it.

A listing's English fields (``title``) may have Welsh ones beside them (``title_cy``,
optional). ``localised`` is the one accessor every founder-facing template reads them
through (the ``localised`` filters of portal/core/templatetags/bilingual.py): on a Welsh
page, the Welsh text when there is some, else the English, which the page then marks
with ``lang="en"`` so that screen readers speak it as English (WCAG 3.1.2). English
pages show the English fields, as they always have.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

WELSH = "cy"
# The language of the fields without a suffix.
ENGLISH = "en"


def welsh_active() -> bool:
    """Whether the active language is Welsh ("cy", or a regional "cy-…")."""
    return (get_language() or "").split("-")[0] == WELSH


def welsh_name(field: str) -> str:
    return f"{field}_{WELSH}"


def _value(listing, name: str) -> str:
    if isinstance(listing, Mapping):
        return listing.get(name) or ""
    return getattr(listing, name, "") or ""


@dataclass(frozen=True)
class Localised:
    """A listing's text in the page's language, or in English when not translated
    (``fell_back``). As HTML (``html()``), English on a Welsh page is wrapped in
    ``<span lang="en">``; ``str()`` is the bare text (a page title, a plain-text email).
    (A template's ``{{ }}`` makes a ``str()`` of what is not a string: give it ``html()``.)"""

    text: str
    fell_back: bool = False

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return self.html()

    def html(self) -> SafeString:
        if self.fell_back:
            return format_html('<span lang="{}">{}</span>', ENGLISH, self.text)
        return conditional_escape(self.text)

    @property
    def lang(self) -> str:
        """The language to mark the text with: "en" when it fell back, else ""."""
        return ENGLISH if self.fell_back else ""


def localised(listing, field: str, *, welsh: bool | None = None) -> Localised:
    """``listing``'s ``field`` (a model, or a mapping such as an email's listing) in the
    active language (or Welsh, ``welsh=True``): its Welsh text when the language is
    Welsh and there is some, else the English text, saying whether it fell back."""
    english = _value(listing, field)
    if not (welsh_active() if welsh is None else welsh):
        return Localised(english)
    translated = _value(listing, welsh_name(field))
    if translated.strip():
        return Localised(translated)
    return Localised(english, fell_back=bool(english))

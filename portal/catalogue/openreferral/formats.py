"""The values the export writes and the importer reads back, each written and read in one
place so that a round trip gives back what it was given: web addresses as the schema's
``uri`` format wants them, the paragraphs of a service's description, and the text of
the funding amounts."""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy

from portal.catalogue.models import Cost, Offer
from portal.lib.currencies import DEFAULT_CURRENCY

SUMMARY_LENGTH = Offer._meta.get_field("summary").max_length
URL_LENGTH = Offer._meta.get_field("application_url").max_length
EMAIL_LENGTH = Offer._meta.get_field("contact_email").max_length
PARAGRAPH_BREAK = "\n\n"

_IS_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
_IS_EMAIL_ADDRESS = EmailValidator()
# Says which paragraph of a service's description is the eligibility note: the UK
# profile has no eligibility field.
WHO_CAN_APPLY = gettext_lazy("Who can apply:")


@functools.lru_cache(maxsize=256)
def in_every_language(text) -> frozenset[str]:
    """A lazy text as it reads in each of the site's languages (an export made in one is
    read back in any other)."""
    forms = {str(text)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            forms.add(str(text))
    return frozenset(forms)


# Web addresses and email addresses


def web_address(text: str) -> str:
    """``text`` as an http(s) URI that the schema's ``uri`` format accepts (a non-ASCII
    host in punycode, other non-ASCII characters percent-encoded), or "" when it is no
    web address."""
    text = text.strip()
    try:
        _IS_WEB_ADDRESS(text)
        parts = urllib.parse.urlsplit(text)
        netloc = parts.netloc.encode("idna").decode("ascii")
    except (ValidationError, UnicodeError, ValueError):
        return ""
    return iri_to_uri(urllib.parse.urlunsplit(parts._replace(netloc=netloc)))


def is_email_address(text: str) -> bool:
    try:
        _IS_EMAIL_ADDRESS(text)
    except ValidationError:
        return False
    return len(text) <= EMAIL_LENGTH


# The description: summary, description and eligibility note as paragraphs


def description_text(*, summary: str, description: str, eligibility_note: str) -> str:
    paragraphs = [summary, description]
    if eligibility_note:
        paragraphs.append(f"{WHO_CAN_APPLY} {eligibility_note}")
    return PARAGRAPH_BREAK.join(paragraph for paragraph in paragraphs if paragraph)


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip() + "…"


def description_parts(text: str, *, title: str) -> tuple[str, str, str | None]:
    """(summary, description, eligibility note or None) from a service's description
    as ``description_text`` writes it: the first paragraph is the summary when it is
    short enough, and a last paragraph starting "Who can apply:" is the note. Any other
    text gives a summary cut from its first line, and the whole text as description."""
    note = None
    markers = [PARAGRAPH_BREAK + marker + " " for marker in in_every_language(WHO_CAN_APPLY)]
    found = max((text.rfind(marker), marker) for marker in markers)
    if found[0] >= 0:
        position, marker = found
        note = text[position + len(marker) :].strip()
        text = text[:position]
    first, _break, rest = text.partition(PARAGRAPH_BREAK)
    if first.strip() and len(first.strip()) <= SUMMARY_LENGTH:
        return first.strip(), rest.strip(), note
    if not text.strip():
        return _shortened(title, SUMMARY_LENGTH), "", note
    first_line = text.strip().split("\n", 1)[0].strip()
    return _shortened(first_line, SUMMARY_LENGTH), text.strip(), note


# Funding amounts, as the text of a funding entry

_GBP = "£"
_AMOUNT = (
    r"(?:£|(?P<{name}_code>[A-Z]{{3}}) )"
    r"(?P<{name}>[0-9]{{1,3}}(?:,[0-9]{{3}})*(?:\.[0-9]{{2}})?)"
)
FUNDING_PHRASES = {
    # Which amounts are given → how they read.
    (True, True): gettext_lazy("Amounts from %(smallest)s to %(largest)s"),
    (True, False): gettext_lazy("Amounts from %(smallest)s"),
    (False, True): gettext_lazy("Amounts up to %(largest)s"),
}


def _amount_text(amount: Decimal, currency: str) -> str:
    number = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{_GBP}{number}" if currency == DEFAULT_CURRENCY else f"{currency} {number}"


def funding_text(offer: Offer) -> str:
    """The offer's funding amounts as words, or "" when it gives none."""
    given = (offer.funding_min is not None, offer.funding_max is not None)
    if given not in FUNDING_PHRASES:
        return ""
    return str(FUNDING_PHRASES[given]) % {
        "smallest": _amount_text(offer.funding_min, offer.currency) if given[0] else "",
        "largest": _amount_text(offer.funding_max, offer.currency) if given[1] else "",
    }


def _phrase_pattern(phrase: str) -> re.Pattern:
    pattern = re.escape(phrase)
    for name in ("smallest", "largest"):
        pattern = pattern.replace(re.escape(f"%({name})s"), _AMOUNT.format(name=name))
    return re.compile(pattern, re.IGNORECASE)


def funding_amounts(texts: Iterable[str]) -> tuple[Decimal | None, Decimal | None, str] | None:
    """(smallest, largest, currency) from the first of ``texts`` that ``funding_text``
    could have written, or None when none is (a funding source in other words)."""
    patterns = [
        _phrase_pattern(form)
        for phrase in FUNDING_PHRASES.values()
        for form in in_every_language(phrase)
    ]
    for text in texts:
        for pattern in patterns:
            match = pattern.fullmatch(text.strip())
            if match is None:
                continue
            amounts, codes = {}, set()
            for name in ("smallest", "largest"):
                if match.groupdict().get(name):
                    try:
                        amounts[name] = Decimal(match[name].replace(",", ""))
                    except InvalidOperation:
                        break
                    codes.add(match[f"{name}_code"] or DEFAULT_CURRENCY)
            else:
                if len(codes) == 1:
                    return amounts.get("smallest"), amounts.get("largest"), codes.pop()
    return None


@functools.cache
def cost_words() -> dict[str, str]:
    """Each way of writing a cost the importer knows (its code, its label in each
    language), casefolded → the cost."""
    words = {}
    for value, label in Cost.choices:
        words[value.casefold()] = value
        for form in in_every_language(label):
            words[form.casefold()] = value
    return words


def no_longer_than(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending "…" when cut."""
    return _shortened(text, limit)

"""One value read from a release: text, dates, amounts, currencies, CPV codes, URLs,
codelist values and yes/no flags, each checked, cleaned and cut to fit the model, or
``InvalidRelease`` with a reason.

- HTML entities (``&amp;``, ``&#39;``, ``&pound;``) are unescaped, and ``\\r\\n`` and
  ``\\r`` become ``\\n``, in every text;
- a date-time is kept in UTC; a date-only field (the contract's start and end) is the
  day as the publisher wrote it, in its own offset (``2025-04-01T00:00:00+01:00`` is
  1 April); a date-time within a day of the ends of years 1 and 9999 once in UTC is
  refused (``9999-12-31T23:59:59-05:00`` is in year 10000);
- an amount of 0 means "not stated" and is never kept as £0.
"""

import html
import urllib.parse
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

# The model's column lengths for the texts a release fills.
MAX_LENGTHS = {
    "title": 300,
    "buyer_name": 300,
    "delivery_location": 300,
    "procedure_details": 300,
    "contact_name": 200,
    "contact_email": 254,
    "notice_url": 1000,
    "source_uri": 1000,
    "release_id": 300,
    "lot_id": 100,
    "lot_title": 300,
}
# A moment this far from the ends of year 1 and year 9999 can be shown in any time zone.
EARLIEST_MOMENT = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST_MOMENT = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
# Values at or over this do not fit the model's DecimalField(max_digits=16, places=2).
MAX_AMOUNT = Decimal("1e14")


class InvalidRelease(Exception):
    """One release cannot be imported; the message says why."""


def clean_text(value, *, limit: int | None = None) -> str:
    """Entities unescaped (twice-escaped ones too), line ends normalised, trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        else:
            raise InvalidRelease(f"a text field holds {type(value).__name__}, not a string")
    text = html.unescape(value)
    if "&" in text and text != value:
        text = html.unescape(text)
    # PostgreSQL refuses NUL characters in text; some feeds have them.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _parse_as_written(value, *, what: str) -> datetime:
    """An RFC 3339 date-time (or a plain date) in the offset it was written in (UTC if
    none), or InvalidRelease."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRelease(f"{what} is not a date: {value!r}")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRelease(f"{what} is not a date: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_datetime(value, *, what: str) -> datetime:
    """An aware datetime in UTC from an RFC 3339 date-time (or a plain date). One that
    falls outside what every time zone can show (a day short of year 1 or year 9999
    in UTC: ``9999-12-31T23:59:59-05:00`` is past the end of year 9999) is refused."""
    parsed = _parse_as_written(value, what=what)
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST_MOMENT <= moment <= LATEST_MOMENT:
        raise InvalidRelease(
            f"{what} is out of range: {value!r} (dates must fall between "
            "2 January 0001 and 30 December 9999)"
        )
    return moment


def parse_date(value, *, what: str) -> date:
    """The calendar date of an RFC 3339 date-time as the publisher wrote it, in its own
    offset: ``2025-04-01T00:00:00+01:00`` is 1 April (in UTC it would be 31 March)."""
    return _parse_as_written(value, what=what).date()


def date_key(moment: datetime) -> str:
    """A fixed-width UTC text that sorts as the datetimes do (isoformat writes years
    before 1000 with four digits, as strftime does not everywhere)."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def amount_of(value, *, what: str) -> Decimal | None:
    """An OCDS Value's amount; 0 (and no amount) is "not stated"."""
    if not isinstance(value, dict):
        return None
    amount = value.get("amount")
    if amount is None or amount == "":
        return None
    if isinstance(amount, bool):
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}")
    try:
        number = Decimal(str(amount).replace(",", ""))
    except InvalidOperation:
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}") from None
    if not number.is_finite():
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}")
    if number <= 0:
        return None
    if number >= MAX_AMOUNT:
        raise InvalidRelease(f"{what}.amount is too large: {amount!r}")
    return number.quantize(Decimal("0.01"))


def currency_of(value) -> str:
    if isinstance(value, dict) and isinstance(value.get("currency"), str):
        currency = value["currency"].strip().upper()
        if len(currency) == 3 and currency.isalpha():
            return currency
    return "GBP"


def cpv_of(classification) -> str | None:
    """The 8-digit code of a CPV classification ("72000000-5" → "72000000")."""
    if not isinstance(classification, dict):
        return None
    scheme = classification.get("scheme")
    if not isinstance(scheme, str) or scheme.strip().upper() not in ("CPV", "CPVS"):
        return None
    code = str(classification.get("id", "")).strip()
    digits = code.split("-", 1)[0].strip()
    if len(digits) == 8 and digits.isdigit():
        return digits
    return None


def cpv_codes_of(classifications: Iterable) -> list[str]:
    return sorted({code for code in map(cpv_of, classifications) if code})


TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


def flag_of(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def codelist_value(value) -> str:
    """A codelist value, or "" for anything that is not text (a list, say)."""
    return value if isinstance(value, str) else ""


def http_url(value) -> str:
    """An absolute http(s) URL that fits the model, else "". (Django's URLValidator
    would take a tenth of the import's time.)"""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > MAX_LENGTHS["notice_url"] or any(char.isspace() for char in value):
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return value


def as_list(value) -> list:
    """An OCDS array as a list: a lone object stands for a list of one, anything else
    for none."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []

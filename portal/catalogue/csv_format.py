"""The offer CSV format: one column per field, in one place.

The import template, the export and the import all read ``COLUMNS``, so a column added
here appears in all three. Each column knows how to write an offer's value as text
(``Column.format``) and how to read a cell back (``Column.parse``, which raises
ValidationError with a message a curator can act on).

Cells holding several values separate them with semicolons (``micro;small``). Places are
official codes: GSS codes for councils (E08000037) and ONS codes for nations and regions
(E12000001). Dates are YYYY-MM-DD (DD/MM/YYYY is accepted too); yes/no columns take
yes or no; a currency is an ISO 4217 code (GBP when empty). The rules between columns,
and the funding rules the offer form applies too (portal/catalogue/funding.py), are
checked by the import once each cell has been read.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.catalogue.models import Cost, Delivery, Offer
from portal.lib.currencies import DEFAULT_CURRENCY, normalise_currency
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)

SEPARATOR = ";"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# Spreadsheets run a cell that starts with one of these as a formula: the export puts an
# apostrophe in front (OWASP "CSV injection"), and the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class PlaceCodes:
    """Official codes → database ids, read once per import."""

    regions: dict[str, int] = field(default_factory=dict)  # ONS code → Region id
    councils: dict[str, int] = field(default_factory=dict)  # GSS code → Council id


@dataclass(frozen=True)
class Column:
    name: str  # the header, and the Offer field it fills
    help: Promise
    # text, choice, choices, yes_no, date, amount, currency, url, email, regions, councils
    kind: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    example: str = ""

    @property
    def max_length(self) -> int | None:
        if self.kind in {"text", "url", "email"}:
            return Offer._meta.get_field(self.name).max_length
        return None

    @property
    def allowed_values(self) -> list[str]:
        return [value for value, _label in self.choices.choices] if self.choices else []

    # Offer → text

    def format(self, offer: Offer) -> str:
        value = getattr(offer, self.name) if self.kind not in PLACE_KINDS else None
        match self.kind:
            case "regions":
                return SEPARATOR.join(sorted(region.ons_code for region in offer.regions.all()))
            case "councils":
                return SEPARATOR.join(sorted(council.gss_code for council in offer.councils.all()))
            case "choices":
                return SEPARATOR.join(value)
            case "yes_no":
                return "yes" if value else "no"
            case "date":
                return value.isoformat() if value else ""
            case "amount":
                return "" if value is None else f"{value.normalize():f}"
            case _:
                return escape_formula(str(value or ""))

    # text → value

    def parse(self, raw: str, places: PlaceCodes):
        text = unescape_formula(raw.strip())
        if not text:
            if self.required:
                raise ValidationError(_("Enter a value: this column is required"))
            return EMPTY_VALUES[self.kind]()
        parser: Callable = PARSERS[self.kind]
        return parser(self, text, places)


PLACE_KINDS = {"regions", "councils"}
EMPTY_VALUES: dict[str, Callable] = {
    "text": str,
    "url": str,
    "email": str,
    "choice": str,
    "choices": list,
    "yes_no": lambda: False,
    "date": lambda: None,
    "amount": lambda: None,
    "currency": lambda: DEFAULT_CURRENCY,
    "regions": list,
    "councils": list,
}


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(SEPARATOR) if item.strip()]


def _parse_text(column: Column, text: str, places: PlaceCodes) -> str:
    if column.max_length and len(text) > column.max_length:
        raise ValidationError(
            _("Use %(limit)d characters or fewer (this has %(length)d)")
            % {"limit": column.max_length, "length": len(text)}
        )
    return text


def _parse_url(column: Column, text: str, places: PlaceCodes) -> str:
    text = _parse_text(column, text, places)
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise ValidationError(
            _("Enter a full web address starting with https://, like https://www.example.org")
        ) from None
    return text


def _parse_email(column: Column, text: str, places: PlaceCodes) -> str:
    text = _parse_text(column, text, places)
    try:
        EmailValidator()(text)
    except ValidationError:
        raise ValidationError(
            _("Enter an email address in the correct format, like name@example.org")
        ) from None
    return text


def _choice(column: Column, item: str) -> str:
    value = item.lower() if column.choices is not SicSection else item.upper()
    if value not in column.allowed_values:
        raise ValidationError(
            _("“%(value)s” is not one of: %(allowed)s")
            % {"value": item, "allowed": ", ".join(column.allowed_values)}
        )
    return value


def _parse_choice(column: Column, text: str, places: PlaceCodes) -> str:
    return _choice(column, text)


def _parse_choices(column: Column, text: str, places: PlaceCodes) -> list[str]:
    values = [_choice(column, item) for item in _split(text)]
    if column.required and not values:
        raise ValidationError(_("Enter at least one value"))
    return sorted(set(values), key=column.allowed_values.index)


def _parse_yes_no(column: Column, text: str, places: PlaceCodes) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("Enter yes or no"))


def _parse_date(column: Column, text: str, places: PlaceCodes) -> datetime.date:
    for date_format in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter a real date as YYYY-MM-DD, like 2026-03-31"))


def _parse_amount(column: Column, text: str, places: PlaceCodes) -> Decimal:
    """A number; whether it is in range is for the funding rules (funding.py)."""
    cleaned = text.replace(",", "").replace("£", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Enter an amount as a number, like 25000"))
    if abs(amount) < Decimal("1e12"):  # a larger one is refused as it is
        amount = amount.quantize(Decimal("0.01"))
    return amount


def _parse_currency(column: Column, text: str, places: PlaceCodes) -> str:
    """The code in capitals; whether it is a real one is for the funding rules."""
    return normalise_currency(text)


def _parse_places(column: Column, text: str, places: PlaceCodes) -> list[int]:
    lookup = places.regions if column.kind == "regions" else places.councils
    codes = [code.upper() for code in _split(text)]
    unknown = [code for code in codes if code not in lookup]
    if unknown:
        if column.kind == "regions":
            message = _("Unknown ONS region code: %(codes)s (use codes like E12000001)")
        else:
            message = _("Unknown council GSS code: %(codes)s (use codes like E08000037)")
        raise ValidationError(message % {"codes": ", ".join(unknown)})
    return sorted({lookup[code] for code in codes})


PARSERS: dict[str, Callable] = {
    "text": _parse_text,
    "url": _parse_url,
    "email": _parse_email,
    "choice": _parse_choice,
    "choices": _parse_choices,
    "yes_no": _parse_yes_no,
    "date": _parse_date,
    "amount": _parse_amount,
    "currency": _parse_currency,
    "regions": _parse_places,
    "councils": _parse_places,
}

# Help texts are lazy: they are read when a page shows them, in its language.
COLUMNS: tuple[Column, ...] = (
    Column(
        "external_id",
        gettext_lazy(
            "Your own id for the offer. Importing a row with the same id again updates it."
        ),
        "text",
        required=True,
        example="gateshead-2026-001",
    ),
    Column("title", gettext_lazy("The name of the offer."), "text", required=True),
    Column(
        "summary",
        gettext_lazy("One or two sentences: what it is and who it is for."),
        "text",
        True,
    ),
    Column(
        "description", gettext_lazy("More detail: what a business gets and how to apply."), "text"
    ),
    # Welsh, optional (a file may leave these columns out): empty shows the English.
    Column("title_cy", gettext_lazy("The name of the offer in Welsh."), "text"),
    Column("summary_cy", gettext_lazy("The summary in Welsh."), "text"),
    Column("description_cy", gettext_lazy("The description in Welsh."), "text"),
    Column("provider_name", gettext_lazy("Who runs the offer."), "text", required=True),
    Column(
        "kind", gettext_lazy("The kind of support."), "choice", required=True, choices=SupportKind
    ),
    Column(
        "dimensions",
        gettext_lazy("What it helps with, from the diagnostic's dimensions."),
        "choices",
        required=True,
        choices=Dimension,
    ),
    Column(
        "maturity_levels",
        gettext_lazy("The digital maturity it suits. Empty means any."),
        "choices",
        choices=MaturityLevel,
    ),
    Column(
        "sizes",
        gettext_lazy("Business sizes it is for. Empty means any."),
        "choices",
        choices=BusinessSize,
    ),
    Column(
        "stages",
        gettext_lazy("Business stages it is for. Empty means any."),
        "choices",
        choices=Stage,
    ),
    Column(
        "sic_sections",
        gettext_lazy("SIC 2007 sections (A to U) it is for. Empty means any sector."),
        "choices",
        choices=SicSection,
    ),
    Column("eligibility_note", gettext_lazy("Any other eligibility rules."), "text"),
    Column("uk_wide", gettext_lazy("yes if it is available across the UK."), "yes_no"),
    Column(
        "regions",
        gettext_lazy(
            "ONS codes of the nations and regions where it is available, like E12000001."
        ),
        "regions",
    ),
    Column(
        "councils",
        gettext_lazy("GSS codes of the councils where it is available, like E08000037."),
        "councils",
    ),
    Column(
        "cost", gettext_lazy("What it costs a business."), "choice", required=True, choices=Cost
    ),
    Column("cost_note", gettext_lazy("More about the cost."), "text"),
    Column("funding_min", gettext_lazy("For finance: the smallest amount, 0 or more."), "amount"),
    Column("funding_max", gettext_lazy("For finance: the largest amount, 0 or more."), "amount"),
    Column(
        "currency",
        gettext_lazy(
            "The amounts' currency as a three-letter ISO 4217 code, like GBP or EUR. "
            "Empty means GBP. A file without this column leaves the currency as it is."
        ),
        "currency",
        example="GBP",
    ),
    Column(
        "delivery", gettext_lazy("How it is delivered."), "choice", required=True, choices=Delivery
    ),
    Column("always_open", gettext_lazy("yes if applications are always open."), "yes_no"),
    Column("opens", gettext_lazy("When applications open (YYYY-MM-DD)."), "date"),
    Column("closes", gettext_lazy("When applications close (YYYY-MM-DD)."), "date"),
    Column("next_intake", gettext_lazy("When the next intake starts (YYYY-MM-DD)."), "date"),
    Column(
        "application_url",
        gettext_lazy("The link to apply or find out more."),
        "url",
        required=True,
    ),
    Column("contact_email", gettext_lazy("An email address for questions."), "email"),
    Column("contact_phone", gettext_lazy("A phone number for questions."), "text"),
)

HEADERS: tuple[str, ...] = tuple(column.name for column in COLUMNS)
# Columns added since the first template: a file may leave them out, and its offers then
# keep what they have (a new offer, the field's default).
OPTIONAL_HEADERS: frozenset[str] = frozenset(
    {"currency", "title_cy", "summary_cy", "description_cy"}
)
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}


def offer_row(offer: Offer) -> list[str]:
    """One offer as a CSV row. Offers created on the site have no external id: their
    public id stands in, and the import recognises it, so an exported file imports back
    onto the same offers."""
    row = [column.format(offer) for column in COLUMNS]
    if not offer.external_id:
        row[0] = str(offer.public_id)
    return row

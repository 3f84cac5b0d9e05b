"""The rules an offer's funding amounts and currency follow, in one place: the offer
form, the curation services and the CSV import all ask ``funding_errors``, so each
refuses the same values with the same message.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.lib.currencies import is_currency_code, is_three_letters

FUNDING_FIELDS = ("funding_min", "funding_max", "currency")
# What the amount columns hold (14 digits, 2 after the point).
MAX_AMOUNT = Decimal("999999999999.99")


def _amount_error(amount: Decimal, *, smallest: bool) -> str:
    if amount < 0:
        if smallest:
            return _("The smallest amount must be 0 or more")
        return _("The largest amount must be 0 or more")
    if amount > MAX_AMOUNT:
        if smallest:
            return _("The smallest amount must be 999,999,999,999 or less")
        return _("The largest amount must be 999,999,999,999 or less")
    return ""


def currency_error(currency: str) -> str:
    """Why ``currency`` (as ``normalise_currency`` gives it) is refused, or ""."""
    if not is_three_letters(currency):
        return _("Enter a currency as a three-letter code, like GBP")
    if not is_currency_code(currency):
        return _("Enter a real currency code, like GBP or EUR")
    return ""


def funding_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """A message for each of ``funding_min``, ``funding_max`` and ``currency`` in
    ``values`` that is refused: an amount below 0 or beyond what is stored, the largest
    below the smallest, a currency that is not an ISO 4217 code. Fields not in
    ``values`` are not checked."""
    errors = {}
    smallest, largest = values.get("funding_min"), values.get("funding_max")
    if smallest is not None and (message := _amount_error(smallest, smallest=True)):
        errors["funding_min"] = message
    if largest is not None and (message := _amount_error(largest, smallest=False)):
        errors["funding_max"] = message
    if not errors and smallest is not None and largest is not None and smallest > largest:
        errors["funding_max"] = _(
            "The largest amount must be the same as or more than the smallest"
        )
    if "currency" in values and (message := currency_error(values["currency"] or "")):
        errors["currency"] = message
    return errors


def check_funding(values: Mapping[str, Any]) -> None:
    """Raise ValidationError naming each refused field (see ``funding_errors``)."""
    errors = funding_errors(values)
    if errors:
        raise ValidationError(errors)

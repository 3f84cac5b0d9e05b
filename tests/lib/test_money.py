"""portal/lib/money.py: one way to write amounts and ranges of them, for an offer's
funding and a contract's value alike."""

from decimal import Decimal

import pytest

from portal.lib.money import money, money_range
from portal.procurement.display import value_text


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("25000"), "GBP", "£25,000"),
        (Decimal("25000.00"), "GBP", "£25,000"),
        (Decimal("250000.50"), "GBP", "£250,000.50"),
        (1500, "", "£1,500"),
        (Decimal("0"), "GBP", "£0"),
        (Decimal("1500"), "EUR", "EUR 1,500"),
        (Decimal("999999999999.99"), "USD", "USD 999,999,999,999.99"),
        (None, "GBP", ""),
    ],
)
def test_money(amount, currency, shown):
    assert money(amount, currency) == shown


@pytest.mark.parametrize(
    ("low", "high", "limit", "shown"),
    [
        (Decimal("10000"), Decimal("50000"), False, "£10,000 to £50,000"),
        (Decimal("10000"), Decimal("50000"), True, "£10,000 to £50,000"),
        (Decimal("10000"), None, False, "From £10,000"),
        (Decimal("10000"), None, True, "From £10,000"),
        (None, Decimal("50000"), False, "£50,000"),
        (None, Decimal("50000"), True, "Up to £50,000"),
        (Decimal("5000"), Decimal("5000"), True, "£5,000"),
        (Decimal("0"), Decimal("5000"), True, "£0 to £5,000"),
        (None, None, True, ""),
        (None, None, False, ""),
    ],
)
def test_money_range(low, high, limit, shown):
    assert money_range(low, high, "GBP", high_is_a_limit=limit) == shown


def test_money_range_writes_other_currencies_by_their_code():
    assert money_range(Decimal("1000"), Decimal("2500.5"), "EUR") == "EUR 1,000 to EUR 2,500.50"


def test_an_offer_and_a_contract_read_their_amounts_the_same_way():
    """An offer's funding (0 is an amount) and a contract's value (0 is "not stated")
    differ only in what they mean, never in how an amount is written."""
    assert value_text(Decimal("10000"), Decimal("50000"), "GBP") == money_range(
        Decimal("10000"), Decimal("50000"), "GBP", high_is_a_limit=True
    )
    assert value_text(Decimal("0"), Decimal("0"), "GBP") == "Value not stated"

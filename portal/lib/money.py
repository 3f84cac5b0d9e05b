"""Amounts of money as pages and emails show them: "£25,000", "EUR 1,500.50", and ranges
of them ("£10,000 to £50,000"), for an offer's funding and a contract's value alike."""

from decimal import Decimal

from django.utils.translation import gettext as _

from portal.lib.currencies import DEFAULT_CURRENCY


def money(amount: Decimal | int | None, currency: str = DEFAULT_CURRENCY) -> str:
    """ "£25,000" (pence only when there are some); other currencies by their code."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return f"£{number}" if currency in ("", "GBP") else f"{currency} {number}"


def money_range(
    low: Decimal | int | None,
    high: Decimal | int | None,
    currency: str = DEFAULT_CURRENCY,
    *,
    high_is_a_limit: bool = False,
) -> str:
    """ "£10,000 to £50,000"; "From £10,000" for a lowest amount alone; the same amount
    twice, once. A highest amount alone is "Up to £50,000" when it is a limit (the most
    an offer funds), else the amount itself (a contract's value). "" for neither."""
    if low is None and high is None:
        return ""
    if high is None:
        return _("From %(low)s") % {"low": money(low, currency)}
    if low is None:
        if high_is_a_limit:
            return _("Up to %(high)s") % {"high": money(high, currency)}
        return money(high, currency)
    if low == high:
        return money(high, currency)
    return _("%(low)s to %(high)s") % {
        "low": money(low, currency),
        "high": money(high, currency),
    }

"""How opportunities' money and moments read, on pages and in emails alike."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def money(amount: Decimal | None, currency: str = "GBP") -> str:
    """ "£25,000" (pence only when there are some); other currencies by their code."""
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return f"£{number}" if currency in ("", "GBP") else f"{currency} {number}"


def value_text(low: Decimal | None, high: Decimal | None, currency: str) -> str:
    """The value range, or "Value not stated" (an amount of 0 is not stated: never £0)."""
    low = low or None
    high = high or None
    if low is None and high is None:
        return _("Value not stated")
    if low is None or high is None or low == high:
        return money(low or high, currency)
    return _("%(low)s to %(high)s") % {
        "low": money(low, currency),
        "high": money(high, currency),
    }


def moment_text(moment) -> str:
    """ "13 December 2026, 5:30pm" in UK time (GOV.UK style: "midday", "midnight")."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        time = _("midday")
    elif (local.hour, local.minute) == (0, 0):
        time = _("midnight")
    else:
        hour = local.hour % 12 or 12
        suffix = "am" if local.hour < 12 else "pm"
        time = f"{hour}:{local.minute:02d}{suffix}" if local.minute else f"{hour}{suffix}"
    return _("%(date)s, %(time)s") % {"date": date_format(local, "j F Y"), "time": time}


def closing_text(deadline, *, now=None) -> str:
    """ "Closing today", "Closes in 3 days", "Closed" or "No deadline given"."""
    if deadline is None:
        return _("No deadline given")
    now = now or timezone.now()
    if deadline <= now:
        return _("Closed")
    days = (timezone.localdate(deadline) - timezone.localdate(now)).days
    if days <= 0:
        return _("Closing today")
    return ngettext("Closes in %(days)d day", "Closes in %(days)d days", days) % {"days": days}


def safe_url(url: str) -> str:
    """The URL if it is a web address; imported notices may hold anything."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme in ("http", "https") else ""

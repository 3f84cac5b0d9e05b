"""How opportunities' money and moments read, on pages and in emails alike (amounts
themselves: portal/lib/money.py)."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.lib.money import money_range

# A UK NUTS or ITL code, known or not: "UKC1", "TLM", "UKZZZ" (outside any region).
PLACE_CODE = re.compile(r"^(UK|TL)[C-NZ][0-9A-Z]{0,3}$", re.IGNORECASE)


def value_text(low: Decimal | None, high: Decimal | None, currency: str) -> str:
    """The value: "£10,000 to £50,000", "£50,000", "From £10,000" (a lowest value and
    no other: OCDS ``minValue`` with a ``value`` of 0), or "Value not stated" (an amount
    of 0 is not stated: never £0). Give the lowest and the highest value as stored, not
    one standing in for the other."""
    return money_range(low or None, high or None, currency) or _("Value not stated")


def delivery_text(text: str) -> str:
    """Where the work is, as a feed described it, without the NUTS or ITL codes
    ("UKC1") some feeds put there: places are named, never coded, on the page."""
    parts = [part.strip() for part in (text or "").split(",")]
    return ", ".join(part for part in parts if part and not is_place_code(part))


def is_place_code(text: str) -> bool:
    """A NUTS or ITL code, which is not for people to read."""
    return bool(PLACE_CODE.match(text.strip()))


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

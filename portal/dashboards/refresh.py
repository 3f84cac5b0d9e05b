"""Keeping the dashboards' cached figures current.

The cached figures are keyed by the "dashboards" data version (portal/lib/versions.py).
A completed assessment raises it, at most once a minute (``DEBOUNCE_SECONDS``): one
that comes sooner marks a refresh pending, which the scheduled task
(``portal.dashboards.tasks.refresh_dashboards``, every minute) makes once the minute is
up. The task also raises the version every ``STALE_AFTER_SECONDS`` whatever happened,
for the figures that change without an assessment (offers, referrals, page views).
"""

import time

from django.core.cache import cache

from portal.lib import versions

DATA_VERSION = "dashboards"
DEBOUNCE_SECONDS = 60
STALE_AFTER_SECONDS = 15 * 60

_LAST_KEY = "waymark:dashboards:last-refresh"
_PENDING_KEY = "waymark:dashboards:refresh-pending"


def _now() -> float:
    return time.time()


def _refresh(now: float) -> None:
    cache.set(_LAST_KEY, now, timeout=None)
    cache.delete(_PENDING_KEY)
    versions.bump_now(DATA_VERSION)


def request_refresh() -> bool:
    """New data: refresh now unless a refresh was made less than a minute ago, in which
    case the next scheduled run makes it. Whether it refreshed now."""
    now = _now()
    last = cache.get(_LAST_KEY)
    if last is None or now - last >= DEBOUNCE_SECONDS:
        _refresh(now)
        return True
    cache.set(_PENDING_KEY, True, timeout=None)
    return False


def refresh_if_due() -> bool:
    """The scheduled run: refresh if one is pending and the minute is up, or if the
    figures are older than ``STALE_AFTER_SECONDS``. Whether it refreshed."""
    now = _now()
    last = cache.get(_LAST_KEY)
    if last is None:
        _refresh(now)
        return True
    age = now - last
    if (cache.get(_PENDING_KEY) and age >= DEBOUNCE_SECONDS) or age >= STALE_AFTER_SECONDS:
        _refresh(now)
        return True
    return False


def on_assessment_completed(sender, **kwargs) -> None:
    """The receiver of diagnostics.signals.assessment_completed (apps.py connects it)."""
    request_refresh()

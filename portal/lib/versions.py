"""Data versions: a number per kind of data, kept in the shared cache, that every write
raises, so each process can tell whether what it built from that data is still current.

The catalogue raises "offers" and procurement "opportunities" after each commit that
changes them; the matcher keeps its candidates per version (portal/matching/candidates.py).
With ``CACHE_URL`` pointing at Redis every process sees the same number; with the local
memory default, one process's own writes are all there is.

A number that is missing (a cache cleared or restarted) starts again from the clock, in
milliseconds, so it never comes back to a value a process already built from.
"""

import time

from django.core.cache import cache
from django.db import transaction

_KEY = "waymark:data-version:{}"


def _fresh() -> int:
    return time.time_ns() // 1_000_000


def current(name: str) -> int:
    """The version of ``name`` now."""
    key = _KEY.format(name)
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh(), timeout=None)
        version = cache.get(key)
    return int(version)


def current_many(*names: str) -> dict[str, int]:
    """The versions of ``names`` now, read in one round trip to the cache."""
    keys = {name: _KEY.format(name) for name in names}
    found = cache.get_many(list(keys.values()))
    return {
        name: int(found[key]) if found.get(key) is not None else current(name)
        for name, key in keys.items()
    }


def bump(name: str) -> None:
    """Raise ``name``'s version once the current transaction commits."""
    transaction.on_commit(lambda: bump_now(name))


def bump_now(name: str) -> None:
    key = _KEY.format(name)
    try:
        cache.incr(key)
    except ValueError:  # missing: any new number will do
        cache.set(key, _fresh(), timeout=None)

"""The Redis cache of the tests (CACHE_URL=redis://…, CI's PostgreSQL pass).

pytest-xdist runs the suite in several processes at once (`make test`), and all share
the one Redis database CACHE_URL names. So each process's keys start with a prefix of
its own (tests/settings.py), and clearing the cache, which every test does first
(tests/conftest.py), deletes only those keys: Django's own ``clear()`` empties the whole
database (FLUSHDB), the other processes' keys with it, in the middle of their tests.
"""

from django.core.cache.backends.redis import RedisCache


class OwnKeysRedisCache(RedisCache):
    """Django's Redis cache, whose ``clear()`` deletes only the keys under its prefix."""

    def clear(self):
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(write=True)
        pattern = self.key_prefix.replace("\\", "\\\\").translate(
            {ord(c): f"\\{c}" for c in "*?[]"}
        )
        keys = list(client.scan_iter(match=f"{pattern}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True

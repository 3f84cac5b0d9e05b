"""CACHE_URL on Redis is one cache for every process: what one client sets, another
reads. Runs when CACHE_URL is a redis:// URL (CI's PostgreSQL pass); skipped otherwise,
unless REQUIRE_SHARED_CACHE is set (as CI does), when it fails instead."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from tests.cache import OwnKeysRedisCache


def require_shared_cache():
    if not isinstance(caches["default"], RedisCache):
        reason = "CACHE_URL is not a redis:// URL"
        if os.environ.get("REQUIRE_SHARED_CACHE"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_a_value_set_by_one_cache_client_is_read_by_another():
    require_shared_cache()
    writer = caches.create_connection("default")
    reader = caches.create_connection("default")
    assert writer is not reader
    key = f"shared-cache-test:{uuid.uuid4().hex}"
    try:
        assert reader.get(key) is None
        writer.set(key, {"version": 7}, timeout=60)
        assert reader.get(key) == {"version": 7}
        assert reader.add(key, "other") is False
        reader.delete(key)
        assert writer.get(key) is None
    finally:
        writer.delete(key)
        writer.close()
        reader.close()


def test_clearing_the_cache_leaves_another_test_processs_keys():
    """Under pytest-xdist the test processes share the Redis database (tests/cache.py)."""
    require_shared_cache()
    own = caches["default"]
    assert own.key_prefix == f"waymark-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    other = OwnKeysRedisCache(
        settings.CACHES["default"]["LOCATION"],
        {"KEY_PREFIX": f"{own.key_prefix}-other-{uuid.uuid4().hex}"},
    )
    try:
        own.set("shared-cache-test", "mine", timeout=60)
        other.set("shared-cache-test", "theirs", timeout=60)

        own.clear()

        assert own.get("shared-cache-test") is None
        assert other.get("shared-cache-test") == "theirs"
    finally:
        other.clear()
        other.close()

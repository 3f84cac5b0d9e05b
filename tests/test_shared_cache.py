"""CACHE_URL on Redis is one cache for every process: what one client sets, another
reads. Runs when CACHE_URL is a redis:// URL (CI's PostgreSQL pass); skipped otherwise,
unless REQUIRE_SHARED_CACHE is set (as CI does), when it fails instead."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches


def test_a_value_set_by_one_cache_client_is_read_by_another():
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        reason = "CACHE_URL is not a redis:// URL"
        if os.environ.get("REQUIRE_SHARED_CACHE"):
            pytest.fail(reason)
        pytest.skip(reason)
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

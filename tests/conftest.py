"""Fixtures for every test."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: with CACHE_URL on Redis (CI's PostgreSQL pass)
    the cache outlives each test and each process, unlike local memory."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield

"""Fixtures for every test, and for the pytest-style tests."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation

from tests import restore
from tests.base import PERSONA_NAMES, create_personas
from tests.i18n.catalogues import compile_stale_catalogues


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English: a request to a /cy/ page leaves Welsh active in the
    thread (LocaleMiddleware activates a language and never puts the old one back), and
    the next test's ``reverse`` would give /cy/ addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The Welsh pages and emails need the .mo files (made by make setup, or here)."""
    compile_stale_catalogues()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, restored faster after each serialized_rollback
    test (tests/restore.py)."""
    restore.install()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: with CACHE_URL on Redis (CI's PostgreSQL pass)
    the cache outlives each test and each process, unlike local memory."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture(scope="class")
def class_world(request, django_db_setup, django_db_blocker):
    """``(personas, objects)`` built once for the test class: the personas of
    tests/base.py, and what the class's ``create_objects()`` makes, if it has one. They
    live in a transaction rolled back after the class; each test runs in a savepoint
    inside it (mark the class ``django_db``), so no test sees another's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        personas = create_personas()
        create_objects = getattr(request.cls, "create_objects", None)
        objects = create_objects() if create_objects else {}
        yield personas, objects
        transaction.set_rollback(True)


def pytest_generate_tests(metafunc):
    """The cases of a PermissionMatrix class (tests/base.py): one per persona and rule of
    its ``expected`` table, one per persona and query of its ``queries``."""
    names = set(metafunc.fixturenames)
    if {"persona", "rule"} <= names and hasattr(metafunc.cls, "expected"):
        expected = metafunc.cls.expected
        cases = [(persona, rule) for persona in expected for rule in expected[persona]]
        metafunc.parametrize(("persona", "rule"), cases)
    if {"persona", "query"} <= names and hasattr(metafunc.cls, "queries"):
        cases = [(persona, query) for persona in PERSONA_NAMES for query in metafunc.cls.queries]
        metafunc.parametrize(("persona", "query"), cases)


def pytest_collection_modifyitems(config, items):
    """CI runs the heaviest suite, the whole permission matrix (marker ``matrix``), once:
    in its PostgreSQL pass. Its SQLite pass (``make test`` with CI set and no
    DATABASE_URL) skips it; ``make test`` on a developer's machine runs it."""
    if not os.environ.get("CI") or os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="CI runs the permission matrix in its PostgreSQL pass")
    for item in items:
        if item.get_closest_marker("matrix"):
            item.add_marker(skip)

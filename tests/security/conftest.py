"""The security tests' world, built once per test class (tests/security/world.py)."""

import pytest
from django.db import transaction

from tests.core.test_production_headers import PRODUCTION_SECURITY
from tests.security.requests import client_for, csrf_token
from tests.security.world import ROLES, create_world


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """The roles and A's objects, in a transaction rolled back after the class; each test
    (marked ``django_db``) runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield create_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def clients(world, django_db_blocker):
    """A browser for each role, signed in (but anonymous) and holding a CSRF token, in
    the class's transaction: ``{role: (client, token)}``. A test puts back a browser's
    cookies after each request (tests/security/requests.py, ``restoring_cookies``)."""
    with django_db_blocker.unblock():
        browsers = {}
        for role in ROLES:
            client = client_for(world["users"][role])
            browsers[role] = (client, csrf_token(client))
        return browsers


@pytest.fixture
def production(settings):
    """The production values of the security settings (DEBUG off, HTTPS, HSTS)."""
    for name, value in PRODUCTION_SECURITY.items():
        setattr(settings, name, value)
    return settings

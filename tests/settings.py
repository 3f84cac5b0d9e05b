"""Settings for the test suite: the real settings, made fast.

Everything else (database from DATABASE_URL, middleware, CSP) is as deployed.
"""

import os
import tempfile
from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import CACHES, STORAGES

# seed_demo's kept passwords: one file per test process, never the developer's own.
DEMO_PASSWORDS_FILE = str(Path(tempfile.mkdtemp(prefix="waymark-tests-")) / "demo-passwords.json")

# A shared Redis cache: each test process (gw0, gw1… under pytest-xdist) keeps to keys of
# its own, and clears only those (tests/cache.py). manage.py benchmark, run by a test,
# inherits PYTEST_XDIST_WORKER and so the prefix; the Celery worker is handed it
# (CACHE_KEY_PREFIX, tests/celery_worker.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES = {
        **CACHES,
        "default": {
            **CACHES["default"],
            "BACKEND": "tests.cache.OwnKeysRedisCache",
            "KEY_PREFIX": f"waymark-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
        },
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run in process unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# No collectstatic before tests: serve static files by their own names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# static/build/ is served through the finders; there is no collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True

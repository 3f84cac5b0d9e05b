"""The environment the benchmark tests run ``manage.py benchmark`` in, a process of its
own, as a user runs it."""

import os
from urllib.parse import urlsplit, urlunsplit


def benchmark_environment() -> dict[str, str]:
    """This process's environment, with the test settings.

    On PostgreSQL the benchmark's throwaway database is named after DATABASE_URL's
    database (``benchmark_<name>``, portal/core/benchmarking): under pytest-xdist the
    name gets the worker's (``<name>_gw0``), so two workers' benchmarks never make and
    drop the same database. On SQLite it is a temporary file already."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = environment.get("DATABASE_URL", "")
    if worker and url and not url.startswith("sqlite"):
        parts = urlsplit(url)
        environment["DATABASE_URL"] = urlunsplit(parts._replace(path=f"{parts.path}_{worker}"))
    return environment

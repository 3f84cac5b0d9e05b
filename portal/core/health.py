"""Readiness checks for /readyz: each is True when the service it checks answers.

Plain functions, so a management command or a test can call them too.
"""

import logging

from celery import current_app as celery_app
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def database_is_available(alias=DEFAULT_DB_ALIAS):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        logger.warning("Readiness: database %r unavailable", alias, exc_info=True)
        return False
    return True


def broker_is_available(url=None, timeout=BROKER_TIMEOUT_SECONDS):
    """Connects to the Celery broker once, without retrying; True when it answers."""
    url = url or settings.CELERY_BROKER_URL
    try:
        # The URL is passed rather than read from the Celery app's configuration, which
        # is fixed when the app first reads it; this follows the current setting. The
        # app is the project's (portal/celery.py, current once the portal package is
        # loaded), reached through Celery so that core does not import the project.
        with celery_app.connection_for_write(url=url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=0, timeout=timeout)
    except Exception:
        # kombu raises the transport's own errors (socket, redis, amqp) for a broker
        # that is down or refuses us; any of them means "not ready".
        logger.warning("Readiness: broker unavailable", exc_info=True)
        return False
    return True

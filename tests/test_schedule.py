"""Every scheduled task names a task the workers have: a typo in the beat schedule
would otherwise fail silently, on a worker, at night."""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings

from portal.celery import app


def test_every_scheduled_task_is_registered():
    # What autodiscovery imports on a worker: each app's tasks module.
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks"):
            importlib.import_module(f"{config.name}.tasks")
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled >= {
        "portal.procurement.tasks.send_alert_digests",
        "portal.procurement.tasks.send_closing_reminders",
        "portal.procurement.tasks.fail_stalled_import_runs",
    }
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
    assert "portal.procurement.tasks.import_ocds_feed" in app.tasks


def test_no_task_outlives_the_brokers_visibility_timeout():
    """Redis hands a task not acknowledged within the visibility timeout to another
    worker: a task still running then would run twice at once."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST

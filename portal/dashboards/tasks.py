"""Scheduled work for the dashboards."""

from celery import shared_task

from portal.dashboards import figures, refresh


@shared_task(name="portal.dashboards.tasks.refresh_dashboards")
def refresh_dashboards() -> dict:
    """Raise the dashboards' data version when due (refresh.py) and build the UK's and
    the regions' figures into the shared cache, so their pages are warm."""
    refreshed = refresh.refresh_if_due()
    built = figures.warm()
    return {"refreshed": refreshed, "built": built}

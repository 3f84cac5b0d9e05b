from django.conf import settings

from portal.accounts import idle


def idle_timeout(request):
    """For base.html: the idle timeout's figures, on a staff session's pages only."""
    if request is None or idle.seconds_left(request) is None:
        return {}
    return {
        "idle_timeout": {
            "timeout": settings.STAFF_IDLE_TIMEOUT_SECONDS,
            "warning": settings.STAFF_IDLE_WARNING_SECONDS,
            "warning_minutes": max(settings.STAFF_IDLE_WARNING_SECONDS // 60, 1),
            # The counts the warning's countdown may show, each worded in the template
            # (translated there, plural forms and all) for its script to pick from.
            "minute_counts": range(1, -(-settings.STAFF_IDLE_WARNING_SECONDS // 60) + 1),
            "second_counts": range(60),
        }
    }

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
        }
    }

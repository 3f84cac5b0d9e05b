from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Core"
    # What benchmark finds here (portal/lib/registry.py).
    benchmark_suites = {"pages": "portal.core.benchmarking.pages"}

    def ready(self):
        from portal.accounts.personal_data import NotPersonal, declare_personal_fields
        from portal.core import outbox
        from portal.core.models import OutboxTask
        from portal.lib import tasks

        tasks.hold_tasks_in(outbox.hold)
        declare_personal_fields(
            NotPersonal(OutboxTask, "name", "A task's registered name; its arguments are ids.")
        )

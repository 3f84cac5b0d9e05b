"""Celery tasks by name: enqueueing one after commit, and the options of email tasks.

Tasks call services, never the other way round: a service enqueues a task by its
registered name (``enqueue_on_commit("diagnostics.tasks.send_resume_link_email", pk)``)
instead of importing its app's ``tasks`` module. Every task is declared with an explicit
``name=`` equal to its module path and function name, so the name stays stable for the
broker, the beat schedule and this lookup alike.
"""

from functools import partial, wraps
from importlib import import_module

from celery import Task, current_app, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import translation

from portal.lib.mail import MAIL_ERRORS


def registered_task(name: str):
    """The task registered as ``name``, importing its module if nothing has yet."""
    tasks = current_app.tasks
    if name not in tasks:
        import_module(name.rpartition(".")[0])
    return tasks[name]


# Where tasks wait for the broker (portal.core.outbox.hold, set by the core app: this
# module, at the bottom of the layers, cannot import it).
_outbox = None


def hold_tasks_in(outbox) -> None:
    global _outbox
    _outbox = outbox


def enqueue_on_commit(name: str, *args) -> None:
    """Queue the task ``name`` with ``args`` (ids, never model instances) once the current
    transaction commits, so it never runs about a change that was rolled back; at once
    outside a transaction. With no broker (eager tasks) it runs in this process then.

    With a broker, the task goes through the outbox (portal/core/outbox.py): written in
    the same transaction, sent after commit, and sent later by a sweep if the broker
    could not be reached. Either way what was committed stays committed and the request
    that committed it succeeds even if the broker, or an eager task, fails; that is
    logged.
    """
    task = registered_task(name)
    if _outbox is not None and not task.app.conf.task_always_eager:
        _outbox(name, args)
        return
    transaction.on_commit(partial(task.delay, *args), robust=True)


class RetriedEagerly(Task):
    """Retries that also happen when tasks run in process (no broker, and the tests).

    Celery's eager ``apply()`` runs a task's retry at once, but only when it does not
    propagate errors (with ``task_eager_propagates`` the first ``Retry`` is raised to the
    caller instead). So each eager attempt runs without propagating, and only the final
    failure, once the retries are spent, is raised as the setting asks. In process the
    retries follow each other without waiting, so only ``eager_max_retries`` are made:
    more would only hold up the request that caused the email.
    """

    eager_max_retries = 2

    def retry(self, *args, max_retries=None, **options):
        if self.request.is_eager:
            limit = self.max_retries if max_retries is None else max_retries
            max_retries = min(limit, self.eager_max_retries)
        return super().retry(*args, max_retries=max_retries, **options)

    def apply(self, args=None, kwargs=None, *, throw=None, **options):
        result = super().apply(args, kwargs, throw=False, **options)
        propagate = self.app.conf.task_eager_propagates if throw is None else throw
        if propagate:
            result.maybe_throw()
        return result


def email_task(name: str):
    """Declare a task that sends email: retried with a growing delay (about 1, 2, 4, …
    minutes, up to an hour apart) while the mail server refuses or does not answer, and
    acknowledged only once done, so a worker lost mid-send leaves it queued. Run in
    process, two retries follow at once (``RetriedEagerly``).

    The email is in the default language unless it says otherwise
    (``portal.lib.languages.in_language``): run in process, the task would otherwise
    take the language of whichever request caused it (a Welsh founder's request for
    advice, say, would mail the council's team in Welsh)."""
    declare = shared_task(
        base=RetriedEagerly,
        name=name,
        autoretry_for=MAIL_ERRORS,
        retry_backoff=60,
        retry_backoff_max=60 * 60,
        retry_jitter=True,
        max_retries=8,
        acks_late=True,
    )

    def in_default_language(function):
        @wraps(function)
        def task(*args, **kwargs):
            with translation.override(settings.LANGUAGE_CODE):
                return function(*args, **kwargs)

        return declare(task)

    return in_default_language

"""The core app's one table: the outbox of tasks waiting to reach the broker."""

from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A background task asked for by a change, written in the change's own transaction
    (portal/core/outbox.py): if the broker cannot be reached when the change commits,
    the row stays and a periodic sweep sends the task once the broker is back. Holds a
    task's name and its arguments (ids), nothing else."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["created"], name="outbox_created")]

    def __str__(self):
        return f"{self.name}{tuple(self.args)}"

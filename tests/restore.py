"""A faster restore for ``serialized_rollback`` (browser tests and other transactional
tests that need the data migrations' rows back after the flush).

Django restores those rows (the 9,454 CPV codes, the places, permissions and content
types) by parsing the JSON it kept at test-database creation and saving each object
on its own: an UPDATE, then an INSERT, ten thousand times, for every such test. That
took 3 to 6 seconds a test. ``FastRestore`` parses the JSON once per process, then
writes each model's rows with multi-row INSERTs of the raw values, exactly what
``save(raw=True)`` writes (no field's ``pre_save``, so no ``auto_now``), in the same
order, in one transaction with constraint checks off, and sends the same
``pre_save``/``post_save`` signals (``raw=True``, ``created=True``) to any receivers
(the places' data version). Tables that are not empty are flushed first. The database
it leaves serializes to exactly what Django kept (tests/test_restore.py).
"""

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connections
from django.db.models import signals
from django.db.transaction import atomic


class FastRestore:
    """Stands in for ``connection.creation.deserialize_db_from_string``."""

    def __init__(self, alias: str):
        self.alias = alias
        self._source: str | None = None
        self._runs: list[tuple[type, list]] = []

    def _parse(self, data: str) -> list[tuple[type, list]]:
        """The deserialized objects, in runs of one model each, in the file's order."""
        if data is not self._source and data != self._source:
            runs: list[tuple[type, list]] = []
            for deserialized in serializers.deserialize("json", data, using=self.alias):
                model = type(deserialized.object)
                if not runs or runs[-1][0] is not model:
                    runs.append((model, []))
                runs[-1][1].append(deserialized)
            self._source, self._runs = data, runs
        return self._runs

    def __call__(self, data: str) -> None:
        runs = self._parse(data)
        if any(model._base_manager.using(self.alias).exists() for model, _ in runs):
            # Rows still there: the migrated ones (no transactional test has flushed them
            # yet), or content types and permissions the post_migrate handlers made again
            # after a plain transactional test's flush, under new ids on PostgreSQL, where
            # Django's restore then fails on a duplicate. The kept rows replace them all.
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                inhibit_post_migrate=True,
                database=self.alias,
            )
        connection = connections[self.alias]
        table_names = set()
        with atomic(using=self.alias), connection.constraint_checks_disabled():
            for model, run in runs:
                self._insert(connection, model, run)
                table_names.add(model._meta.db_table)
        connection.check_constraints(table_names=table_names)
        if apps.is_installed("django.contrib.contenttypes"):
            # The process's content types by model: ids from before the restore.
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()

    def _insert(self, connection, model, run) -> None:
        meta = model._meta
        concrete = meta.concrete_model
        objects = [deserialized.object for deserialized in run]
        fields = [field for field in meta.local_concrete_fields if not field.generated]
        send_pre = signals.pre_save.has_listeners(model)
        send_post = signals.post_save.has_listeners(model)
        if send_pre:
            for obj in objects:
                signals.pre_save.send(
                    sender=model, instance=obj, raw=True, using=self.alias, update_fields=None
                )
        batch_size = max(connection.ops.bulk_batch_size(fields, objects), 1)
        for start in range(0, len(objects), batch_size):
            concrete._base_manager._insert(
                objects[start : start + batch_size], fields=fields, using=self.alias, raw=True
            )
        for deserialized in run:
            obj = deserialized.object
            obj._state.adding = False
            obj._state.db = self.alias
            for accessor_name, object_list in (deserialized.m2m_data or {}).items():
                getattr(obj, accessor_name).set(object_list)
            if send_post:
                signals.post_save.send(
                    sender=model,
                    instance=obj,
                    created=True,
                    update_fields=None,
                    raw=True,
                    using=self.alias,
                )


def install() -> None:
    """Every test database that kept its contents for serialized_rollback restores them
    with FastRestore."""
    for connection in connections.all():
        creation = connection.creation
        if hasattr(connection, "_test_serialized_contents") and not isinstance(
            creation.deserialize_db_from_string, FastRestore
        ):
            creation.deserialize_db_from_string = FastRestore(connection.alias)

"""The faster serialized_rollback restore (tests/restore.py) leaves the database exactly
as Django's own restore does, in a few queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from portal.lib import versions
from portal.places.choices import DATA_VERSION
from portal.places.models import Council
from portal.procurement.models import CpvCode
from tests.restore import FastRestore

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_flushed_database_is_restored_to_what_django_kept(django_assert_max_num_queries):
    kept = connection._test_serialized_contents
    restore = connection.creation.deserialize_db_from_string
    assert isinstance(restore, FastRestore)
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    assert not CpvCode.objects.exists()
    version_before = versions.current(DATA_VERSION)

    # Django's own restore makes two queries a row: twenty thousand here.
    with django_assert_max_num_queries(100):
        restore(kept)

    assert connection.creation.serialize_db_to_string() == kept
    assert Council.objects.count() == 361
    # The places' receivers heard of the rows, as they do on Django's restore.
    assert versions.current(DATA_VERSION) > version_before


def test_content_types_made_again_after_a_flush_are_replaced_by_the_kept_ones():
    """A plain transactional test's flush runs the post_migrate handlers, which make the
    content types and permissions again (under new ids, on PostgreSQL)."""
    kept = connection._test_serialized_contents
    call_command("flush", verbosity=0, interactive=False)
    assert ContentType.objects.exists()

    connection.creation.deserialize_db_from_string(kept)

    assert connection.creation.serialize_db_to_string() == kept

"""The candidates each process keeps follow the data: any write raises the data version
in the shared cache, and the next ranking, in this process or another, rebuilds."""

import os

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import TestCase
from django.utils import timezone

from portal.catalogue.models import Offer
from portal.catalogue.services.curation import publish_offer
from portal.lib import versions
from portal.matching import candidates
from tests.factories import create_council_a_manager, create_offer

VERSION_KEY = "waymark:data-version:offers"


def slugs() -> set[str]:
    return {row.slug for row in candidates.offer_candidates().rows}


class CandidatesFollowTheDataTests(TestCase):
    def test_candidates_are_kept_between_rankings_until_the_data_version_rises(self):
        offer = create_offer(title="Before", status="published", uk_wide=True)
        self.assertIn(offer.slug, slugs())
        kept = candidates.offer_candidates()
        Offer.objects.filter(pk=offer.pk).update(title="Changed behind its back")
        self.assertIs(candidates.offer_candidates(), kept)
        versions.bump_now("offers")
        self.assertIsNot(candidates.offer_candidates(), kept)

    def test_publishing_through_the_service_is_seen_by_the_next_ranking(self):
        manager = create_council_a_manager()
        offer = create_offer(title="Soon", status="in_review", uk_wide=False)
        self.assertNotIn(offer.slug, slugs())
        with self.captureOnCommitCallbacks(execute=True):
            publish_offer(offer=offer, user=manager)
        self.assertIn(offer.slug, slugs())

    def test_a_rolled_back_write_does_not_raise_the_version(self):
        before = versions.current("offers")
        with self.captureOnCommitCallbacks(execute=False):
            versions.bump("offers")
        self.assertEqual(versions.current("offers"), before)


@pytest.mark.django_db
def test_a_change_in_another_process_is_seen_through_the_shared_cache():
    """Another process (here: another client of the same Redis cache) raises the version
    after its write; this process's next ranking rebuilds and sees the write."""
    if not isinstance(caches["default"], RedisCache):
        reason = "CACHE_URL is not a redis:// URL"
        if os.environ.get("REQUIRE_SHARED_CACHE"):
            pytest.fail(reason)
        pytest.skip(reason)
    offer = create_offer(title="Old title", status="published", uk_wide=True)
    kept = candidates.offer_candidates()
    assert {row.title for row in kept.rows} == {"Old title"}
    other_process = caches.create_connection("default")
    try:
        Offer.objects.filter(pk=offer.pk).update(title="New title", updated=timezone.now())
        other_process.incr(VERSION_KEY)
        assert {row.title for row in candidates.offer_candidates().rows} == {"New title"}
    finally:
        other_process.close()

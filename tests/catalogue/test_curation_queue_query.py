"""catalogue/queries.py curation_queue: the groups of offers a curator's queue shows,
read without a request."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from portal.catalogue.models import OfferStatus
from portal.catalogue.queries import QUEUE_GROUP_KEYS, curation_queue
from tests.factories import council_b, create_council_a_curator, create_offer


class CurationQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.today = timezone.localdate()
        cls.draft = create_offer(title="A draft offer")
        cls.overdue = create_offer(
            title="Stale offer",
            status=OfferStatus.PUBLISHED,
            review_due=cls.today - timedelta(days=3),
        )
        create_offer(title="Another council's draft", curator=council_b())

    def test_every_group_in_order_with_its_count_and_offers(self):
        groups = curation_queue(self.curator, today=self.today)

        self.assertEqual(
            [group.key for group in groups],
            ["drafts", "no-link", "in-review", "overdue", "due-for-review", "closing-soon"],
        )
        self.assertEqual(set(QUEUE_GROUP_KEYS), {group.key for group in groups})
        by_key = {group.key: group for group in groups}
        self.assertEqual(
            (by_key["drafts"].count, list(by_key["drafts"].offers)), (1, [self.draft])
        )
        self.assertEqual(list(by_key["overdue"].offers), [self.overdue])
        self.assertEqual(by_key["in-review"].count, 0)

    def test_only_keeps_one_group(self):
        groups = curation_queue(self.curator, only="overdue", today=self.today)

        self.assertEqual([(group.key, group.count) for group in groups], [("overdue", 1)])

    def test_every_count_is_one_query(self):
        curation_queue(self.curator, today=self.today)  # the user's memberships, kept

        with self.assertNumQueries(1):
            curation_queue(self.curator, today=self.today)
